// A tiny typed event hub: main-side services publish MicraApi events, each transport forwards
// them to its renderer(s).
import type { EventName, EventPayload } from '../../api/types';

export type AppEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class AppEvents {
  private readonly listeners = new Set<AppEventListener>();

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        console.error(`event listener for ${event} failed:`, err);
      }
    }
  }
}

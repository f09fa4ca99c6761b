// The MicraApi: the one interface through which the renderer knows the application.
// Both transports (Electron IPC via the preload, serve mode via WebSocket) implement it.
import type { z } from 'zod';
import type {
  AppInfoSchema,
  eventSchemas,
  ImageSummarySchema,
  ImportOutcomeSchema,
  JobSummarySchema,
  ProjectInfoSchema,
  requestSchemas,
  TileStatsSchema,
} from './schemas';

export type RequestChannel = keyof typeof requestSchemas;
export type RequestParams<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]['params']>;
export type RequestResult<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]['result']>;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;

export type ImageSummary = z.output<typeof ImageSummarySchema>;
export type ProjectInfo = z.output<typeof ProjectInfoSchema>;
export type JobSummary = z.output<typeof JobSummarySchema>;
export type ImportOutcome = z.output<typeof ImportOutcomeSchema>;
export type TileStats = z.output<typeof TileStatsSchema>;
export type AppInfo = z.output<typeof AppInfoSchema>;

export interface MicraApi {
  invoke<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Failures reach the renderer as this shape, whichever transport carried them. */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'no-project' | 'failed';
  message: string;
}

/**
 * What the Electron preload exposes as `window.micra`: the MicraApi plus the two things only
 * the preload can do (turn dropped File objects into paths) or know (the tile scheme).
 */
export interface MicraBridge extends MicraApi {
  pathsForFiles(files: readonly File[]): string[];
  readonly tileBaseUrl: string;
}

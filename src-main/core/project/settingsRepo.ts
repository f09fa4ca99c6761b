// Project-wide settings as JSON values under string keys, with typed accessors for the ones
// the app relies on.
import type { Database } from 'better-sqlite3';

const ACTIVE_MODEL_KEY = 'activeModelId';
const SWEEP_SCREEN_KEY = 'sweepScreen';

export class SettingsRepo {
  constructor(private readonly db: Database) {}

  get(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  set(key: string, value: unknown): void {
    if (value === undefined) throw new Error('a setting cannot be undefined; use remove()');
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  remove(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  /** The model sweeps use by default; null when none is chosen or it no longer exists. */
  activeModelId(): number | null {
    const value = this.get(ACTIVE_MODEL_KEY);
    if (typeof value !== 'number') return null;
    const exists = this.db.prepare('SELECT 1 FROM models WHERE id = ?').get(value);
    return exists ? value : null;
  }

  /**
   * Whether sweeps screen crops with the model's distilled screen first (when it has one).
   * On unless turned off; anything but `false` stored here (untrusted) reads as on.
   */
  sweepScreen(): boolean {
    try {
      return this.get(SWEEP_SCREEN_KEY) !== false;
    } catch {
      return true;
    }
  }

  setSweepScreen(enabled: boolean): void {
    this.set(SWEEP_SCREEN_KEY, enabled);
  }

  setActiveModelId(modelId: number | null): void {
    if (modelId === null) return this.remove(ACTIVE_MODEL_KEY);
    if (!this.db.prepare("SELECT 1 FROM models WHERE id = ? AND status = 'ready'").get(modelId)) {
      throw new Error(`model ${modelId} does not exist or is not ready`);
    }
    this.set(ACTIVE_MODEL_KEY, modelId);
  }
}

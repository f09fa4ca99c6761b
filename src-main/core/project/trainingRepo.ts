// Training's tables (migration 004): per-image split overrides, one row per training run and
// the per-epoch history; plus the two model-row updates training needs (card, status with
// metrics) that ModelsRepo does not offer.
import type { Database } from 'better-sqlite3';

export type DatasetSplit = 'train' | 'validation' | 'test';
export type TrainingOutcome = 'completed' | 'stopped-early' | 'cancelled' | 'failed' | 'interrupted';

export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  seconds: number;
  best: boolean;
}

export interface TrainingRunRow {
  modelId: number;
  jobId: number | null;
  params: unknown;
  outcome: TrainingOutcome | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface EpochDbRow {
  epoch: number;
  train_loss: number;
  train_accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  learning_rate: number;
  seconds: number;
  best: number;
}

interface RunDbRow {
  model_id: number;
  job_id: number | null;
  params: string;
  outcome: TrainingOutcome | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export class TrainingRepo {
  constructor(private readonly db: Database) {}

  splitOverrides(): Map<number, DatasetSplit> {
    const rows = this.db.prepare('SELECT image_id, split FROM image_splits').all() as { image_id: number; split: DatasetSplit }[];
    return new Map(rows.map((r) => [r.image_id, r.split]));
  }

  /** Pins an image to a split; null returns it to the seeded assignment. */
  setSplit(imageId: number, split: DatasetSplit | null): void {
    if (split === null) this.db.prepare('DELETE FROM image_splits WHERE image_id = ?').run(imageId);
    else
      this.db
        .prepare('INSERT INTO image_splits (image_id, split) VALUES (?, ?) ON CONFLICT (image_id) DO UPDATE SET split = excluded.split')
        .run(imageId, split);
  }

  startRun(modelId: number, jobId: number, params: unknown): void {
    this.db
      .prepare(
        `INSERT INTO training_runs (model_id, job_id, params) VALUES (?, ?, ?)
         ON CONFLICT (model_id) DO UPDATE SET job_id = excluded.job_id, params = excluded.params,
           outcome = NULL, error = NULL, finished_at = NULL`,
      )
      .run(modelId, jobId, JSON.stringify(params));
  }

  finishRun(modelId: number, outcome: TrainingOutcome, error: string | null): void {
    this.db.prepare(`UPDATE training_runs SET outcome = ?, error = ?, finished_at = ${NOW} WHERE model_id = ?`).run(outcome, error, modelId);
  }

  getRun(modelId: number): TrainingRunRow | undefined {
    const r = this.db.prepare('SELECT * FROM training_runs WHERE model_id = ?').get(modelId) as RunDbRow | undefined;
    return (
      r && {
        modelId: r.model_id,
        jobId: r.job_id,
        params: JSON.parse(r.params) as unknown,
        outcome: r.outcome,
        error: r.error,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      }
    );
  }

  /** Runs still marked unfinished (their process ended without telling us: a crash). */
  unfinishedRuns(): number[] {
    return (this.db.prepare('SELECT model_id FROM training_runs WHERE finished_at IS NULL').all() as { model_id: number }[]).map((r) => r.model_id);
  }

  /** Records an epoch (a resumed run may report an epoch again: the latest wins). */
  recordEpoch(modelId: number, e: EpochRow): void {
    this.db
      .prepare(
        `INSERT INTO training_epochs (model_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, learning_rate, seconds, best)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model_id, epoch) DO UPDATE SET train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
           val_loss = excluded.val_loss, val_accuracy = excluded.val_accuracy, learning_rate = excluded.learning_rate,
           seconds = excluded.seconds, best = excluded.best`,
      )
      .run(modelId, e.epoch, e.trainLoss, e.trainAccuracy, e.valLoss, e.valAccuracy, e.learningRate, e.seconds, e.best ? 1 : 0);
  }

  history(modelId: number): EpochRow[] {
    const rows = this.db.prepare('SELECT * FROM training_epochs WHERE model_id = ? ORDER BY epoch').all(modelId) as EpochDbRow[];
    return rows.map((r) => ({
      epoch: r.epoch,
      trainLoss: r.train_loss,
      trainAccuracy: r.train_accuracy,
      valLoss: r.val_loss,
      valAccuracy: r.val_accuracy,
      learningRate: r.learning_rate,
      seconds: r.seconds,
      best: r.best === 1,
    }));
  }

  setModelCard(modelId: number, card: unknown): void {
    const info = this.db.prepare('UPDATE models SET card = ? WHERE id = ?').run(JSON.stringify(card), modelId);
    if (info.changes !== 1) throw new Error(`no model with id ${modelId}`);
  }
}

// Per-epoch metrics of a training run as uPlot columns. Epochs arrive live ('training.epoch')
// and from training.history after a reload; both go through mergeEpoch so a replayed epoch
// replaces, never duplicates, the live one.

export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly learningRate: number;
  readonly seconds: number;
  readonly best: boolean;
}

/** The epochs with `e` added or replacing the same epoch number, sorted by epoch. */
export function mergeEpoch<T extends EpochPoint>(epochs: readonly T[], e: T): T[] {
  return [...epochs.filter((x) => x.epoch !== e.epoch), e].sort((a, b) => a.epoch - b.epoch);
}

export type PlotColumns = [number[], (number | null)[], (number | null)[]];

/** [epoch, train, validation] columns of the loss. */
export function lossColumns(epochs: readonly EpochPoint[]): PlotColumns {
  return [epochs.map((e) => e.epoch), epochs.map((e) => e.trainLoss), epochs.map((e) => e.valLoss)];
}

/** [epoch, train, validation] columns of the accuracy, in percent. */
export function accuracyColumns(epochs: readonly EpochPoint[]): PlotColumns {
  const pct = (v: number | null): number | null => (v === null ? null : v * 100);
  return [epochs.map((e) => e.epoch), epochs.map((e) => pct(e.trainAccuracy)), epochs.map((e) => pct(e.valAccuracy))];
}

/** The epoch whose weights were kept (the last one flagged best), or null. */
export function bestEpoch(epochs: readonly EpochPoint[]): number | null {
  let best: number | null = null;
  for (const e of epochs) if (e.best) best = e.epoch;
  return best;
}

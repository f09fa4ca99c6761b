// Main's side of the out-of-distribution checks (ml/distributionCheck.ts) for sweep runs: a
// model applied to images unlike its training data still gives confident scores, and a sweep
// then floods the review queue with them. When a run starts, the image's intensity histogram is
// taken from a coarse pyramid level (the tileStats job: a few hundred thousand samples, well
// under a second); as crops are ingested, the share of positives is compared with the prior the
// model's threshold was set for. Warnings are stored on the run, so they outlive the session.
import { tileStatsJobHandler, type TileStatsResult } from '../imaging/tileStatsJob';
import { levelSize } from '../../../src-shared/pyramidGeometry';
import type { JobRunner } from '../jobs/jobRunner';
import { distributionWarnings, type DistributionWarning, type ImageIntensity } from '../ml/distributionCheck';
import type { ModelCard } from '../ml/weights/modelCard';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import type { SweepRunsRepo } from '../project/sweepRunsRepo';

export type SweepWarning = DistributionWarning;

/** The histogram is taken from the finest level no larger than this on either side. */
const STATS_LEVEL_MAX_SIDE = 1024;

/** The coarsest level that still has STATS_LEVEL_MAX_SIDE pixels on its longer side, or the last level. */
export function statsLevel(image: Pick<ImageRow, 'width' | 'height' | 'levels'>): number {
  for (let level = 0; level < image.levels; level++) {
    const [w, h] = levelSize(image.width, image.height, level);
    if (Math.max(w, h) <= STATS_LEVEL_MAX_SIDE) return level;
  }
  return Math.max(0, image.levels - 1);
}

/**
 * Checks a run's crops so far against its model's training data and stores the warnings on the
 * run; true when they changed. Local sweeps call it as crops come in, a cluster collect once.
 */
export function storeRunWarnings(runs: SweepRunsRepo, runId: number, card: ModelCard, image: ImageIntensity): boolean {
  const { scored, positives } = runs.scoredCounts(runId);
  const warnings: SweepWarning[] = distributionWarnings(card, image, { cropsSwept: scored, positives });
  if (JSON.stringify(warnings) === runs.mustGet(runId).warnings) return false;
  runs.setWarnings(runId, warnings);
  return true;
}

/**
 * The image's intensities as the checks read them, computed here rather than in the compute
 * process (a cluster collect has no job runner): the tileStats job's histogram of statsLevel.
 * Without a histogram (a tile unreadable) the bit depth and the positive rate are still checked.
 */
export async function imageIntensityHere(store: ProjectStore, image: ImageRow): Promise<ImageIntensity> {
  const ctx = { signal: new AbortController().signal, progress: () => undefined };
  try {
    const stats = await tileStatsJobHandler.run({ projectDir: store.dir, imageId: image.id, level: statsLevel(image) }, ctx);
    return { bitDepth: image.bits_per_sample, histogram: stats.histogram };
  } catch {
    return { bitDepth: image.bits_per_sample };
  }
}

export class SweepWarnings {
  /** What each run is checked against: its model's card and its image's intensities. */
  private readonly inputs = new Map<number, { card: ModelCard; image: ImageIntensity }>();
  private readonly histograms = new Map<number, Promise<number[] | undefined>>();

  constructor(
    private readonly store: ProjectStore,
    private readonly runs: SweepRunsRepo,
    /** Only `run` is needed: the tileStats job. */
    private readonly runner: Pick<JobRunner, 'run'>,
  ) {}

  /**
   * Starts checking a run: the bit depth at once, the intensities once the image's histogram is
   * in. Resolves with whether the run's stored warnings changed (the caller announces the run).
   */
  async start(runId: number, card: ModelCard, image: ImageRow): Promise<boolean> {
    this.inputs.set(runId, { card, image: { bitDepth: image.bits_per_sample } });
    const changed = this.update(runId);
    const histogram = await this.histogramOf(image);
    if (!histogram) return changed;
    this.inputs.set(runId, { card, image: { bitDepth: image.bits_per_sample, histogram } });
    return this.update(runId) || changed;
  }

  /** Re-checks a run (after new crops); true when its stored warnings changed. */
  update(runId: number): boolean {
    const input = this.inputs.get(runId);
    if (!input) return false;
    return storeRunWarnings(this.runs, runId, input.card, input.image);
  }

  /** The image's 256-bin histogram over its full bit-depth range; undefined when it cannot be had. */
  private histogramOf(image: ImageRow): Promise<number[] | undefined> {
    let pending = this.histograms.get(image.id);
    if (!pending) {
      const job = this.runner.run('tileStats', { projectDir: this.store.dir, imageId: image.id, level: statsLevel(image) }, { imageId: image.id });
      pending = job.result.then(
        (r) => (r as TileStatsResult).histogram,
        // No intensity check then; the bit depth and the positive rate are still checked.
        () => undefined,
      );
      this.histograms.set(image.id, pending);
    }
    return pending;
  }
}

// Progress of a screened sweep, weighted by work. The screen settles most crops (background,
// ruled out) in its first pass, in a fraction of the run's time; the few crops it keeps then cost
// a forward pass each, and Grad-CAM where they hold objects. Counting every settled crop as done
// would make the first seconds look like most of the work and the ETA (the job runner's, from
// the rate of progress) far too short. So a kept crop counts FULL_CROP_COST times a settled one,
// the number of crops still to be kept is extrapolated from the screen's pass rate so far, and
// progress is reported as the crops-equivalent share of that work: never more than the crops
// actually finished, and exactly every crop when the last one is.

/** Work of a crop the full model scores, in units of a crop the screen settles (read + screen). */
export const FULL_CROP_COST = 12;

export class ScreenedProgress {
  private settled = 0;
  private kept = 0;
  private explained = 0;

  /**
   * `total`: the run's crops; `alreadyDone`: those a previous job finished; `toScreen`: the
   * crops this job sees (total − alreadyDone).
   */
  constructor(
    private readonly total: number,
    private readonly alreadyDone: number,
    private readonly toScreen: number,
  ) {}

  /** Crops finished without the full model (background, ruled out by the screen). */
  settle(n: number): void {
    this.settled += n;
  }

  /** Crops the screen kept: queued for the full model. */
  keep(n: number): void {
    this.kept += n;
  }

  /** Kept crops the full model finished. */
  explain(n: number): void {
    this.explained += n;
  }

  /** Crops actually finished (journaled). */
  finished(): number {
    return this.alreadyDone + this.settled + this.explained;
  }

  /** The crops-equivalent to report: the share of the job's work done, in crops. */
  reported(): number {
    const finished = this.finished();
    if (finished >= this.total) return this.total;
    const seen = this.settled + this.kept;
    const keptRate = seen > 0 ? this.kept / seen : 0;
    const keptTotal = this.kept + Math.max(0, this.toScreen - seen) * keptRate;
    const work = this.toScreen - keptTotal + keptTotal * FULL_CROP_COST;
    const workDone = this.settled + this.explained * FULL_CROP_COST;
    const share = work > 0 ? Math.min(1, workDone / work) : 1;
    return Math.min(finished, this.alreadyDone + Math.floor(share * this.toScreen));
  }
}

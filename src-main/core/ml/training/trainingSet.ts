// What the training loop consumes: labelled crops, already preprocessed like the model card
// says, loaded on demand (a project's crops come from the tile store; benchmarks and the
// default model generate them). Per-class weights let a crop be labelled for some classes and
// unknown ("skip", never asked) for others: weight 0 leaves that class out of the loss.

export interface TrainingSample {
  /** [size, size, channels] interleaved, preprocessed. */
  pixels: Float32Array;
  /** One 0/1 target per class. */
  targets: Float32Array;
  /** One 0/1 weight per class (0 = unknown for that class). */
  weights: Float32Array;
}

export interface SampleSet {
  readonly count: number;
  /** Loads sample i (0 ≤ i < count). */
  get(index: number): Promise<TrainingSample>;
  /**
   * A cheap name (SHA-256 hex) for where sample i's pixels come from, equal only while they
   * would read the same; null or absent when unknown. Lets background preparation skip reading
   * and hashing crops it has met before (cropDigestMemo.ts); never used for training itself.
   */
  source?(index: number): string | null;
}

/** A SampleSet over samples held in memory. */
export function inMemorySampleSet(samples: readonly TrainingSample[]): SampleSet {
  return {
    count: samples.length,
    get: async (i) => {
      const s = samples[i];
      if (!s) throw new RangeError(`no sample ${i} of ${samples.length}`);
      return s;
    },
  };
}

// Sums of per-channel vectors across the shard workers of one data-parallel training step
// (batch norm's full-batch statistics and their gradients, see syncBatchNorm.ts).
//
// What is summed is one row per crop ([n, C]: each crop's own sum), and the rows are added in
// float64 in the order of the crops in the batch, then rounded once. A crop's row is the same
// bits whichever worker computes it, so the statistics, hence every activation of the forward
// pass, are the same bits for any number of workers: only the parameter gradients' sums over
// crops round differently. (Summing per-worker partials instead made one worker and two
// disagree at the ReLU kink: a channel that is constant over the batch normalises to ±1e-7,
// whose sign decided whether its whole gradient flowed.)
//
// Why synchronous: the sums are needed in the middle of a forward pass and of a backward pass
// that tfjs runs as one synchronous call (tf.variableGrads), so a worker cannot await a message.
// The workers share one SharedArrayBuffer: each writes its crops' rows into its own slot, waits
// at a barrier (Atomics), then every worker adds the slots' rows in worker order 0, 1, …, W−1
// (= batch order: shards are contiguous). Every worker gets the same bits, and the result does
// not depend on which worker arrives first.
//
// Slots alternate between two banks (by reduction parity), so one barrier per reduction is
// enough: a worker can only write bank b again after the next barrier, which every worker
// reaches only once it has finished reading bank b.
import * as tf from '@tensorflow/tfjs-core';

/** Reduces per-crop rows to the full batch's per-channel sum. */
export interface Reducer {
  /** Workers taking part (1: nothing to share). */
  readonly workers: number;
  /** True for exactly one worker of the step (worker 0): it reports values all workers share. */
  readonly leader: boolean;
  /** The sum over every crop of the batch ([n, C] rows of this worker → [C]; a new tensor). */
  sum(rows: tf.Tensor2D): tf.Tensor1D;
}

/** Adds rows [n × c] (row-major) in order, in float64, into `acc`. */
function addRows(acc: Float64Array, rows: Float32Array, c: number): void {
  for (let r = 0; r < rows.length; r += c) for (let k = 0; k < c; k++) acc[k] = (acc[k] as number) + (rows[r + k] as number);
}

/** One worker on a CPU backend: the same ordered float64 sum as the shared reducer. */
export const ORDERED_LOCAL_REDUCER: Reducer = {
  workers: 1,
  leader: true,
  sum(rows) {
    const c = rows.shape[1];
    const acc = new Float64Array(c);
    addRows(acc, rows.dataSync() as Float32Array, c);
    return tf.tensor1d(Float32Array.from(acc), 'float32');
  },
};

/** One worker on a GPU backend: no readback (nothing else shares the batch). */
export const TENSOR_REDUCER: Reducer = {
  workers: 1,
  leader: true,
  sum: (rows) => tf.sum(rows, 0),
};

/** Floats one worker's rows may take in one reduction: crops per shard × 2 × 256 channels. */
export const REDUCER_CAPACITY = 64 * 512;

// Control words (Int32 view).
const GENERATION = 0;
const ARRIVED = 1;
const ABORTED = 2;
const CONTROL_WORDS = 4;
/** Per bank and worker: rows written (Int32 words after the control words). */
function countWords(workers: number): number {
  return 2 * workers;
}
/** Wait in slices so that an abort, or a terminate() of this thread, is noticed promptly. */
const WAIT_SLICE_MS = 50;

export class ReducerAbortedError extends Error {
  constructor() {
    super('another training worker stopped during the step');
  }
}

/** The shared memory of a reducer for `workers` workers; handed to every worker. */
export function createReducerBuffer(workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer((CONTROL_WORDS + countWords(workers)) * 4 + 2 * workers * REDUCER_CAPACITY * 4);
}

/** Tells every worker waiting at (or later reaching) a barrier to give up: a worker died. */
export function abortReducer(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, CONTROL_WORDS);
  Atomics.store(control, ABORTED, 1);
  Atomics.notify(control, GENERATION);
}

/** Clears an abort (the coordinator, before reusing the buffer after a failed step). */
export function resetReducer(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, CONTROL_WORDS);
  Atomics.store(control, ARRIVED, 0);
  Atomics.store(control, ABORTED, 0);
}

export class SharedReducer implements Reducer {
  private readonly control: Int32Array;
  private readonly counts: Int32Array;
  private readonly slots: Float32Array;
  private reductions = 0;
  readonly leader: boolean;

  constructor(
    buffer: SharedArrayBuffer,
    readonly workers: number,
    private readonly index: number,
  ) {
    if (index < 0 || index >= workers) throw new Error(`worker index ${index} out of range for ${workers} workers`);
    this.leader = index === 0;
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.counts = new Int32Array(buffer, CONTROL_WORDS * 4, countWords(workers));
    this.slots = new Float32Array(buffer, (CONTROL_WORDS + countWords(workers)) * 4, 2 * workers * REDUCER_CAPACITY);
  }

  sum(rows: tf.Tensor2D): tf.Tensor1D {
    const [n, c] = rows.shape;
    const values = rows.dataSync() as Float32Array;
    if (values.length > REDUCER_CAPACITY) throw new Error(`a reduction of ${n}×${c} values exceeds the reducer's ${REDUCER_CAPACITY}`);
    const bank = (this.reductions++ % 2) * this.workers;
    // Row count first, so partners know how many rows each slot holds (shards may differ by one).
    this.counts[bank + this.index] = n;
    this.slots.set(values, (bank + this.index) * REDUCER_CAPACITY);
    this.barrier();
    const acc = new Float64Array(c);
    for (let w = 0; w < this.workers; w++) {
      const start = (bank + w) * REDUCER_CAPACITY;
      addRows(acc, this.slots.subarray(start, start + (this.counts[bank + w] as number) * c), c);
    }
    return tf.tensor1d(Float32Array.from(acc), 'float32');
  }

  private barrier(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.load(this.control, ABORTED)) throw new ReducerAbortedError();
    if (Atomics.add(this.control, ARRIVED, 1) + 1 === this.workers) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (Atomics.load(this.control, ABORTED)) throw new ReducerAbortedError();
      Atomics.wait(this.control, GENERATION, generation, WAIT_SLICE_MS);
    }
  }
}

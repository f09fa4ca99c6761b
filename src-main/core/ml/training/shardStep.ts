// One shard's share of a training step: forward from the features entering the first
// trainable block (pixels, in mode 'all'), BCE-with-logits, gradients of the trainable
// variables. Run by the training thread itself (one worker) or by each shard worker
// (data-parallel); the shards' losses and gradients add up to the full batch's:
//   loss = Σ_batch w·bce / (nonzero weights in the *batch*)   (tfjs's default reduction)
// so each shard divides its weighted sum by the batch's count, not its own.
import * as tf from '@tensorflow/tfjs-core';
import type { MicraNet } from '../model/micranet';
import { inferenceBlocks, trainFrom } from './blockForward';
import type { Reducer } from './sharedReducer';

export interface ShardInput {
  /** [n, h, w, c]: crops (from = 0) or the frozen features entering block `from`. */
  x: tf.Tensor4D;
  /** Index of the block `x` enters (see blockForward.ts). */
  from: number;
  /** First trainable block (≥ from): blocks in between run in inference mode. */
  trainFrom: number;
  targets: tf.Tensor2D;
  weights: tf.Tensor2D;
  /** [n, 256] dropout multiplier rows of this shard. */
  dropout: tf.Tensor2D;
  /** Crops in the whole batch. */
  batchSize: number;
  /** Nonzero class weights in the whole batch (the loss's denominator). */
  weightCount: number;
}

export interface ShardResult {
  /** This shard's part of the batch loss (they add up). */
  loss: tf.Scalar;
  logits: tf.Tensor2D;
  /** In `vars` order; zeros where a variable does not reach the loss (the conv biases). */
  grads: tf.Tensor[];
}

export function shardGradients(net: MicraNet, vars: readonly tf.Variable[], input: ShardInput, reducer: Reducer): ShardResult {
  // Frozen blocks between the input and the first trainable one: outside the tape.
  const features = input.trainFrom > input.from ? inferenceBlocks(net, input.x, input.from, input.trainFrom) : input.x;
  let logits: tf.Tensor2D | null = null;
  try {
    const { value, grads } = tf.variableGrads(() => {
      const l = trainFrom(net, features, input.trainFrom, { reducer, batchSize: input.batchSize, dropout: input.dropout, updateRunningStats: true });
      logits = tf.keep(l);
      const sum = tf.losses.sigmoidCrossEntropy(input.targets, l, input.weights, 0, tf.Reduction.SUM);
      return (input.weightCount > 0 ? tf.div(sum, input.weightCount) : tf.mul(sum, 0)) as tf.Scalar;
    }, vars as tf.Variable[]);
    const out = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    for (const [name, g] of Object.entries(grads)) if (!vars.some((v) => v.name === name)) g.dispose();
    if (!logits) throw new Error('the forward pass produced no logits');
    return { loss: value, logits, grads: out };
  } finally {
    if (features !== input.x) features.dispose();
  }
}

/**
 * The dropout multipliers of a whole batch ([batch × width], row-major): 0 with probability
 * `rate`, else 1/(1 − rate). Drawn in JS from the step's seed so that every worker count slices
 * the same mask (tf.dropout would draw one per shard shape).
 */
export function dropoutMultipliers(random: () => number, batch: number, width: number, rate: number): Float32Array {
  const keep = 1 - rate;
  const out = new Float32Array(batch * width);
  for (let i = 0; i < out.length; i++) out[i] = random() < rate ? 0 : 1 / keep;
  return out;
}

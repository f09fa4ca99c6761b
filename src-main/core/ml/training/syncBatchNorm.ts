// Training-mode batch norm whose statistics are those of the *whole* batch even when the batch
// is split over workers (PyTorch's SyncBatchNorm, not DataParallel's per-shard statistics).
//
// Why: per-shard statistics make the result depend on the worker count (a batch of 4 split
// 2 + 2 normalises each half by its own mean and variance: different activations, different
// gradients, far beyond float tolerance), and the requirement is that W workers train the
// same weights as one. Exact statistics cost three tiny reductions per block and step
// (Σy, Σ(y − μ)², and in the backward pass [Σdout, Σdout·x̂] together): per-channel vectors of
// ≤ 256 floats through shared memory (sharedReducer.ts).
//
// Forward (N = every pixel of every crop of the full batch, per channel):
//   μ = Σy / N,  σ² = Σ(y − μ)² / N (two passes, like tf.moments),  x̂ = (y − μ)/√(σ² + ε),
//   out = γ·x̂ + β
// Backward, with the full-batch sums G1 = Σdout and G2 = Σdout·x̂:
//   dy = γ/√(σ² + ε) · (dout − G1/N − x̂·G2/N);  dβ = G1, dγ = G2 (reported once, by the leader).
import * as tf from '@tensorflow/tfjs-core';
import { BN_EPSILON } from '../model/architecture';
import type { Reducer } from './sharedReducer';

/** Per-crop sums (the reducer adds the crops in batch order, see sharedReducer.ts). */
const PER_CROP = [1, 2];

export interface BatchStatistics {
  /** Full-batch mean and biased variance per channel (kept tensors: the caller disposes). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Normalises `y` ([n, h, w, c], this worker's shard) with full-batch statistics; `count` is the
 * full batch's n·h·w. `onStatistics` receives the statistics (for the running averages).
 */
export function syncBatchNorm(
  y: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  reducer: Reducer,
  count: number,
  onStatistics?: (s: BatchStatistics) => void,
): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, g, betaIn, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.div(reducer.sum(tf.sum(x, PER_CROP)), count) as tf.Tensor1D;
    const centred = tf.sub(x, mean);
    const variance = tf.div(reducer.sum(tf.sum(tf.square(centred), PER_CROP)), count) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON)) as tf.Tensor1D;
    const xhat = tf.mul(centred, invStd) as tf.Tensor4D;
    if (onStatistics) onStatistics({ mean: tf.keep(mean), variance: tf.keep(variance) });
    save([xhat, invStd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), betaIn),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dout = dy as tf.Tensor4D;
        const [sx, si, sg] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const rowsBeta = tf.sum(dout, PER_CROP) as tf.Tensor2D;
        const rowsGamma = tf.sum(tf.mul(dout, sx), PER_CROP) as tf.Tensor2D;
        const c = rowsBeta.shape[1];
        // One reduction for both sums: [Σdout, Σdout·x̂] of the whole batch.
        const both = reducer.sum(tf.concat([rowsBeta, rowsGamma], 1) as tf.Tensor2D);
        const g1 = tf.slice(both, [0], [c]);
        const g2 = tf.slice(both, [c], [c]);
        const inner = tf.sub(tf.sub(dout, tf.div(g1, count)), tf.mul(sx, tf.div(g2, count)));
        const dyIn = tf.mul(inner, tf.mul(sg, si));
        // dβ, dγ are these full-batch sums: the leader reports them, the others zeros, so the
        // coordinator's sum over workers is exactly the ordered sum whatever the worker count.
        const dBeta = reducer.leader ? g1 : tf.zerosLike(g1);
        const dGamma = reducer.leader ? g2 : tf.zerosLike(g2);
        return [dyIn, dGamma, dBeta];
      },
    };
  });
  return op(y, gamma, beta) as tf.Tensor4D;
}

// MICRA-Net's forward pass split at a block boundary, for training: the frozen blocks of a
// fine-tuning mode run in inference mode (batch norm with the running statistics, folded into
// the convolution and fused with the ReLU, exactly like MicraNet.predict), the trainable ones
// in training mode with full-batch statistics (syncBatchNorm.ts), then the head.
//
// Why frozen blocks use inference-mode batch norm: a frozen block's output must not depend on
// which other crops share its batch, or it could not be computed once per crop and cached
// (featureCache.ts); and its running statistics, which belong to the frozen part of the model,
// stay as the base model had them. Cached and uncached training run this same code.
//
// The conv bias of a training-mode block is left out of the differentiated graph: batch norm
// subtracts the batch mean, which cancels it exactly, so its gradient is exactly zero. Computed
// through the graph it would be rounding noise that Adam turns into lr-sized random steps (and
// that would differ between one worker and two). It still enters the running mean.
import * as tf from '@tensorflow/tfjs-core';
import { BLOCK_NAMES, BN_EPSILON, BN_MOMENTUM, POOL_AFTER, blocksTrainedIn, type BlockName, type FineTuneMode } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import type { Reducer } from './sharedReducer';
import { syncBatchNorm } from './syncBatchNorm';

/** Blocks in order; index BLOCK_COUNT stands for "the head only". */
export const BLOCK_COUNT = BLOCK_NAMES.length;

/** Index of the first trainable block of a mode (BLOCK_COUNT: only the linear layer trains). */
export function firstTrainableBlock(mode: FineTuneMode): number {
  const trained = blocksTrainedIn(mode);
  const first = trained[0];
  return first === undefined ? BLOCK_COUNT : BLOCK_NAMES.indexOf(first);
}

/**
 * Shape [h, w, c] of what enters block `from` for a size × size crop (the frozen features):
 * the previous block's (pooled) output; for the head, the global-max feature as [1, 1, 256].
 */
export function featureShape(net: MicraNet, size: number, from: number): [number, number, number] {
  if (from === 0) return [size, size, net.inChannels];
  if (from === BLOCK_COUNT) return [1, 1, channelsOf(net, BLOCK_NAMES[BLOCK_COUNT - 1] as BlockName)];
  let side = size;
  for (let i = 0; i < from; i++) if (POOL_AFTER.has(BLOCK_NAMES[i] as BlockName)) side /= 2;
  return [side, side, channelsOf(net, BLOCK_NAMES[from - 1] as BlockName)];
}

function channelsOf(net: MicraNet, block: BlockName): number {
  return variable(net, `conv${block}.bias`).shape[0] as number;
}

function variable(net: MicraNet, name: string): tf.Variable {
  const v = net.variables.get(name);
  if (!v) throw new Error(`the network has no variable ${name}`);
  return v;
}

/** Batch norm folded into the conv (MicraNet.predict's formula): w·γ/σ, (b − μ)·γ/σ + β. */
function folded(net: MicraNet, block: BlockName): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const scale = tf.mul(variable(net, `bnorm${block}.weight`), tf.rsqrt(tf.add(variable(net, `bnorm${block}.running_var`), BN_EPSILON)));
  const filter = tf.mul(variable(net, `conv${block}.weight`), scale) as tf.Tensor4D;
  const bias = tf.add(tf.mul(tf.sub(variable(net, `conv${block}.bias`), variable(net, `bnorm${block}.running_mean`)), scale), variable(net, `bnorm${block}.bias`)) as tf.Tensor1D;
  return { filter, bias };
}

/**
 * Inference-mode blocks [from, to) on `x`; with to = BLOCK_COUNT the result is the global-max
 * feature as [n, 1, 1, 256] (what the head takes). No gradient is ever needed through them.
 */
export function inferenceBlocks(net: MicraNet, x: tf.Tensor4D, from: number, to: number): tf.Tensor4D {
  return tf.tidy(() => {
    let h = x;
    for (let i = from; i < to; i++) {
      const name = BLOCK_NAMES[i] as BlockName;
      const { filter, bias } = folded(net, name);
      h = tf.fused.conv2d({ x: h, filter, bias, strides: 1, pad: 'same', activation: 'relu' });
      if (POOL_AFTER.has(name)) h = tf.maxPool(h, 2, 2, 'valid');
    }
    if (to === BLOCK_COUNT && from < BLOCK_COUNT) h = tf.max(h, [1, 2], true) as tf.Tensor4D;
    return h;
  });
}

/** Global max (an identity on [n, 1, 1, c] features) → optional dropout multiplier → linear. */
function head(net: MicraNet, h: tf.Tensor4D, dropout: tf.Tensor2D | null): tf.Tensor2D {
  let feat = tf.max(h, [1, 2]) as tf.Tensor2D;
  if (dropout) feat = tf.mul(feat, dropout);
  return tf.add(tf.matMul(feat, variable(net, 'linear1.weight') as tf.Tensor2D), variable(net, 'linear1.bias')) as tf.Tensor2D;
}

/** Eval-mode logits from the features entering block `from` (validation in frozen modes). */
export function evalFrom(net: MicraNet, h: tf.Tensor4D, from: number): tf.Tensor2D {
  return tf.tidy(() => head(net, inferenceBlocks(net, h, from, BLOCK_COUNT), null));
}

export interface TrainForwardOptions {
  reducer: Reducer;
  /** Crops in the full batch (all workers): batch-norm statistics are over all of them. */
  batchSize: number;
  /** [n, 256] dropout multiplier of this shard's rows (0 or 1/(1 − rate)). */
  dropout: tf.Tensor2D;
  /** Update the trainable blocks' running statistics (PyTorch's train mode). */
  updateRunningStats: boolean;
}

/**
 * Training-mode logits from the features entering block `from` (the first trainable one, or
 * BLOCK_COUNT for the head alone). Differentiable w.r.t. the trainable variables.
 */
export function trainFrom(net: MicraNet, h0: tf.Tensor4D, from: number, o: TrainForwardOptions): tf.Tensor2D {
  let h = h0;
  for (let i = from; i < BLOCK_COUNT; i++) {
    const name = BLOCK_NAMES[i] as BlockName;
    const y = tf.conv2d(h, variable(net, `conv${name}.weight`) as tf.Tensor4D, 1, 'same');
    const count = o.batchSize * (y.shape[1] as number) * (y.shape[2] as number);
    const normalised = syncBatchNorm(y, variable(net, `bnorm${name}.weight`) as tf.Tensor1D, variable(net, `bnorm${name}.bias`) as tf.Tensor1D, o.reducer, count, (s) => {
      if (o.updateRunningStats) updateRunningStats(net, name, s.mean, s.variance, count);
      tf.dispose([s.mean, s.variance]);
    });
    h = tf.relu(normalised) as tf.Tensor4D;
    if (POOL_AFTER.has(name)) h = tf.maxPool(h, 2, 2, 'valid');
  }
  return head(net, h, o.dropout);
}

/** PyTorch's update: momentum 0.1, the biased variance normalises but the unbiased one is tracked. */
function updateRunningStats(net: MicraNet, name: BlockName, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number): void {
  tf.tidy(() => {
    const runningMean = variable(net, `bnorm${name}.running_mean`);
    const runningVar = variable(net, `bnorm${name}.running_var`);
    // The batch mean was taken without the conv bias (see the top of this file): add it back.
    const fullMean = tf.add(mean, variable(net, `conv${name}.bias`));
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - BN_MOMENTUM), tf.mul(fullMean, BN_MOMENTUM)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
  });
}

/** State_dict names of the trainable variables of a mode, in MicraNet.trainableVariables' order. */
export function trainableNames(mode: FineTuneMode): string[] {
  const names: string[] = [];
  for (const block of blocksTrainedIn(mode)) names.push(`conv${block}.weight`, `conv${block}.bias`, `bnorm${block}.weight`, `bnorm${block}.bias`);
  names.push('linear1.weight', 'linear1.bias');
  return names;
}

/** Running statistics a training step updates in a mode (those of the trainable blocks). */
export function runningStatNames(mode: FineTuneMode): string[] {
  return blocksTrainedIn(mode).flatMap((block) => [`bnorm${block}.running_mean`, `bnorm${block}.running_var`]);
}

/** The variables whose values a training step changes in a mode: trainable ones and running statistics. */
export function changedByStep(mode: FineTuneMode): string[] {
  return [...trainableNames(mode), ...runningStatNames(mode)];
}

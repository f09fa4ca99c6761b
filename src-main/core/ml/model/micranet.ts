// MICRA-Net in TensorFlow.js, numerically equivalent to the PyTorch reference (see
// shared/fixtures/micranet-reference/README.md): eight conv3×3 → batch norm → ReLU blocks,
// 2×2 max pools after 1b/2b/3b, global max pool, dropout, linear.
//
// Tensors are NHWC. Parameters are tf.Variables keyed by their PyTorch state_dict names, but
// stored in TF layouts (conv [3,3,in,out], linear [256,classes]); weights/ converts layouts.
//
// Three forward paths, because each use has a different best shape:
//  - predict: batch norm folded into the conv weights + ReLU fused into the conv (one pass per
//    block instead of three); no gradients needed.
//  - forwardWithActivations: unfused eval forward keeping each block output, differentiable
//    w.r.t. activations only (Grad-CAM), which needs only Conv2DBackpropInput.
//  - forwardTrain: batch statistics, running-stat updates (PyTorch semantics), dropout.
import * as tf from '@tensorflow/tfjs-core';
import {
  BLOCK_CHANNELS,
  BLOCK_NAMES,
  BN_EPSILON,
  BN_MOMENTUM,
  DROPOUT_RATE,
  FEATURE_WIDTH,
  POOL_AFTER,
  SIZE_MULTIPLE,
  blocksTrainedIn,
  type BlockName,
  type FineTuneMode,
} from './architecture';

export interface MicraNetOptions {
  inChannels: number;
  numClasses: number;
  /** Seed of the PyTorch-style uniform initialisation; random when absent. */
  seed?: number;
}

export interface ForwardTrainOptions {
  /** Seed for the dropout mask (tests compare backends with the same mask). */
  dropoutSeed?: number;
  /** Update batch-norm running statistics (default true, like PyTorch's train mode). */
  updateRunningStats?: boolean;
}

export interface ActivationsResult {
  logits: tf.Tensor2D;
  /** The 8 block outputs after ReLU (before pooling), NHWC. */
  activations: tf.Tensor4D[];
}

interface BlockParams {
  convWeight: tf.Variable; // [3,3,in,out]
  convBias: tf.Variable; // [out]
  bnWeight: tf.Variable; // gamma [out]
  bnBias: tf.Variable; // beta [out]
  runningMean: tf.Variable; // [out], not trainable
  runningVar: tf.Variable; // [out], not trainable
}

export class MicraNet {
  readonly inChannels: number;
  readonly numClasses: number;
  /** Every parameter and buffer, keyed by PyTorch state_dict name, in TF layout. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly blocks: ReadonlyMap<BlockName, BlockParams>;
  private readonly linearWeight: tf.Variable; // [256, classes]
  private readonly linearBias: tf.Variable; // [classes]
  private disposed = false;

  constructor(opts: MicraNetOptions) {
    if (!Number.isInteger(opts.inChannels) || opts.inChannels < 1) throw new Error(`inChannels must be a positive integer, got ${opts.inChannels}`);
    if (!Number.isInteger(opts.numClasses) || opts.numClasses < 1) throw new Error(`numClasses must be a positive integer, got ${opts.numClasses}`);
    this.inChannels = opts.inChannels;
    this.numClasses = opts.numClasses;
    let seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
    // PyTorch's default init for Conv2d/Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
    const uniform = (shape: number[], fanIn: number): tf.Variable => {
      const bound = 1 / Math.sqrt(fanIn);
      return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed++), true);
    };
    const variables = new Map<string, tf.Variable>();
    const blocks = new Map<BlockName, BlockParams>();
    let inC = opts.inChannels;
    for (const name of BLOCK_NAMES) {
      const outC = BLOCK_CHANNELS[name];
      const p: BlockParams = {
        convWeight: uniform([3, 3, inC, outC], inC * 9),
        convBias: uniform([outC], inC * 9),
        bnWeight: tf.variable(tf.ones([outC]), true),
        bnBias: tf.variable(tf.zeros([outC]), true),
        runningMean: tf.variable(tf.zeros([outC]), false),
        runningVar: tf.variable(tf.ones([outC]), false),
      };
      blocks.set(name, p);
      variables.set(`conv${name}.weight`, p.convWeight);
      variables.set(`conv${name}.bias`, p.convBias);
      variables.set(`bnorm${name}.weight`, p.bnWeight);
      variables.set(`bnorm${name}.bias`, p.bnBias);
      variables.set(`bnorm${name}.running_mean`, p.runningMean);
      variables.set(`bnorm${name}.running_var`, p.runningVar);
      inC = outC;
    }
    this.linearWeight = uniform([FEATURE_WIDTH, opts.numClasses], FEATURE_WIDTH);
    this.linearBias = uniform([opts.numClasses], FEATURE_WIDTH);
    variables.set('linear1.weight', this.linearWeight);
    variables.set('linear1.bias', this.linearBias);
    this.blocks = blocks;
    this.variables = variables;
  }

  /** Eval-mode logits [N, classes] through the folded, fused inference path. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => this.head(this.inferenceTrunk(x), null));
  }

  /**
   * Eval-mode logits and, at no cost beyond the forward pass, the Grad-CAM map of block 4b for
   * `classIndex` [N, H/8, W/8]. The head is a global max pool and a linear layer, so the
   * gradient of the class logit w.r.t. channel k of block 4b is W[k, c] at the channel's
   * maximum and 0 elsewhere: Grad-CAM's weight (its spatial mean) is W[k, c] / (H·W) without a
   * backward pass, and the map is ReLU(Σ_k W[k, c] / (H·W) · A_k), as gradCamAllBlocks gives.
   */
  predictWithCam(x: tf.Tensor4D, classIndex: number): { logits: tf.Tensor2D; cam: tf.Tensor3D } {
    this.checkInput(x);
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= this.numClasses) {
      throw new Error(`class index ${classIndex} is out of range (model has ${this.numClasses} classes)`);
    }
    return tf.tidy(() => {
      const h = this.inferenceTrunk(x);
      const [n, hh, ww, c] = h.shape;
      const weight = tf.div(tf.slice(this.linearWeight as tf.Tensor2D, [0, classIndex], [c, 1]), hh * ww) as tf.Tensor2D;
      const cam = tf.relu(tf.reshape(tf.matMul(tf.reshape(h, [n * hh * ww, c]), weight), [n, hh, ww])) as tf.Tensor3D;
      return { logits: this.head(h, null), cam };
    });
  }

  /** The folded, fused eval-mode blocks: block 4b's output [N, H/8, W/8, 256]. */
  private inferenceTrunk(x: tf.Tensor4D): tf.Tensor4D {
    let h: tf.Tensor4D = x;
    for (const name of BLOCK_NAMES) {
      const { filter, bias } = this.foldedBlock(name);
      h = tf.fused.conv2d({ x: h, filter, bias, strides: 1, pad: 'same', activation: 'relu' });
      if (POOL_AFTER.has(name)) h = tf.maxPool(h, 2, 2, 'valid');
    }
    return h;
  }

  /**
   * Eval-mode forward keeping every block output (after ReLU, before any pool). `taps`
   * (optional, one per block, shape [C], normally zeros) are added to what each block passes on
   * (its output, or its pooled output): the gradient of a logit w.r.t. tap k is the spatial sum
   * of the gradient w.r.t. block k's output, which is all Grad-CAM needs, without
   * differentiating w.r.t. the full activation tensors.
   * The caller owns (and disposes) the returned tensors.
   */
  forwardWithActivations(x: tf.Tensor4D, taps?: readonly tf.Tensor[]): ActivationsResult {
    this.checkInput(x);
    if (taps && taps.length !== BLOCK_NAMES.length) throw new Error(`expected ${BLOCK_NAMES.length} taps, got ${taps.length}`);
    const activations: tf.Tensor4D[] = [];
    const logits = tf.tidy(() => {
      let h: tf.Tensor4D = x;
      BLOCK_NAMES.forEach((name, i) => {
        const p = this.blockParams(name);
        const conv = tf.conv2d(h, p.convWeight as tf.Tensor4D, 1, 'same');
        // (conv + b − mean)·γ/σ + β: the conv bias is folded into the mean (one pass fewer).
        const a: tf.Tensor4D = tf.relu(
          tf.batchNorm(conv, tf.sub(p.runningMean, p.convBias), p.runningVar, p.bnBias, p.bnWeight, BN_EPSILON),
        ) as tf.Tensor4D;
        activations.push(tf.keep(a));
        h = POOL_AFTER.has(name) ? tf.maxPool(a, 2, 2, 'valid') : a;
        // After a pool the tap goes on the pooled map: max pooling routes each output's
        // gradient to exactly one input, so the spatial sums agree with PyTorch's, whereas the
        // wasm backend's MaxPoolGrad also credits tied maxima (the zeros left by the ReLU).
        const tap = taps?.[i];
        if (tap) h = tf.add(h, tap) as tf.Tensor4D;
      });
      return this.head(h, null);
    });
    return { logits, activations };
  }

  /** Training-mode logits: batch statistics, running-stat updates (momentum 0.1), dropout 0.5. */
  forwardTrain(x: tf.Tensor4D, opts: ForwardTrainOptions = {}): tf.Tensor2D {
    this.checkInput(x);
    const update = opts.updateRunningStats ?? true;
    return tf.tidy(() => {
      let h: tf.Tensor4D = x;
      for (const name of BLOCK_NAMES) {
        const p = this.blockParams(name);
        const y = tf.add(tf.conv2d(h, p.convWeight as tf.Tensor4D, 1, 'same'), p.convBias) as tf.Tensor4D;
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        h = tf.relu(tf.batchNorm(y, mean, variance, p.bnBias, p.bnWeight, BN_EPSILON)) as tf.Tensor4D;
        if (update) {
          // PyTorch normalises with the biased variance but tracks the unbiased one.
          const n = y.shape[0] * y.shape[1] * y.shape[2];
          const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
          p.runningMean.assign(tf.add(tf.mul(p.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
          p.runningVar.assign(tf.add(tf.mul(p.runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
        }
        if (POOL_AFTER.has(name)) h = tf.maxPool(h, 2, 2, 'valid');
      }
      return this.head(h, { seed: opts.dropoutSeed });
    });
  }

  /** The variables an optimiser should update in a fine-tuning mode (running stats never). */
  trainableVariables(mode: FineTuneMode): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const name of blocksTrainedIn(mode)) {
      const p = this.blockParams(name);
      out.push(p.convWeight, p.convBias, p.bnWeight, p.bnBias);
    }
    out.push(this.linearWeight, this.linearBias);
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables.values()) v.dispose();
  }

  /** Global max pool → (dropout) → linear. */
  private head(h: tf.Tensor4D, dropout: { seed: number | undefined } | null): tf.Tensor2D {
    let feat: tf.Tensor2D = tf.max(h, [1, 2]);
    if (dropout) feat = tf.dropout(feat, DROPOUT_RATE, undefined, dropout.seed) as tf.Tensor2D;
    return tf.add(tf.matMul(feat, this.linearWeight as tf.Tensor2D), this.linearBias) as tf.Tensor2D;
  }

  /** Batch norm folded into the conv: w' = w·γ/σ, b' = (b − μ)·γ/σ + β (per output channel). */
  private foldedBlock(name: BlockName): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
    const p = this.blockParams(name);
    const scale = tf.mul(p.bnWeight, tf.rsqrt(tf.add(p.runningVar, BN_EPSILON))) as tf.Tensor1D;
    const filter = tf.mul(p.convWeight, scale) as tf.Tensor4D;
    const bias = tf.add(tf.mul(tf.sub(p.convBias, p.runningMean), scale), p.bnBias) as tf.Tensor1D;
    return { filter, bias };
  }

  private blockParams(name: BlockName): BlockParams {
    if (this.disposed) throw new Error('MicraNet has been disposed');
    const p = this.blocks.get(name);
    if (!p) throw new Error(`unknown block ${name}`);
    return p;
  }

  private checkInput(x: tf.Tensor4D): void {
    if (this.disposed) throw new Error('MicraNet has been disposed');
    const [, h, w, c] = x.shape;
    if (c !== this.inChannels) throw new Error(`input has ${c} channels, the model expects ${this.inChannels}`);
    if (h % SIZE_MULTIPLE !== 0 || w % SIZE_MULTIPLE !== 0 || h === 0 || w === 0) {
      throw new Error(`input size ${h}×${w} must be a positive multiple of ${SIZE_MULTIPLE}`);
    }
  }
}

export function createMicraNet(opts: MicraNetOptions): MicraNet {
  return new MicraNet(opts);
}

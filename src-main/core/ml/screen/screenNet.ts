// The sweep screen in TensorFlow.js (architecture: screenArchitecture.ts). One forward serves
// inference and distillation (it is differentiable); tensors are NHWC, conv weights in TF layout
// [3,3,in,out]. It uses only ops every backend has (avgPool, conv2d, maxPool, max, matMul), so it
// runs on wasm, webgpu and cpu alike.
import * as tf from '@tensorflow/tfjs-core';
import { POOL_AFTER, screenSizeMultiple, type ScreenShape } from './screenArchitecture';
import { mulberry32, type Random } from '../training/seededRandom';

export interface ScreenLayer {
  filter: tf.Variable; // [3,3,in,out]
  bias: tf.Variable; // [out]
}

/** A normal deviate from a seeded uniform stream (Box–Muller). */
function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export class ScreenNet {
  readonly shape: ScreenShape;
  readonly convs: readonly ScreenLayer[];
  readonly linearWeight: tf.Variable; // [last width, classes]
  readonly linearBias: tf.Variable; // [classes]
  private disposed = false;

  /** He-initialised from `seed` (a seeded JS stream: the same weights on every backend). */
  constructor(shape: ScreenShape, seed: number) {
    if (shape.widths.length === 0) throw new Error('a screen needs at least one conv block');
    this.shape = { ...shape, widths: [...shape.widths] };
    const random = mulberry32(seed);
    const convs: ScreenLayer[] = [];
    let inC = shape.inChannels;
    for (const out of shape.widths) {
      const std = Math.sqrt(2 / (inC * 9));
      const w = Float32Array.from({ length: 9 * inC * out }, () => normal(random) * std);
      convs.push({ filter: tf.variable(tf.tensor4d(w, [3, 3, inC, out]), true), bias: tf.variable(tf.zeros([out]), true) });
      inC = out;
    }
    const bound = 1 / Math.sqrt(inC);
    const lw = Float32Array.from({ length: inC * shape.numClasses }, () => (random() * 2 - 1) * bound);
    this.convs = convs;
    this.linearWeight = tf.variable(tf.tensor2d(lw, [inC, shape.numClasses]), true);
    this.linearBias = tf.variable(tf.zeros([shape.numClasses]), true);
  }

  get variables(): tf.Variable[] {
    return [...this.convs.flatMap((c) => [c.filter, c.bias]), this.linearWeight, this.linearBias];
  }

  /** The crop averaged down to the screen's input: [N, S/d, S/d, C]. */
  downsample(x: tf.Tensor4D): tf.Tensor4D {
    this.check(x);
    const d = this.shape.downsample;
    return d === 1 ? x : tf.avgPool(x, d, d, 'valid');
  }

  /**
   * Logits [N, classes] of already downsampled inputs (what distillation trains on). `fused`
   * (inference) runs conv + bias + ReLU as one kernel; training takes the plain ops' gradients.
   */
  forwardSmall(small: tf.Tensor4D, fused = false): tf.Tensor2D {
    return tf.tidy(() => {
      let h = small;
      this.convs.forEach((c, i) => {
        const filter = c.filter as tf.Tensor4D;
        h = fused
          ? tf.fused.conv2d({ x: h, filter, bias: c.bias, strides: 1, pad: 'same', activation: 'relu' })
          : (tf.relu(tf.add(tf.conv2d(h, filter, 1, 'same'), c.bias)) as tf.Tensor4D);
        if (POOL_AFTER.has(i)) h = tf.maxPool(h, 2, 2, 'valid');
      });
      const feat = tf.max(h, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(feat, this.linearWeight as tf.Tensor2D), this.linearBias) as tf.Tensor2D;
    });
  }

  /** Logits [N, classes] of full-size crops [N, S, S, C] (S a multiple of screenSizeMultiple). */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.forwardSmall(this.downsample(x), true));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables) v.dispose();
  }

  private check(x: tf.Tensor4D): void {
    if (this.disposed) throw new Error('the screen has been disposed');
    const [, h, w, c] = x.shape;
    const m = screenSizeMultiple(this.shape);
    if (c !== this.shape.inChannels) throw new Error(`input has ${c} channels, the screen expects ${this.shape.inChannels}`);
    if (h === 0 || w === 0 || h % m !== 0 || w % m !== 0) throw new Error(`input size ${h}×${w} must be a positive multiple of ${m} for the screen`);
  }
}

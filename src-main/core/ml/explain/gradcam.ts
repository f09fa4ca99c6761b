// Grad-CAM of one class at all eight blocks from ONE forward and ONE backward pass.
//
// Reference semantics: alpha_k = spatial mean of d(logit)/d(A_k) per channel; map = Σ_k alpha_k·A_k
// at the block's own resolution; only block 4b goes through a ReLU; no normalisation.
// Only the spatial sums of the gradients are needed, so instead of differentiating w.r.t. the
// (large) activation tensors we differentiate w.r.t. a zero per-channel "tap" added to each
// activation: d(logit)/d(tap_k) = Σ_{y,x} d(logit)/d(A_k)[y,x,k].
import * as tf from '@tensorflow/tfjs-core';
import { BLOCK_CHANNELS, BLOCK_NAMES } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import { registerNodeGradients } from '../kernels';

export interface GradCamResult {
  /** All class logits of the (single) input. */
  logits: Float32Array;
  /** One map per block (1a…4b), row-major at the block's native resolution. */
  maps: Float32Array[];
  /** [height, width] of each map. */
  sizes: [number, number][];
  /** Per-channel alpha of each block (diagnostics: the fixture has them too). */
  alphas: Float32Array[];
}

/**
 * Reads back with `await data()`: a GPU backend (webgpu) cannot read synchronously, and the wait
 * lets the event loop run.
 */
export async function gradCamAllBlocks(net: MicraNet, x: tf.Tensor4D, classIndex: number): Promise<GradCamResult> {
  if (x.shape[0] !== 1) throw new Error(`Grad-CAM takes one image at a time, got a batch of ${x.shape[0]}`);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= net.numClasses) {
    throw new Error(`class index ${classIndex} is out of range (model has ${net.numClasses} classes)`);
  }
  // tfjs-core's Node build ships without gradient functions; this registers the ones we need.
  registerNodeGradients();
  const taps = BLOCK_NAMES.map((name) => tf.zeros([BLOCK_CHANNELS[name]]));
  let activations: tf.Tensor4D[] = [];
  let logits: tf.Tensor2D | null = null;
  let tapGrads: tf.Tensor[] = [];
  // The class logit as Σ logits·onehot (Multiply/Sum have gradients everywhere; Slice may not).
  const onehotValues = new Float32Array(net.numClasses);
  onehotValues[classIndex] = 1;
  const onehot = tf.tensor2d(onehotValues, [1, net.numClasses]);
  try {
    tapGrads = tf.grads((...t: tf.Tensor[]) => {
      const r = net.forwardWithActivations(x, t);
      activations = r.activations;
      logits = tf.keep(r.logits);
      return tf.sum(tf.mul(r.logits, onehot));
    })(taps);
    const sizes: [number, number][] = [];
    const pending: tf.Tensor[] = [];
    try {
      activations.forEach((a, i) => {
        const [, h, w, c] = a.shape;
        const grad = tapGrads[i] as tf.Tensor;
        const [alpha, map] = tf.tidy(() => {
          const alpha = tf.div(grad, h * w);
          let m: tf.Tensor = tf.matMul(tf.reshape(a, [h * w, c]), tf.reshape(alpha, [c, 1]));
          if (i === BLOCK_NAMES.length - 1) m = tf.relu(m);
          return [alpha, m];
        });
        pending.push(alpha, map);
        sizes.push([h, w]);
      });
      const values = (await Promise.all(pending.map((t) => t.data()))) as Float32Array[];
      const alphas = values.filter((_, k) => k % 2 === 0);
      const maps = values.filter((_, k) => k % 2 === 1);
      const logitValues = (await (logits as tf.Tensor2D | null)?.data()) as Float32Array;
      return { logits: Float32Array.from(logitValues), maps, sizes, alphas };
    } finally {
      tf.dispose(pending);
    }
  } finally {
    tf.dispose(taps);
    onehot.dispose();
    tf.dispose(tapGrads);
    tf.dispose(activations);
    if (logits) tf.dispose(logits);
  }
}

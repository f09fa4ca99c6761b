// Shared helper of the binary-op gradients: a gradient computed at the broadcast output shape
// is summed back over the axes an input was broadcast along, then given that input's shape.
import * as tf from '@tensorflow/tfjs-core';

export function unbroadcast(grad: tf.Tensor, inputShape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(inputShape, outShape);
  const reduced = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(reduced, inputShape);
}

export function broadcastShape(a: tf.Tensor, b: tf.Tensor): number[] {
  return tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
}

/** The input tensors saved on the tape, in `inputsToSave` order; fails loudly when absent. */
export function saved(tensors: tf.Tensor[], count: number): tf.Tensor[] {
  if (tensors.length < count) throw new Error(`gradient expected ${count} saved tensors, got ${tensors.length}`);
  return tensors;
}

// Eval-mode class probabilities (sigmoid of the logits) of every crop of a set, in batches.
import * as tf from '@tensorflow/tfjs-core';
import type { MicraNet } from '../model/micranet';
import type { SampleSet } from '../training/trainingSet';

/** [count × classes] row-major probabilities. */
export async function predictProbabilities(net: MicraNet, set: SampleSet, size: number, batchSize = 4): Promise<Float32Array> {
  const classes = net.numClasses;
  const out = new Float32Array(set.count * classes);
  const per = size * size * net.inChannels;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const px = new Float32Array(n * per);
    for (let i = 0; i < n; i++) px.set((await set.get(start + i)).pixels, i * per);
    const x = tf.tensor4d(px, [n, size, size, net.inChannels]);
    const probs = tf.tidy(() => tf.sigmoid(net.predict(x)));
    out.set((await probs.data()) as Float32Array, start * classes);
    probs.dispose();
    x.dispose();
  }
  return out;
}

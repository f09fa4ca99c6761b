// Eval-mode class probabilities (sigmoid of the logits) of every crop of a set, in batches;
// a cancel is noticed between batches.
import * as tf from '@tensorflow/tfjs-core';
import { checkCancelled } from '../../jobs/jobContext';
import type { MicraNet } from '../model/micranet';
import type { SampleSet } from '../training/trainingSet';

export interface PredictOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the crops scored so far. */
  progress?: (done: number, total: number) => void;
}

/** [count × classes] row-major probabilities. */
export async function predictProbabilities(net: MicraNet, set: SampleSet, size: number, o: PredictOptions = {}): Promise<Float32Array> {
  const batchSize = o.batchSize ?? 4;
  const classes = net.numClasses;
  const out = new Float32Array(set.count * classes);
  const per = size * size * net.inChannels;
  for (let start = 0; start < set.count; start += batchSize) {
    await checkCancelled(o.signal);
    const n = Math.min(batchSize, set.count - start);
    const px = new Float32Array(n * per);
    for (let i = 0; i < n; i++) px.set((await set.get(start + i)).pixels, i * per);
    const x = tf.tensor4d(px, [n, size, size, net.inChannels]);
    const probs = tf.tidy(() => tf.sigmoid(net.predict(x)));
    out.set((await probs.data()) as Float32Array, start * classes);
    probs.dispose();
    x.dispose();
    o.progress?.(start + n, set.count);
  }
  return out;
}

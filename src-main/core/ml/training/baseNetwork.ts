// The network a fine-tuning run starts from: the base's weights, with a classifier head for the
// classes this run learns. Rows of the head (columns of the TF-layout [256, classes] weight)
// follow class names: a class the base knows keeps the base's row, any other starts from the
// seeded fresh initialisation (see baseClassPlan.ts for why). When the classes are the base's,
// in its order, the base's network is used as it is.
import * as tf from '@tensorflow/tfjs-core';
import { createMicraNet, type MicraNet } from '../model/micranet';

export function networkFromBase(base: MicraNet, baseClasses: readonly string[], classes: readonly string[], seed: number): MicraNet {
  if (classes.length === baseClasses.length && classes.every((c, k) => c === baseClasses[k])) return base;
  const net = createMicraNet({ inChannels: base.inChannels, numClasses: classes.length, seed });
  for (const [name, v] of base.variables) if (!name.startsWith('linear')) net.variables.get(name)?.assign(v);
  const rows = classes.map((c) => baseClasses.indexOf(c));
  if (rows.some((j) => j >= 0)) {
    const weight = net.variables.get('linear1.weight') as tf.Variable;
    const bias = net.variables.get('linear1.bias') as tf.Variable;
    const baseWeight = base.variables.get('linear1.weight') as tf.Variable;
    const baseBias = base.variables.get('linear1.bias') as tf.Variable;
    const kept = tf.tensor1d(rows.map((j) => (j >= 0 ? 1 : 0)), 'float32');
    const from = tf.tensor1d(rows.map((j) => Math.max(j, 0)), 'int32');
    tf.tidy(() => {
      const keptColumns = tf.tile(tf.reshape(tf.cast(kept, 'bool'), [1, -1]), [weight.shape[0] as number, 1]);
      weight.assign(tf.where(keptColumns, tf.gather(baseWeight, from, 1), weight));
      bias.assign(tf.where(tf.cast(kept, 'bool'), tf.gather(baseBias, from), bias));
    });
    kept.dispose();
    from.dispose();
  }
  base.dispose();
  return net;
}

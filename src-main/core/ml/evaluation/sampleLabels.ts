// The targets and weights of a whole sample set, class-major per sample: what the evaluation of a
// model's predictions on that set compares against.
import type { SampleSet } from '../training/trainingSet';

export async function labelsOf(set: SampleSet, classes: number): Promise<{ targets: Float32Array; weights: Float32Array }> {
  const targets = new Float32Array(set.count * classes);
  const weights = new Float32Array(set.count * classes);
  for (let i = 0; i < set.count; i++) {
    const s = await set.get(i);
    targets.set(s.targets, i * classes);
    weights.set(s.weights, i * classes);
  }
  return { targets, weights };
}

// The fingerprint of a network's frozen part, blocks [0, to): every variable of those blocks —
// conv weights and biases, batch-norm scales and shifts and the running statistics the
// inference-mode blocks use (blockForward.ts) — hashed like weightsDigest. Two networks with
// the same digest compute the same frozen features, so the persistent feature store
// (featureStore.ts) keys its folders by it: a different base model, or the same one with other
// batch-norm statistics, never reuses another's features. The head and the trainable blocks
// are left out: they change every step and do not enter the frozen features.
import { BLOCK_NAMES } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import { digestOfArrays, type NamedArray } from '../weights/weightsDigest';

const BLOCK_VARIABLES = ['conv%.weight', 'conv%.bias', 'bnorm%.weight', 'bnorm%.bias', 'bnorm%.running_mean', 'bnorm%.running_var'];

/** The variable names of blocks [0, to). */
export function frozenVariableNames(to: number): string[] {
  return BLOCK_NAMES.slice(0, to).flatMap((block) => BLOCK_VARIABLES.map((v) => v.replace('%', block)));
}

/** SHA-256 (hex) of blocks [0, to) of `net`; read with data() (no synchronous readback on GPU backends). */
export async function frozenPartDigest(net: MicraNet, to: number): Promise<string> {
  const arrays: NamedArray[] = [];
  for (const key of frozenVariableNames(to)) {
    const v = net.variables.get(key);
    if (!v) throw new Error(`the network has no variable ${key}`);
    arrays.push({ key, shape: v.shape, data: (await v.data()) as Float32Array });
  }
  return digestOfArrays(arrays);
}

// Distillation: the same crops, teacher scores and seed give the same screen, weight for weight;
// another seed gives another; the screen learns the teacher's ranking (a bright blob: positive),
// and its weights survive the PyTorch-layout round trip through the manifest format.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/core/ml/backend';
import { distillScreen, screenLogits } from '../../../../src-main/core/ml/screen/distillScreen';
import { loadScreen, saveScreen } from '../../../../src-main/core/ml/screen/screenWeights';
import { mulberry32 } from '../../../../src-main/core/ml/training/seededRandom';

const SIZE = 32;

/** Noise crops; half hold a bright 8×8 blob somewhere. The "teacher" logit says which. */
function dataset(count: number, seed: number): { crops: Float32Array[]; teacher: Float32Array[] } {
  const random = mulberry32(seed);
  const crops: Float32Array[] = [];
  const teacher: Float32Array[] = [];
  for (let n = 0; n < count; n++) {
    const crop = Float32Array.from({ length: SIZE * SIZE }, () => 0.3 * random());
    const blob = n % 2 === 0;
    if (blob) {
      const x0 = Math.floor(random() * (SIZE - 8));
      const y0 = Math.floor(random() * (SIZE - 8));
      for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) crop[y * SIZE + x] = 0.9;
    }
    crops.push(crop);
    teacher.push(Float32Array.of(blob ? 4 : -4));
  }
  return { crops, teacher };
}

async function weightsOf(net: { variables: tf.Variable[] }): Promise<number[]> {
  const out: number[] = [];
  for (const v of net.variables) out.push(...((await v.data()) as Float32Array));
  return out;
}

describe('distillScreen', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'micra-screen-'));
  beforeAll(async () => {
    // The engine's CPU backend (seeded results are per backend).
    await initBackend('wasm');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is reproducible for a seed, and another seed gives another screen', async () => {
    const { crops, teacher } = dataset(24, 5);
    const opts = { steps: 6, batchSize: 8, shape: { downsample: 2, widths: [4, 4, 8, 8] } };
    const a = await distillScreen(crops, SIZE, 1, teacher, { ...opts, seed: 42 });
    const b = await distillScreen(crops, SIZE, 1, teacher, { ...opts, seed: 42 });
    const c = await distillScreen(crops, SIZE, 1, teacher, { ...opts, seed: 43 });
    const [wa, wb, wc] = await Promise.all([weightsOf(a), weightsOf(b), weightsOf(c)]);
    expect(wa.length).toBeGreaterThan(0);
    expect(wb).toEqual(wa);
    expect(wc).not.toEqual(wa);
    [a, b, c].forEach((n) => n.dispose());
  }, 120_000);

  it('learns the teacher: held-out positives score above held-out negatives', async () => {
    const train = dataset(32, 7);
    const heldOut = dataset(12, 8);
    let first = NaN;
    let last = NaN;
    const net = await distillScreen(train.crops, SIZE, 1, train.teacher, {
      seed: 1,
      steps: 40,
      batchSize: 8,
      learningRate: 1e-2,
      shape: { downsample: 2, widths: [4, 4, 8, 8] },
      onStep: (step, loss) => {
        if (step === 0) first = loss;
        last = loss;
      },
    });
    expect(last).toBeLessThan(first);
    const logits = (await screenLogits(net, heldOut.crops, SIZE, 1)).map((l) => l[0] as number);
    const pos = logits.filter((_, i) => i % 2 === 0);
    const neg = logits.filter((_, i) => i % 2 === 1);
    expect(Math.min(...pos)).toBeGreaterThan(Math.max(...neg));

    // Saved in PyTorch layouts and loaded back: the same logits.
    const manifest = await saveScreen(net, path.join(dir, 'screen'));
    const loaded = await loadScreen(manifest);
    const again = (await screenLogits(loaded, heldOut.crops, SIZE, 1)).map((l) => l[0] as number);
    again.forEach((v, i) => expect(v).toBeCloseTo(logits[i] as number, 5));
    expect(loaded.shape).toEqual(net.shape);
    net.dispose();
    loaded.dispose();
  }, 180_000);
});

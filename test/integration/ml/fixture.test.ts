// Fidelity of the engine against the PyTorch reference fixture, on the cpu and wasm backends:
// logits within 1e-3 relative, every Grad-CAM map and the PCA map with Pearson r ≥ 0.999,
// precise_mask IoU ≥ 0.95.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_NAMES } from '../../../src-main/core/ml/model/architecture';
import type { MicraNet } from '../../../src-main/core/ml/model/micranet';
import { loadMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { gradCamAllBlocks } from '../../../src-main/core/ml/explain/gradcam';
import { pcaMap } from '../../../src-main/core/ml/explain/pcaMap';
import { emPostprocess, preciseRaw } from '../../../src-main/core/ml/postprocess/emPostprocess';
import { CASES, fixtureArray, fixtureManifest, iou, pearson } from './fixtureCases';
import { TEST_BACKENDS, useBackend } from './tfBackends';

describe.each(TEST_BACKENDS)('MICRA-Net vs the PyTorch reference on %s', (backend) => {
  let net: MicraNet;
  beforeAll(async () => {
    await useBackend(backend);
    net = (await loadMicraNetWeights(fixtureManifest)).net;
  });
  afterAll(() => net.dispose());

  it.each(CASES)('case %i: logits, Grad-CAM of all blocks, PCA map, precise mask', async (c) => {
    const input = await fixtureArray(`case${c}/input`);
    const [h, w] = input.shape as [number, number];
    const x = tf.tensor4d(input.data, [1, h, w, 1]);
    const refLogit = (await fixtureArray(`case${c}/logit`)).data[0] as number;

    const predicted = net.predict(x);
    const fast = (predicted.dataSync() as Float32Array)[0] as number;
    predicted.dispose();
    expect(Math.abs(fast - refLogit)).toBeLessThanOrEqual(1e-3 * Math.abs(refLogit));

    const cam = await gradCamAllBlocks(net, x, 0);
    x.dispose();
    expect(Math.abs((cam.logits[0] as number) - refLogit)).toBeLessThanOrEqual(1e-3 * Math.abs(refLogit));
    for (const [i, block] of BLOCK_NAMES.entries()) {
      const ref = await fixtureArray(`case${c}/gradcam/${block}`);
      expect(cam.sizes[i]).toEqual(ref.shape);
      const r = pearson(cam.maps[i] as Float32Array, ref.data);
      expect(r, `gradcam ${block}: r=${r}`).toBeGreaterThanOrEqual(0.999);
    }

    const pca = pcaMap(cam.maps, cam.sizes, w, h);
    const refPca = await fixtureArray(`case${c}/pca_map`);
    expect(pearson(pca.data, refPca.data)).toBeGreaterThanOrEqual(0.999);

    const raw = preciseRaw(pca);
    expect(pearson(raw.data, (await fixtureArray(`case${c}/precise_raw`)).data)).toBeGreaterThanOrEqual(0.999);
    const mask = emPostprocess(raw);
    const refMask = await fixtureArray(`case${c}/precise_mask`);
    expect(iou(mask.data, refMask.data)).toBeGreaterThanOrEqual(0.95);
    // A full-size case on the cpu backend: over a minute on a loaded 2-core machine.
  }, 180_000);
});

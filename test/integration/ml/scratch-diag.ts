import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './tfBackends';
import { loadMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { gradCamAllBlocks } from '../../../src-main/core/ml/explain/gradcam';
import { BLOCK_NAMES } from '../../../src-main/core/ml/model/architecture';
import { fixtureArray, fixtureManifest, pearson } from './fixtureCases';
const mode = process.argv[2] as 'cpu' | 'wasm';
await useBackend(mode);
const { net } = await loadMicraNetWeights(fixtureManifest);
const input = await fixtureArray('case0/input');
const x = tf.tensor4d(input.data, [1, 256, 256, 1]);
const t0 = Date.now();
const cam = gradCamAllBlocks(net, x, 0);
console.log(mode, 'ms', Date.now() - t0, cam.logits);
for (const [i, b] of BLOCK_NAMES.entries()) {
  const ra = pearson(cam.alphas[i]!, (await fixtureArray(`case0/alpha/${b}`)).data);
  const rm = pearson(cam.maps[i]!, (await fixtureArray(`case0/gradcam/${b}`)).data);
  console.log(b, 'alpha r', ra.toFixed(6), 'map r', rm.toFixed(6));
}

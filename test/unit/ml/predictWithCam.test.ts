// The sweep locates objects with block 4b's Grad-CAM map taken from the forward pass alone:
// it must equal what the full Grad-CAM (forward and backward) gives for that block.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCamAllBlocks } from '../../../src-main/core/ml/explain/gradcam';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MicraNet.predictWithCam', () => {
  it('gives the logits of predict and the block-4b map of the full Grad-CAM, per crop of a batch', async () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 3 });
    const x = tf.randomUniform([2, 32, 40, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    for (const classIndex of [0, 1]) {
      const { logits, cam } = net.predictWithCam(x, classIndex);
      expect(cam.shape).toEqual([2, 4, 5]);
      const plain = net.predict(x);
      const l = logits.dataSync();
      const p = plain.dataSync();
      for (let i = 0; i < l.length; i++) expect(l[i]).toBeCloseTo(p[i] as number, 5);
      const maps = cam.dataSync();
      for (let n = 0; n < 2; n++) {
        const one = tf.slice(x, [n, 0, 0, 0], [1, 32, 40, 1]) as tf.Tensor4D;
        const full = await gradCamAllBlocks(net, one, classIndex);
        const block4b = full.maps[7]!;
        expect(full.sizes[7]).toEqual([4, 5]);
        const scale = Math.max(...block4b.map(Math.abs), 1e-6);
        for (let i = 0; i < block4b.length; i++) expect(Math.abs((maps[n * 20 + i] as number) - (block4b[i] as number)) / scale).toBeLessThan(1e-4);
        one.dispose();
      }
      tf.dispose([logits, cam, plain]);
    }
    expect(() => net.predictWithCam(x, 2)).toThrow(/out of range/);
    x.dispose();
    net.dispose();
  });
});

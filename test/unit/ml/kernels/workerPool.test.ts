// The engine pool: real MICRA-Net engines in worker threads give the same logits and Grad-CAM
// maps as an in-process engine, in input order; work awaited now goes before work started
// ahead; memory is reported; a crashed worker rejects its work with a clear error; close()
// rejects what is left.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/core/ml/backend';
import { gradCamAllBlocks } from '../../../../src-main/core/ml/explain/gradcam';
import { createMicraNet, type MicraNet } from '../../../../src-main/core/ml/model/micranet';
import { createEnginePool, type EnginePool } from '../../../../src-main/core/ml/workerPool';

const SIZE = 32;
const model = { inChannels: 1, numClasses: 3, seed: 11 };

function crop(seed: number): Float32Array {
  return Float32Array.from({ length: SIZE * SIZE }, (_, i) => Math.abs(Math.sin(seed * 97.3 + i * 0.71)));
}

describe('engine pool', () => {
  let pool: EnginePool;
  let reference: MicraNet;

  beforeAll(async () => {
    await initBackend('wasm');
    reference = createMicraNet(model);
    pool = await createEnginePool({ workers: 2, backend: 'wasm', randomModel: model, cropsPerTask: 2 });
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    reference?.dispose();
  });

  it('reports the backend and model of its workers', () => {
    expect(pool.size).toBe(2);
    expect(pool.backend.name).toBe('wasm');
    expect(pool.numClasses).toBe(3);
  });

  it('returns every crop’s logits in input order, equal to an in-process engine', async () => {
    const crops = [1, 2, 3, 4, 5].map(crop);
    const logits = await pool.predictBatch(crops, SIZE);
    expect(logits).toHaveLength(5);
    crops.forEach((c, i) => {
      const expected = tf.tidy(() => reference.predict(tf.tensor4d(c, [1, SIZE, SIZE, 1])).dataSync());
      const got = logits[i] as Float32Array;
      expect(got).toHaveLength(3);
      for (let k = 0; k < 3; k++) expect(got[k]).toBeCloseTo(expected[k] as number, 4);
    });
  });

  it('computes Grad-CAM maps of every block for every crop', async () => {
    const crops = [6, 7, 8].map(crop);
    const results = await pool.gradCamBatch(crops, SIZE, 1);
    expect(results).toHaveLength(3);
    const x = tf.tensor4d(crops[2] as Float32Array, [1, SIZE, SIZE, 1]);
    const expected = await gradCamAllBlocks(reference, x, 1);
    x.dispose();
    const got = results[2]!;
    expect(got.sizes).toEqual(expected.sizes);
    expect(got.sizes[0]).toEqual([SIZE, SIZE]);
    got.maps.forEach((map, b) => {
      const want = expected.maps[b] as Float32Array;
      const scale = Math.max(1e-6, ...Array.from(want, Math.abs));
      const worst = Math.max(...Array.from(map, (v, i) => Math.abs(v - (want[i] as number))));
      expect(worst / scale).toBeLessThan(1e-4);
    });
  });

  it('reports each worker’s memory', async () => {
    const memory = await pool.memory();
    expect(memory).toHaveLength(2);
    for (const m of memory) {
      expect(m.heapBytes).toBeGreaterThan(1e6);
      expect(m.peakBytes).toBeGreaterThanOrEqual(m.heapBytes);
    }
  });

  it('copies a crop by default, so it can be reused for Grad-CAM; a transferred crop moves without a copy and gives the same results', async () => {
    const reused = crop(21);
    const pristine = Float32Array.from(reused);
    const [forward] = await pool.predictWithCamBatch([reused], SIZE, 1);
    expect(reused).toEqual(pristine);
    const [copied] = await pool.gradCamBatch([reused], SIZE, 1);
    expect(reused).toEqual(pristine);
    // The same crop handed over: the caller's array is emptied, the results are the same.
    const moved = Float32Array.from(pristine);
    const [forwardMoved] = await pool.predictWithCamBatch([moved], SIZE, 1, 'transfer');
    expect(moved.length).toBe(0);
    expect(Array.from(forwardMoved!.logits)).toEqual(Array.from(forward!.logits));
    expect(Array.from(forwardMoved!.cam.data)).toEqual(Array.from(forward!.cam.data));
    const movedAgain = Float32Array.from(pristine);
    const [gradMoved] = await pool.gradCamBatch([movedAgain], SIZE, 1, 'transfer');
    expect(movedAgain.length).toBe(0);
    gradMoved!.maps.forEach((map, b) => expect(Array.from(map)).toEqual(Array.from(copied!.maps[b]!)));
    // A view into a shared buffer is never moved: its neighbours stay intact.
    const shared = new Float32Array(SIZE * SIZE * 2);
    shared.set(pristine, 0);
    shared.set(pristine, SIZE * SIZE);
    const first = shared.subarray(0, SIZE * SIZE);
    const [viaView] = await pool.predictWithCamBatch([first], SIZE, 1, 'transfer');
    expect(first.length).toBe(SIZE * SIZE);
    expect(shared.subarray(SIZE * SIZE)).toEqual(pristine);
    expect(Array.from(viaView!.logits)).toEqual(Array.from(forward!.logits));
  });

  it('serves work awaited now before work started ahead, and each in the order it came', async () => {
    const one = await createEnginePool({ workers: 1, backend: 'wasm', randomModel: model });
    try {
      const order: string[] = [];
      const track = <T>(name: string, work: Promise<T>) => work.then(() => order.push(name));
      // The single engine takes ahead-1 at once; 'now' then jumps the two ahead tasks still queued.
      const done = [
        track('ahead-1', one.predictWithCamBatch([crop(31)], SIZE, 0, 'copy', 'ahead')),
        track('ahead-2', one.predictWithCamBatch([crop(32)], SIZE, 0, 'copy', 'ahead')),
        track('ahead-3', one.predictWithCamBatch([crop(33)], SIZE, 0, 'copy', 'ahead')),
        track('now', one.gradCamBatch([crop(34)], SIZE, 0)),
      ];
      await Promise.all(done);
      expect(order).toEqual(['ahead-1', 'now', 'ahead-2', 'ahead-3']);
      // Ahead work gives the same answer as work awaited now.
      const [ahead] = await one.predictWithCamBatch([crop(35)], SIZE, 2, 'copy', 'ahead');
      const [now] = await one.predictWithCamBatch([crop(35)], SIZE, 2);
      expect(Array.from(ahead!.logits)).toEqual(Array.from(now!.logits));
    } finally {
      await one.close();
    }
  }, 120_000);

  it('rejects a malformed crop before sending it', async () => {
    await expect(pool.predictBatch([new Float32Array(10)], SIZE)).rejects.toThrow(/crop 0 has 10 values/);
  });
});

describe('engine pool supervision', () => {
  it('rejects the work of a crashed worker with a clear error, and closes cleanly', async () => {
    const pool = await createEnginePool({
      workers: 1,
      randomModel: model,
      workerScript: new URL('./fixtures/crashingEngineWorker.mjs', import.meta.url),
    });
    const first = await pool.predictBatch([new Float32Array([0.5])], 1);
    expect(first[0]?.[0]).toBeCloseTo(0.5);
    await expect(pool.predictBatch([new Float32Array([1]), new Float32Array([2])], 1)).rejects.toThrow(
      /engine worker 0 crashed \(exit code 3\)/,
    );
    await expect(pool.predictBatch([new Float32Array([1])], 1)).rejects.toThrow(/every engine worker has crashed/);
    await pool.close();
  });

  it('fails to start with the worker’s own reason', async () => {
    await expect(createEnginePool({ workers: 1, weightsManifest: '/nonexistent/manifest.json' })).rejects.toThrow(
      /engine worker 0 failed to start: .*nonexistent/,
    );
  });
});

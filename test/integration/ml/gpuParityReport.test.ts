// The GPU run's parity verdicts (scripts/gpu/, test/bench/gpu/parityReport.ts) judge right before
// they are trusted on a machine with a GPU: wasm's outputs at the fixture's full 256² pass
// against the PyTorch reference, a spoiled Grad-CAM map fails, and the backend comparison
// passes identical outputs and fails a spoiled gradient.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeParity, type ParityOutputs, type TrainOutputs } from '../../bench/gpu/parityCompute';
import { parityVsFixture, parityVsWasm } from '../../bench/gpu/parityReport';
import { fixtureDir } from './fixtureCases';
import { useBackend } from './tfBackends';

let full: ParityOutputs;
let small: ParityOutputs;

beforeAll(async () => {
  await useBackend('wasm');
  full = await computeParity({ fixtureDir, cases: [0, 1, 2], forwardSize: 256, mapsSize: 256, trainSize: 256, trainBatch: 1, skipTrain: true });
  small = await computeParity({ fixtureDir, cases: [0], forwardSize: 64, mapsSize: 64, trainSize: 64, trainBatch: 1 });
}, 300_000);

describe('the GPU run’s parity report', () => {
  it('passes outputs that match the reference fixture at 256², and fails a spoiled map', async () => {
    const report = await parityVsFixture(full, 256, fixtureDir);
    expect(report).toMatchObject({ compared: true, pass: true });
    const spoiled = structuredClone(full);
    spoiled.cases[1]!.gradcam[3]!.reverse();
    const bad = await parityVsFixture(spoiled, 256, fixtureDir);
    expect(bad).toMatchObject({ compared: true, pass: false });
    expect(await parityVsFixture(small, 64, fixtureDir)).toMatchObject({ compared: false });
  });

  it('passes identical backends and fails a spoiled gradient', () => {
    expect(parityVsWasm(small, small).pass).toBe(true);
    const spoiled = structuredClone(small);
    const grads = (spoiled.train as TrainOutputs).gradients;
    const g = grads['conv3a.weight'] as Float32Array;
    g[0] = (g[0] as number) + 0.1;
    const report = parityVsWasm(spoiled, small);
    expect(report.pass).toBe(false);
    expect(report.train.gradientRelativeErrors['conv3a.weight']).toBeGreaterThan(1e-3);
  });
});

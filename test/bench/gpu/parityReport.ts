// The GPU run's parity verdicts (gpuBench.ts): webgpu's outputs against the PyTorch reference
// fixture's own (where the crops are its whole 256² images) and against the wasm backend on the
// same plan, with the fixture README's tolerances (logits 1e-3 relative, maps Pearson r ≥ 0.999,
// mask IoU ≥ 0.95; gradients 1e-3 of each variable's largest).
import path from 'node:path';
import { BLOCK_NAMES } from '../../../src-main/core/ml/model/architecture';
import { readF32Array, readF32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';
import type { ParityOutputs, TrainOutputs } from './parityCompute';
// The fixture README's comparison measures, one copy for the tests and this report.
import { iou, pearson } from '../../integration/ml/fixtureCases';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

/** webgpu against the fixture's own outputs (only where the crop is the whole 256² image). */
export async function parityVsFixture(gpu: ParityOutputs, size: number, fixtureDir: string) {
  const manifest = await readF32Manifest(path.join(fixtureDir, 'manifest.json'));
  const full = (await readF32Array(manifest, fixtureDir, 'case0/input')).shape[0] === size;
  if (!full) return { compared: false, why: `crops of ${size}² are not the fixture's full images` };
  const cases = [];
  for (const c of gpu.cases) {
    const ref = async (name: string) => (await readF32Array(manifest, fixtureDir, `case${c.case}/${name}`)).data;
    const logit = (await ref('logit'))[0] as number;
    const gradcamR = [];
    for (const [i, block] of BLOCK_NAMES.entries()) gradcamR.push(round(pearson(c.gradcam[i] as Float32Array, await ref(`gradcam/${block}`))));
    const row = {
      case: c.case,
      logit: c.forwardLogits[0] as number,
      referenceLogit: logit,
      logitRelativeError: round(Math.abs((c.forwardLogits[0] as number) - logit) / Math.abs(logit)),
      gradcamLogitRelativeError: round(Math.abs((c.mapsLogits[0] as number) - logit) / Math.abs(logit)),
      gradcamPearson: gradcamR,
      pcaPearson: round(pearson(c.pca, await ref('pca_map'))),
      preciseRawPearson: round(pearson(c.preciseRaw, await ref('precise_raw'))),
      preciseMaskIoU: round(iou(c.preciseMask, await ref('precise_mask'))),
    };
    cases.push({
      ...row,
      // The fixture README's tolerances, the engine's fixture tests' too.
      pass:
        row.logitRelativeError <= 1e-3 &&
        row.gradcamLogitRelativeError <= 1e-3 &&
        gradcamR.every((r) => r >= 0.999) &&
        row.pcaPearson >= 0.999 &&
        row.preciseRawPearson >= 0.999 &&
        row.preciseMaskIoU >= 0.95,
    });
  }
  return { compared: true, cases, pass: cases.every((c) => c.pass) };
}

/** webgpu against wasm on the same plan: the forward, the maps and the training step. */
export function parityVsWasm(gpu: ParityOutputs, cpu: ParityOutputs) {
  const cases = gpu.cases.map((c, i) => {
    const r = cpu.cases[i]!;
    return {
      case: c.case,
      logitRelativeError: round(maxAbsDiff(c.forwardLogits, r.forwardLogits) / maxAbs(r.forwardLogits)),
      gradcamPearsonMin: round(Math.min(...c.gradcam.map((m, b) => pearson(m, r.gradcam[b] as Float32Array)))),
      pcaPearson: round(pearson(c.pca, r.pca)),
      preciseMaskIoU: round(iou(c.preciseMask, r.preciseMask)),
    };
  });
  const g = gpu.train as TrainOutputs;
  const w = cpu.train as TrainOutputs;
  // Blocks 1a–1b (before the first max pool) apart: wasm's MaxPoolGrad credits every tied maximum
  // of a window, which moves their gradients on 8-bit inputs (tfjs cpu, like PyTorch, credits
  // one; webgpu agrees with cpu there to 1e-5 on SwiftShader). A conv bias feeds batch norm: its
  // true gradient is 0 and both backends give rounding noise, so it is left out.
  const errors: Record<string, number> = {};
  for (const [name, ref] of Object.entries(w.gradients)) {
    if (/^conv\w+\.bias$/.test(name)) continue;
    errors[name] = round(maxAbsDiff(g.gradients[name] as Float32Array, ref) / maxAbs(ref));
  }
  const worst = (names: string[]) => Math.max(0, ...names.map((n) => errors[n] as number));
  const block1 = Object.keys(errors).filter((n) => /1[ab]\./.test(n));
  const rest = Object.keys(errors).filter((n) => !block1.includes(n));
  const train = {
    loss: g.loss,
    wasmLoss: w.loss,
    lossRelativeError: round(Math.abs(g.loss - w.loss) / Math.abs(w.loss)),
    gradientRelativeErrorMax: worst(rest),
    gradientRelativeErrorBlock1: worst(block1),
    gradientRelativeErrors: errors,
  };
  const pass =
    cases.every((c) => c.logitRelativeError <= 1e-3 && c.gradcamPearsonMin >= 0.999 && c.pcaPearson >= 0.999 && c.preciseMaskIoU >= 0.95) &&
    train.lossRelativeError <= 1e-3 &&
    train.gradientRelativeErrorMax <= 1e-3;
  return { cases, train, pass };
}

// The webgpu backend on SwiftShader (a software Vulkan driver; CI has no GPU): the chain skips
// the software adapter unless webgpu is forced, and, forced, webgpu computes what the cpu
// backend computes with the reference fixture's weights and inputs — fused forward logits at
// 128², Grad-CAM of every block, the PCA map and the precise mask at 64² (and what wasm
// computes), and one training step at 64² (loss, gradients, weights after Adam) — within the
// fixture README's tolerances (logits 1e-3 relative, maps Pearson r ≥ 0.999, mask IoU ≥ 0.95).
// cpu and wasm meet the same tolerances against the PyTorch reference itself at 256²
// (fixture.test.ts); the GPU figures run (scripts/gpu/) checks webgpu against it at 256² on a
// real GPU. The training step is held to cpu, not wasm: wasm's MaxPoolGrad credits every tied
// maximum of a pooling window, which moves block 1's gradients on 8-bit inputs (measured at 64²,
// batch 3: up to 5e-3 from cpu, where webgpu stays within 1e-5).
// SwiftShader is slow, and so is tfjs's plain-JS cpu backend at training (each about a minute for
// these small inputs on two cores, several on a loaded machine; they run side by side): hence
// the small crops, the one case and the generous timeout.
import { fork } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendInfoSchema, BackendAttemptSchema } from '../../../src-main/core/ml/backendInfo';
import { computeParity, TRAIN_LEARNING_RATE, type ParityOutputs, type ParityPlan, type TrainOutputs } from '../../bench/gpu/parityCompute';
import { fixtureDir, iou, pearson, repoRoot } from './fixtureCases';
import { swiftShader } from './swiftShader';
import { useBackend } from './tfBackends';
import { z } from 'zod';

const PLAN: ParityPlan = { fixtureDir, cases: [0], forwardSize: 128, mapsSize: 64, trainSize: 64, trainBatch: 1 };

const ChildReplySchema = z.object({
  automatic: z.object({ backends: z.array(BackendAttemptSchema), chosen: BackendInfoSchema }),
  forced: BackendInfoSchema,
  outputs: z.custom<ParityOutputs>((v) => typeof v === 'object' && v !== null),
});
type ChildReply = z.infer<typeof ChildReplySchema>;

function runWebGpuChild(env: NodeJS.ProcessEnv): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(repoRoot, 'test/bench/gpu/parityChild.ts'), [JSON.stringify(PLAN)], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let reply: ChildReply | null = null;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m) => (reply = ChildReplySchema.parse(m)));
    child.on('exit', (code) => (reply ? resolve(reply) : reject(new Error(`webgpu child exited with ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** The parity figures of webgpu against a reference, for the log. */
function figures(g: ParityOutputs, r: ParityOutputs) {
  const cases = g.cases.map((c, i) => {
    const ref = r.cases[i]!;
    return {
      forwardLogit: maxAbsDiff(c.forwardLogits, ref.forwardLogits) / maxAbs(ref.forwardLogits),
      gradcamLogit: maxAbsDiff(c.mapsLogits, ref.mapsLogits) / maxAbs(ref.mapsLogits),
      gradcamPearsonMin: Math.min(...c.gradcam.map((m, b) => pearson(m, ref.gradcam[b] as Float32Array))),
      pcaPearson: pearson(c.pca, ref.pca),
      maskIoU: iou(c.preciseMask, ref.preciseMask),
    };
  });
  if (!g.train || !r.train) return { cases };
  let gradient = 0;
  for (const [name, ref] of Object.entries(r.train.gradients)) {
    if (!cancelledByNorm(name)) gradient = Math.max(gradient, maxAbsDiff(g.train.gradients[name] as Float32Array, ref) / maxAbs(ref));
  }
  return { cases, lossRelative: Math.abs(g.train.loss - r.train.loss) / Math.abs(r.train.loss), gradientRelativeMax: gradient };
}

/**
 * A conv bias feeds batch norm, which subtracts the batch mean: its true gradient is 0, and what
 * a backend computes there is rounding noise.
 */
function cancelledByNorm(name: string): boolean {
  return /^conv\w+\.bias$/.test(name);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const sw = swiftShader();

describe.skipIf(sw.env === null)('webgpu on SwiftShader', () => {
  let gpu: ChildReply;
  let cpu: ParityOutputs;
  let wasm: ParityOutputs;

  beforeAll(async () => {
    // The child computes on SwiftShader while this process computes the references.
    const child = runWebGpuChild(sw.env as NodeJS.ProcessEnv);
    await useBackend('wasm');
    wasm = await computeParity({ ...PLAN, skipTrain: true });
    await useBackend('cpu');
    cpu = await computeParity(PLAN);
    gpu = await child;
    console.log(`webgpu parity on SwiftShader: ${JSON.stringify(gpu.outputs.seconds)} s; cpu ${JSON.stringify(cpu.seconds)} s; wasm ${JSON.stringify(wasm.seconds)} s`);
    console.log(`webgpu parity figures: ${JSON.stringify({ cpu: figures(gpu.outputs, cpu), wasm: figures(gpu.outputs, wasm) })}`);
  }, 900_000);

  it('skips a software adapter unless webgpu is forced, saying why', () => {
    const webgpu = gpu.automatic.backends.find((b) => b.name === 'webgpu');
    expect(webgpu).toMatchObject({ available: false, adapter: 'SwiftShader (Vulkan, software)' });
    expect(webgpu?.reason).toBe('only a software adapter (SwiftShader Vulkan) — set MICRA_BACKEND=webgpu to use it');
    expect(gpu.automatic.chosen.name).toBe('wasm');
    expect(gpu.automatic.chosen.reason).toContain('webgpu: only a software adapter (SwiftShader Vulkan)');
    expect(gpu.forced).toMatchObject({ name: 'webgpu', forced: true, reason: '', threads: 1, adapter: 'SwiftShader (Vulkan, software)' });
  });

  it('gives the cpu and wasm backends’ forward logits', () => {
    for (const [name, reference] of [['cpu', cpu], ['wasm', wasm]] as const) {
      for (const [i, c] of gpu.outputs.cases.entries()) {
        const ref = reference.cases[i]!;
        for (const [g, r] of [[c.forwardLogits, ref.forwardLogits], [c.mapsLogits, ref.mapsLogits]] as const) {
          expect(g).toHaveLength(r.length);
          g.forEach((v, k) => expect(Math.abs(v - (r[k] as number)), `${name}, case ${c.case}, logit ${k}: ${v} vs ${r[k]}`).toBeLessThanOrEqual(1e-3 * Math.abs(r[k] as number)));
        }
      }
    }
  });

  it('gives the cpu and wasm backends’ Grad-CAM of every block, PCA map and precise mask', () => {
    for (const [name, reference] of [['cpu', cpu], ['wasm', wasm]] as const) {
      for (const [i, c] of gpu.outputs.cases.entries()) {
        const ref = reference.cases[i]!;
        expect(c.gradcamSizes).toEqual(ref.gradcamSizes);
        c.gradcam.forEach((map, b) => {
          const r = pearson(map, ref.gradcam[b] as Float32Array);
          expect(r, `${name}, case ${c.case}, block ${b}: r=${r}`).toBeGreaterThanOrEqual(0.999);
        });
        expect(pearson(c.pca, ref.pca), `${name} PCA map`).toBeGreaterThanOrEqual(0.999);
        expect(pearson(c.preciseRaw, ref.preciseRaw), `${name} precise_raw`).toBeGreaterThanOrEqual(0.999);
        expect(iou(c.preciseMask, ref.preciseMask), `${name} precise mask`).toBeGreaterThanOrEqual(0.95);
      }
    }
  });

  it('takes the cpu backend’s training step: loss, gradients and updated weights', () => {
    const g = gpu.outputs.train as TrainOutputs;
    const r = cpu.train as TrainOutputs;
    expect(Math.abs(g.loss - r.loss), `loss ${g.loss} vs ${r.loss}`).toBeLessThanOrEqual(1e-3 * Math.abs(r.loss));
    for (const [name, ref] of Object.entries(r.gradients)) {
      const got = g.gradients[name] as Float32Array;
      if (cancelledByNorm(name)) {
        // Zero but for rounding on both backends, next to the same layer's weight gradient.
        const weights = maxAbs(r.gradients[name.replace(/\.bias$/, '.weight')] as Float32Array);
        expect(Math.max(maxAbs(got), maxAbs(ref)) / weights, `gradient of ${name}`).toBeLessThanOrEqual(1e-3);
      } else {
        expect(maxAbsDiff(got, ref) / maxAbs(ref), `gradient of ${name}`).toBeLessThanOrEqual(1e-3);
      }
    }
    // Adam's first step moves a weight by lr·g/(|g| + ε): ±lr wherever the gradient is clearly
    // non-zero, so there the weights must agree; where the gradient is rounding noise its sign,
    // and so the ±lr, may differ between backends.
    for (const [name, ref] of Object.entries(r.weights)) {
      const got = g.weights[name] as Float32Array;
      const grad = r.gradients[name];
      const gradScale = grad ? maxAbs(grad) : 0;
      const off: string[] = [];
      ref.forEach((w, i) => {
        const diff = Math.abs((got[i] as number) - w);
        const determined = !grad || (!cancelledByNorm(name) && Math.abs(grad[i] as number) > 1e-4 * gradScale);
        const allowed = determined ? 1e-6 + 1e-5 * Math.abs(w) : 2 * TRAIN_LEARNING_RATE + 1e-6;
        if (diff > allowed && off.length < 5) off.push(`[${i}] ${got[i]} vs ${w} (gradient ${grad?.[i]})`);
      });
      expect(off, `weights of ${name} after the step`).toEqual([]);
    }
  });
});

if (sw.skip !== null) {
  const why = sw.skip;
  // The end-to-end tests need the same chromium package, so its absence is a setup error, not a pass.
  describe('webgpu on SwiftShader', () => {
    it('finds the SwiftShader Vulkan driver', () => {
      throw new Error(why);
    });
  });
}

// Training checkpoints, in a run's checkpoint folder:
//   last/  every variable (TF layout), Adam's moments and the loop state after the last
//          completed epoch: what resume starts from after a crash, a restart or a cancel;
//   best/  the weights of the epoch with the lowest validation loss, in the engine's weights
//          format (manifest.json + .f32, loadable by loadMicraNetWeights / `micra maps`), and
//          that epoch's validation probabilities (validation-probabilities.json), from which
//          the model's thresholds are chosen without scoring the split again.
// Each is written into a fresh temporary folder and renamed into place, so a crash mid-write
// leaves the previous checkpoint intact.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MicraNet } from '../model/micranet';
import { readF32Array, readF32Manifest, writeF32Manifest, type F32Array } from '../weights/f32Manifest';
import { saveMicraNetWeights } from '../weights/micranetWeights';
import type { ModelCard } from '../weights/modelCard';
import type { Adam, AdamSnapshot } from './adam';
import { EpochMetricsSchema } from './trainingProgress';

export const LoopStateSchema = z.object({
  epochsDone: z.number().int().nonnegative(),
  globalStep: z.number().int().nonnegative(),
  bestValLoss: z.number().nullable(),
  bestEpoch: z.number().int().positive().nullable(),
  epochsSinceBest: z.number().int().nonnegative(),
  history: z.array(EpochMetricsSchema),
  /** Seconds of training before this checkpoint (summed over resumed sessions). */
  seconds: z.number().nonnegative(),
});
export type LoopState = z.infer<typeof LoopStateSchema>;

export const LAST_DIR = 'last';
export const BEST_DIR = 'best';

async function replaceDir(tmp: string, final: string): Promise<void> {
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
}

export async function saveLastCheckpoint(checkpointDir: string, net: MicraNet, adam: Adam, state: LoopState): Promise<void> {
  const arrays = new Map<string, F32Array>();
  for (const [name, v] of net.variables) arrays.set(`var/${name}`, { data: (await v.data()) as Float32Array, shape: v.shape });
  const snap = await adam.snapshot();
  snap.m.forEach((d, i) => arrays.set(`adam/m${i}`, { data: d, shape: [d.length] }));
  snap.v.forEach((d, i) => arrays.set(`adam/v${i}`, { data: d, shape: [d.length] }));
  const tmp = path.join(checkpointDir, `${LAST_DIR}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await writeF32Manifest(tmp, arrays, { state, adamStep: snap.step, adamCount: snap.m.length });
  await replaceDir(tmp, path.join(checkpointDir, LAST_DIR));
}

export function hasLastCheckpoint(checkpointDir: string): boolean {
  return existsSync(path.join(checkpointDir, LAST_DIR, 'manifest.json'));
}

/** Restores variables and optimizer from last/; returns the loop state to continue from. */
export async function loadLastCheckpoint(checkpointDir: string, net: MicraNet, adam: Adam): Promise<LoopState> {
  const dir = path.join(checkpointDir, LAST_DIR);
  const manifest = await readF32Manifest(path.join(dir, 'manifest.json'));
  const state = LoopStateSchema.parse(manifest['state']);
  const count = z.number().int().nonnegative().parse(manifest['adamCount']);
  const step = z.number().int().nonnegative().parse(manifest['adamStep']);
  for (const [name, v] of net.variables) {
    const arr = await readF32Array(manifest, dir, `var/${name}`);
    if (arr.data.length !== v.size) throw new Error(`checkpoint variable ${name} has the wrong size`);
    const t = tf.tensor(arr.data, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
  const snap: AdamSnapshot = { step, m: [], v: [] };
  for (let i = 0; i < count; i++) {
    snap.m.push((await readF32Array(manifest, dir, `adam/m${i}`)).data);
    snap.v.push((await readF32Array(manifest, dir, `adam/v${i}`)).data);
  }
  adam.restore(snap);
  return state;
}

const VALIDATION_PROBABILITIES = 'validation-probabilities.json';

/** `validationProbabilities`: [crops × classes] of this epoch's validation pass, when there is one. */
export async function saveBestCheckpoint(checkpointDir: string, net: MicraNet, card: ModelCard, validationProbabilities?: Float32Array): Promise<void> {
  const tmp = path.join(checkpointDir, `${BEST_DIR}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await saveMicraNetWeights(net, card, tmp);
  if (validationProbabilities) {
    const body = { classes: net.numClasses, probabilities: Array.from(validationProbabilities) };
    await writeFile(path.join(tmp, VALIDATION_PROBABILITIES), JSON.stringify(body));
  }
  await replaceDir(tmp, path.join(checkpointDir, BEST_DIR));
}

const ValidationProbabilitiesSchema = z.object({
  classes: z.number().int().positive(),
  probabilities: z.array(z.number().min(0).max(1)),
});

/**
 * The best epoch's validation probabilities, or null when absent or not for a set of `count`
 * crops × `classes` (the file is in the project folder: checked like any input).
 */
export async function readBestValidationProbabilities(checkpointDir: string, count: number, classes: number): Promise<Float32Array | null> {
  const file = path.join(checkpointDir, BEST_DIR, VALIDATION_PROBABILITIES);
  if (!existsSync(file)) return null;
  try {
    const parsed = ValidationProbabilitiesSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success || parsed.data.classes !== classes || parsed.data.probabilities.length !== count * classes) return null;
    return Float32Array.from(parsed.data.probabilities);
  } catch {
    return null;
  }
}

export function bestManifestPath(checkpointDir: string): string {
  return path.join(checkpointDir, BEST_DIR, 'manifest.json');
}

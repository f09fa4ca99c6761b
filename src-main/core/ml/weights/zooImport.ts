// A model of an original MICRA-Net zoo (HDF5) written as the engine's weights folder:
// manifest.json (`model`, `card` with the zoo's input size, classes and thresholds, and where the
// weights came from) + one .f32 per parameter. The zoo is read and checked completely first, the
// folder is written under a temporary name beside its target and renamed when complete: a
// refused or interrupted import leaves nothing behind. `micra models import-zoo` and the app's
// model import (modelRegistry.importModel on an .hdf5) both come here.
import { mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeF32Manifest } from './f32Manifest';
import { manifestModelInfo } from './manifestModelInfo';
import { readMicraNetZoo, ZooInputError, type ZooChoice, type ZooModel } from './micranetZoo';
import { digestOfArrays } from './weightsDigest';

export interface ZooImportResult {
  /** The written manifest.json. */
  readonly manifest: string;
  readonly source: { file: string; group: string; model: string };
  readonly classes: readonly string[];
  readonly classThresholds: readonly number[];
  readonly inputSize: number;
  readonly inChannels: number;
  /** weightsDigest of the written weights (SHA-256, hex). */
  readonly sha256: string;
  /** Datasets of the zoo left out (BatchNorm's num_batches_tracked). */
  readonly ignored: readonly string[];
}

/** Whether `dir` may receive a model: absent, or an empty folder. */
async function checkTarget(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info === null) return;
  if (!info.isDirectory()) throw new ZooInputError(`${dir} exists and is not a folder`);
  if ((await readdir(dir)).length > 0) throw new ZooInputError(`${dir} is not empty`);
}

async function writeModelFolder(zoo: ZooModel, dir: string): Promise<string> {
  return writeF32Manifest(dir, zoo.arrays, { model: manifestModelInfo(zoo.inChannels, zoo.numClasses, zoo.card), card: zoo.card });
}

/** Converts one model of the zoo `file` into the weights folder `outDir` (absent or empty). */
export async function importMicraNetZoo(file: string, choice: ZooChoice, outDir: string): Promise<ZooImportResult> {
  const out = path.resolve(outDir);
  await checkTarget(out);
  const zoo = await readMicraNetZoo(path.resolve(file), choice);
  await checkTarget(out);
  // Beside the target, so the final rename stays on one file system.
  const partial = `${out}.partial-${process.pid}-${Date.now()}`;
  try {
    await writeModelFolder(zoo, partial);
    if ((await stat(out).catch(() => null)) !== null) await rmdir(out);
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  return {
    manifest: path.join(out, 'manifest.json'),
    source: { file: zoo.source.file, group: zoo.source.group, model: zoo.source.model },
    classes: zoo.card.classes,
    classThresholds: zoo.card.classThresholds,
    inputSize: zoo.card.inputSize,
    inChannels: zoo.inChannels,
    sha256: digestOfArrays([...zoo.arrays].map(([key, a]) => ({ key, shape: a.shape, data: a.data }))),
    ignored: zoo.ignored,
  };
}

/**
 * Converts one model of the zoo into a temporary weights folder, hands it to `use` with a
 * name for the model ("EMModelZoo MICRANet-1:5/network"), and removes the folder afterwards.
 */
export async function withZooAsWeightsFolder<T>(file: string, choice: ZooChoice, use: (dir: string, label: string) => Promise<T>): Promise<T> {
  const zoo = await readMicraNetZoo(path.resolve(file), choice);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'micra-zoo-'));
  try {
    await writeModelFolder(zoo, dir);
    const stem = path.basename(file).replace(/\.[^.]+$/, '');
    return await use(dir, `${stem} ${zoo.source.group}/${zoo.source.model}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export { ZooInputError, type ZooChoice } from './micranetZoo';

// Loading and saving MICRA-Net weights in the fixture's manifest + .f32 format.
// Arrays `weights/<PyTorch state_dict name>` in PyTorch layouts; `model` gives in_channels and
// num_classes; `card` holds the model card. Other arrays in the manifest are ignored.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createMicraNet, type MicraNet } from '../model/micranet';
import { readF32Array, readF32Manifest, writeF32Manifest, type F32Array, type F32Manifest } from './f32Manifest';
import { completeModelCard, type ModelCard } from './modelCard';
import { manifestModelInfo, WEIGHTS_PREFIX } from './manifestModelInfo';
import { convTfToTorch, convTorchToTf, transpose2d } from './pytorchLayout';

const ModelInfoSchema = z.looseObject({
  in_channels: z.number().int().positive(),
  num_classes: z.number().int().positive(),
  train_size: z.number().int().positive().optional(),
});

export { WEIGHTS_PREFIX };

/** The model's shape: from `model` when present, else inferred from the first/last layer. */
function modelInfo(manifest: F32Manifest, manifestPath: string): z.infer<typeof ModelInfoSchema> {
  if (manifest['model'] !== undefined) {
    const parsed = ModelInfoSchema.safeParse(manifest['model']);
    if (!parsed.success) throw new Error(`'model' in ${manifestPath} is malformed: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
  const first = manifest.arrays[`${WEIGHTS_PREFIX}conv1a.weight`];
  const last = manifest.arrays[`${WEIGHTS_PREFIX}linear1.weight`];
  if (!first || !last || first.shape.length !== 4 || last.shape.length !== 2) {
    throw new Error(`${manifestPath} has neither 'model' nor the conv1a/linear1 weights to infer the model's shape`);
  }
  return { in_channels: first.shape[1] as number, num_classes: last.shape[0] as number };
}

/** PyTorch-layout shape of a parameter, derived from the TF variable's shape. */
function torchShape(name: string, tfShape: readonly number[]): number[] {
  if (name.startsWith('conv') && name.endsWith('.weight')) {
    const [kh, kw, inC, out] = tfShape as [number, number, number, number];
    return [out, inC, kh, kw];
  }
  if (name === 'linear1.weight') return [tfShape[1] as number, tfShape[0] as number];
  return [...tfShape];
}

function torchToTf(name: string, arr: F32Array): Float32Array {
  if (name.startsWith('conv') && name.endsWith('.weight')) {
    const [out, inC, kh, kw] = arr.shape as [number, number, number, number];
    return convTorchToTf(arr.data, out, inC, kh, kw);
  }
  if (name === 'linear1.weight') return transpose2d(arr.data, arr.shape[0] as number, arr.shape[1] as number);
  return arr.data;
}

function tfToTorch(name: string, data: Float32Array, tfShape: readonly number[]): Float32Array {
  if (name.startsWith('conv') && name.endsWith('.weight')) {
    const [kh, kw, inC, out] = tfShape as [number, number, number, number];
    return convTfToTorch(data, out, inC, kh, kw);
  }
  if (name === 'linear1.weight') return transpose2d(data, tfShape[0] as number, tfShape[1] as number);
  return data;
}

export async function loadMicraNetWeights(manifestPath: string): Promise<{ net: MicraNet; card: ModelCard }> {
  const manifest = await readF32Manifest(manifestPath);
  const dir = path.dirname(path.resolve(manifestPath));
  const info = modelInfo(manifest, manifestPath);
  const card = completeModelCard(manifest['card'], {
    inChannels: info.in_channels,
    numClasses: info.num_classes,
    trainSize: info.train_size,
  });
  // Read and check everything before creating tensors, so a bad file leaks nothing.
  const values = new Map<string, Float32Array>();
  const net = createMicraNet({ inChannels: info.in_channels, numClasses: info.num_classes, seed: 0 });
  try {
    for (const [name, variable] of net.variables) {
      const arr = await readF32Array(manifest, dir, `${WEIGHTS_PREFIX}${name}`);
      const want = torchShape(name, variable.shape);
      if (arr.shape.join(',') !== want.join(',')) {
        throw new Error(`weights/${name} has shape [${arr.shape.join(', ')}], expected [${want.join(', ')}]`);
      }
      if (!arr.data.every(Number.isFinite)) throw new Error(`weights/${name} contains non-finite values`);
      if (name.endsWith('.running_var') && arr.data.some((v) => v < 0)) throw new Error(`weights/${name} has negative variances`);
      values.set(name, torchToTf(name, arr));
    }
    for (const [name, variable] of net.variables) {
      const t = tf.tensor(values.get(name) as Float32Array, variable.shape, 'float32');
      variable.assign(t);
      t.dispose();
    }
  } catch (e) {
    net.dispose();
    throw new Error(`cannot load MICRA-Net weights from ${manifestPath}: ${(e as Error).message}`);
  }
  return { net, card };
}

/** Writes `dir/manifest.json` + one .f32 per parameter; returns the manifest's path. */
export async function saveMicraNetWeights(net: MicraNet, card: ModelCard, dir: string): Promise<string> {
  if (card.classes.length !== net.numClasses || card.inChannels !== net.inChannels) {
    throw new Error('model card does not match the network (classes or input channels)');
  }
  const arrays = new Map<string, F32Array>();
  for (const [name, variable] of net.variables) {
    const data = tfToTorch(name, (await variable.data()) as Float32Array, variable.shape);
    arrays.set(`${WEIGHTS_PREFIX}${name}`, { data, shape: torchShape(name, variable.shape) });
  }
  return writeF32Manifest(dir, arrays, { model: manifestModelInfo(net.inChannels, net.numClasses, card), card });
}

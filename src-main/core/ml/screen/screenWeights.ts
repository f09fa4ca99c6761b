// A screen's weights on disk: `<model folder>/screen/manifest.json` + one little-endian .f32 per
// array (the fixture's format, f32Manifest.ts), PyTorch layouts, so scripts/distillScreenTorch.py
// and the app write the same thing. The manifest's `screen` key gives the shape; the model card's
// `screen` field (modelCard.ts) points at it and holds the threshold.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { readF32Array, readF32Manifest, writeF32Manifest, type F32Array } from '../weights/f32Manifest';
import { convTfToTorch, convTorchToTf, transpose2d } from '../weights/pytorchLayout';
import { convName, linearName, type ScreenShape } from './screenArchitecture';
import { ScreenNet } from './screenNet';

export { SCREEN_MANIFEST, screenManifestPath } from './screenFiles';

const ScreenShapeSchema = z.object({
  downsample: z.number().int().min(1).max(16),
  widths: z.array(z.number().int().positive().max(1024)).min(1).max(16),
  in_channels: z.number().int().positive(),
  num_classes: z.number().int().positive(),
});

export async function loadScreen(manifestPath: string): Promise<ScreenNet> {
  const manifest = await readF32Manifest(manifestPath);
  const parsed = ScreenShapeSchema.safeParse(manifest['screen']);
  if (!parsed.success) throw new Error(`screen manifest ${manifestPath} is malformed: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  const shape: ScreenShape = { downsample: s.downsample, widths: s.widths, inChannels: s.in_channels, numClasses: s.num_classes };
  const dir = path.dirname(path.resolve(manifestPath));
  // Read and check every array before touching a tensor, so a bad file leaks nothing.
  const values: Float32Array[] = [];
  const want = (name: string, shape: number[]): Promise<Float32Array> =>
    readF32Array(manifest, dir, name).then((arr) => {
      if (arr.shape.join(',') !== shape.join(',')) throw new Error(`${name} has shape [${arr.shape.join(', ')}], expected [${shape.join(', ')}]`);
      if (!arr.data.every(Number.isFinite)) throw new Error(`${name} contains non-finite values`);
      return arr.data;
    });
  let inC = shape.inChannels;
  for (const [i, out] of shape.widths.entries()) {
    values.push(convTorchToTf(await want(convName(i, 'weight'), [out, inC, 3, 3]), out, inC, 3, 3));
    values.push(await want(convName(i, 'bias'), [out]));
    inC = out;
  }
  values.push(transpose2d(await want(linearName('weight'), [shape.numClasses, inC]), shape.numClasses, inC));
  values.push(await want(linearName('bias'), [shape.numClasses]));
  const net = new ScreenNet(shape, 0);
  net.variables.forEach((v, k) => {
    const t = tf.tensor(values[k] as Float32Array, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
  return net;
}

/** Writes the screen's arrays and manifest into `dir`; `meta` adds top-level keys (how it was made). */
export async function saveScreen(net: ScreenNet, dir: string, meta: Record<string, unknown> = {}): Promise<string> {
  const arrays = new Map<string, F32Array>();
  let inC = net.shape.inChannels;
  for (const [i, c] of net.convs.entries()) {
    const out = net.shape.widths[i] as number;
    arrays.set(convName(i, 'weight'), { data: convTfToTorch((await c.filter.data()) as Float32Array, out, inC, 3, 3), shape: [out, inC, 3, 3] });
    arrays.set(convName(i, 'bias'), { data: (await c.bias.data()) as Float32Array, shape: [out] });
    inC = out;
  }
  const classes = net.shape.numClasses;
  arrays.set(linearName('weight'), { data: transpose2d((await net.linearWeight.data()) as Float32Array, inC, classes), shape: [classes, inC] });
  arrays.set(linearName('bias'), { data: (await net.linearBias.data()) as Float32Array, shape: [classes] });
  const shape = { downsample: net.shape.downsample, widths: net.shape.widths, in_channels: net.shape.inChannels, num_classes: classes };
  return writeF32Manifest(dir, arrays, { ...meta, screen: shape });
}

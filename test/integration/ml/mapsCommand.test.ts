// `micra maps` end to end: a float32 and a 16-bit TIFF of a fixture case in, the fixture's
// manifest + .f32 format out, with maps that match the reference.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMapsCommand, readGreyTiff } from '../../../src-main/cli/commands/maps';
import { BLOCK_NAMES } from '../../../src-main/core/ml/model/architecture';
import { readF32Array, readF32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';
import { fixtureArray, fixtureManifest, iou, pearson } from './fixtureCases';
import { writeGreyTiff } from './greyTiff';
import { PATTERN8_NUMPY, writeWithTifffile } from '../../generators/tiff/tifffile';
import { pattern8 } from '../../generators/tiff/tiffVariants';

let dir: string;
const savedBackend = process.env['MICRA_BACKEND'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'micra-maps-'));
  process.env['MICRA_BACKEND'] = 'wasm';
});
afterAll(async () => {
  if (savedBackend === undefined) delete process.env['MICRA_BACKEND'];
  else process.env['MICRA_BACKEND'] = savedBackend;
  await rm(dir, { recursive: true, force: true });
});

describe('micra maps', () => {
  it('reads 16-bit TIFFs divided by 65535 and float32 TIFFs as they are', async () => {
    const f = path.join(dir, 'f.tif');
    await writeGreyTiff(f, Float32Array.from([0.25, -1.5, 3, 0.125]), 2, 2);
    expect(Array.from((await readGreyTiff(f)).values)).toEqual([0.25, -1.5, 3, 0.125]);
    const u = path.join(dir, 'u.tif');
    await writeGreyTiff(u, Uint16Array.from([0, 65535, 32768, 1]), 4, 1);
    const img = await readGreyTiff(u);
    expect(img.sampleType).toBe('uint16');
    expect(Array.from(img.values)).toEqual(Array.from(Float32Array.from([0, 1, 32768 / 65535, 1 / 65535])));
    const bad = path.join(dir, 'bad.tif');
    await writeFile(bad, 'not a tiff');
    await expect(readGreyTiff(bad)).rejects.toThrow(/cannot read/);
  });

  it('reads a tifffile-written image with ResolutionUnit 5 (µm), which libvips refuses', async () => {
    const f = path.join(dir, 'um.tif');
    const [h, w] = [24, 40];
    writeWithTifffile(f, `h, w = ${h}, ${w}\ntifffile.imwrite(path, ${PATTERN8_NUMPY}, resolution=(250, 250), resolutionunit='MICROMETER')`);
    await expect(sharp(f, { failOn: 'error' }).raw().toBuffer()).rejects.toThrow(/ResolutionUnit/);
    const img = await readGreyTiff(f);
    expect([img.width, img.height, img.sampleType]).toEqual([w, h, 'uint8']);
    expect(Array.from(img.values)).toEqual(Array.from(pattern8(w, h, 1), (v) => Math.fround(v / 255)));
  });

  it.each(['float32', 'uint16'] as const)('writes the fixture maps for a %s image of case 0', async (type) => {
    const input = await fixtureArray('case0/input');
    const [h, w] = input.shape as [number, number];
    const tif = path.join(dir, `case0-${type}.tif`);
    const samples = type === 'float32' ? input.data : Uint16Array.from(input.data, (v) => Math.round(v * 65535));
    await writeGreyTiff(tif, samples, w, h);
    const out = path.join(dir, `out-${type}`);
    await runMapsCommand({ weights: fixtureManifest, input: tif, out });

    const manifest = await readF32Manifest(path.join(out, 'manifest.json'));
    expect(Object.keys(manifest.arrays).sort()).toEqual(
      ['logit', 'pca_map', 'precise_mask', 'precise_raw', ...BLOCK_NAMES.map((b) => `gradcam/${b}`)].sort(),
    );
    const read = (name: string): ReturnType<typeof readF32Array> => readF32Array(manifest, out, name);
    const ref = (await fixtureArray('case0/logit')).data[0] as number;
    expect(Math.abs(((await read('logit')).data[0] as number) - ref)).toBeLessThan(2e-3 * Math.abs(ref));
    for (const b of BLOCK_NAMES) {
      const got = await read(`gradcam/${b}`);
      const want = await fixtureArray(`case0/gradcam/${b}`);
      expect(got.shape).toEqual(want.shape);
      expect(pearson(got.data, want.data)).toBeGreaterThan(0.999);
    }
    expect(pearson((await read('pca_map')).data, (await fixtureArray('case0/pca_map')).data)).toBeGreaterThan(0.999);
    expect(pearson((await read('precise_raw')).data, (await fixtureArray('case0/precise_raw')).data)).toBeGreaterThan(0.999);
    expect(iou((await read('precise_mask')).data, (await fixtureArray('case0/precise_mask')).data)).toBeGreaterThan(0.95);
  });

  it('refuses images whose sides are not multiples of 8', async () => {
    const tif = path.join(dir, 'odd.tif');
    await writeGreyTiff(tif, new Float32Array(12 * 16), 12, 16);
    await expect(runMapsCommand({ weights: fixtureManifest, input: tif, out: path.join(dir, 'odd') })).rejects.toThrow(/multiples of 8/);
  });
});

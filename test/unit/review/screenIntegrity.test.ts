// A screen's files checked before a sweep uses it (screenIntegrity.ts): whole files pass; a
// truncated weights file, a missing one, a manifest that is not JSON or points outside its folder
// are each named, so the sweep can fall back to the full model and say why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { screenDefect } from '../../../src-main/core/review/screenIntegrity';
import { writeF32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';

describe('screenDefect', () => {
  let dir: string;
  let manifest: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-screen-check-'));
    manifest = await writeF32Manifest(
      path.join(dir, 'screen'),
      new Map([
        ['screen/conv1.weight', { data: new Float32Array(2 * 3 * 3 * 3).fill(0.5), shape: [2, 3, 3, 3] }],
        ['screen/conv1.bias', { data: new Float32Array([1, 2]), shape: [2] }],
      ]),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a whole screen', async () => {
    expect(await screenDefect(manifest)).toBeNull();
  });

  it('names a truncated weights file', async () => {
    const file = path.join(dir, 'screen', 'screen__conv1.weight.f32');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 20));
    expect(await screenDefect(manifest)).toBe(`array 'screen/conv1.weight' (${file}) holds 20 bytes, expected 216`);
  });

  it('names a missing weights file', async () => {
    fs.rmSync(path.join(dir, 'screen', 'screen__conv1.bias.f32'));
    expect(await screenDefect(manifest)).toMatch(/ENOENT.*screen__conv1\.bias\.f32/);
  });

  it('names a manifest that is not JSON, or is missing', async () => {
    fs.writeFileSync(manifest, '{"arrays": {');
    expect(await screenDefect(manifest)).toMatch(/is not valid JSON/);
    fs.rmSync(manifest);
    expect(await screenDefect(manifest)).toMatch(/cannot read manifest/);
  });

  it('refuses an array outside the screen folder', async () => {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { arrays: Record<string, { file: string }> };
    json.arrays['screen/conv1.bias']!.file = '../elsewhere.f32';
    fs.writeFileSync(path.join(dir, 'elsewhere.f32'), Buffer.alloc(8));
    fs.writeFileSync(manifest, JSON.stringify(json));
    expect(await screenDefect(manifest)).toMatch(/points outside/);
  });
});

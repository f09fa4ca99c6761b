import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discardPartialPyramids, levelDoneMarker, partialTileDir, readTile, removeImageTiles, resolveTilePath, tileDir } from '../../../src-main/core/imaging/tileStore';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'micra-store-'));
  return dir;
}

describe('tileStore', () => {
  it('serves only completed levels of a partial pyramid', async () => {
    const p = project();
    const partial = partialTileDir(p, 7);
    for (const level of [0, 1]) {
      mkdirSync(path.join(partial, String(level)), { recursive: true });
      writeFileSync(path.join(partial, String(level), '0_0.raw'), Buffer.from([level, 1, 2]));
    }
    writeFileSync(levelDoneMarker(partial, 1), '');
    expect(resolveTilePath(p, 7, 0, 0, 0)).toBeNull();
    expect(resolveTilePath(p, 7, 1, 0, 0)).toBe(path.join(partial, '1', '0_0.raw'));
    expect([...((await readTile(p, 7, 1, 0, 0)) ?? [])]).toEqual([1, 1, 2]);
    expect(resolveTilePath(p, 7, 1, -1, 0)).toBeNull();
  });
  it('serves every tile of a complete pyramid and removes them', async () => {
    const p = project();
    mkdirSync(path.join(tileDir(p, 3), '0'), { recursive: true });
    writeFileSync(path.join(tileDir(p, 3), '0', '1_2.raw'), Buffer.from([9]));
    expect([...((await readTile(p, 3, 0, 1, 2)) ?? [])]).toEqual([9]);
    expect(await readTile(p, 3, 0, 5, 5)).toBeNull();
    await removeImageTiles(p, 3);
    expect(existsSync(tileDir(p, 3))).toBe(false);
  });
  it('discards interrupted pyramids at startup, keeping complete ones', () => {
    const p = project();
    mkdirSync(path.join(partialTileDir(p, 4), '0'), { recursive: true });
    mkdirSync(path.join(tileDir(p, 5), '0'), { recursive: true });
    expect(discardPartialPyramids(p)).toEqual([4]);
    expect(existsSync(partialTileDir(p, 4))).toBe(false);
    expect(existsSync(tileDir(p, 5))).toBe(true);
  });
  it('rejects ids that could escape the store', () => {
    expect(() => tileDir('/x', -1)).toThrow(/invalid image id/);
    expect(() => tileDir('/x', 1.5)).toThrow(/invalid image id/);
  });
});

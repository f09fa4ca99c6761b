// While an image's pyramid builds, main says so level by level (images.levelReady), coarsest
// first, and each level's tiles can be read the moment its event arrives, while the image is
// still importing: a viewer showing it can draw it coarse long before the import ends.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventSchemas } from '../../../src-main/api/schemas';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { readTile, resolveTilePath } from '../../../src-main/core/imaging/tileStore';
import { levelCount, levelSize } from '../../../src-shared/pyramidGeometry';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { ask, ramp, realApp, tempDir } from './appTestKit';

const tmp = tempDir('micra-level-ready-');
const apps: MicraApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  tmp.cleanup();
});

// Four levels of 512² tiles: 2100 × 1500, 1050 × 750, 525 × 375, 263 × 188.
const [W, H] = [2100, 1500];

interface Seen {
  event: string;
  payload: unknown;
  /** The image's status when the event arrived. */
  status: string | undefined;
  /** Bytes of the level's first tile when the event arrived (levelReady only). */
  tile: Buffer | null;
}

describe('images.levelReady', () => {
  it('announces every level, coarsest first, each readable while the image still imports', async () => {
    const dir = path.join(tmp.dir, 'project');
    const file = path.join(tmp.dir, 'big.tif');
    writeTestTiff(file, [{ width: W, height: H, channels: 1, bits: 8, samples: ramp(W, H), rowsPerStrip: 32, compression: 'lzw' }]);
    const app = realApp();
    apps.push(app);
    await app.openProject(dir, true);
    const { store } = app.requireProject();
    const seen: Seen[] = [];
    const stop = app.events.subscribe((event, payload) => {
      if (event !== 'images.levelReady' && event !== 'images.changed') return;
      const imageId = (payload as { imageId: number | null }).imageId;
      const status = imageId === null ? undefined : store.images.get(imageId)?.status;
      let tile: Buffer | null = null;
      if (event === 'images.levelReady') {
        const { level } = payload as { level: number };
        const at = resolveTilePath(dir, imageId as number, level, 0, 0);
        tile = at === null ? null : readFileSync(at);
      }
      seen.push({ event, payload, status, tile });
    });
    const outcome = await app.importFile(file);
    stop();
    if (!outcome.ok) throw new Error(outcome.error);
    const id = outcome.image.id;
    const levels = levelCount(W, H, 512);
    expect(levels).toBe(4);

    const ready = seen.filter((s) => s.event === 'images.levelReady');
    for (const s of ready) expect(eventSchemas['images.levelReady'].safeParse(s.payload).success, JSON.stringify(s.payload)).toBe(true);
    expect(ready.map((s) => s.payload)).toEqual([3, 2, 1, 0].map((level) => ({ imageId: id, level, levels })));
    // Each level came while the image was importing, its first tile already on disk...
    for (const s of ready) {
      expect(s.status).toBe('importing');
      expect(s.tile).not.toBeNull();
    }
    // ...and the image turned ready only after the last of them.
    const readyAt = seen.findIndex((s) => s.event === 'images.changed' && s.status === 'ready');
    const lastLevelAt = seen.findIndex((s) => s.event === 'images.levelReady' && (s.payload as { level: number }).level === 0);
    expect(readyAt).toBeGreaterThan(lastLevelAt);
    expect((await ask(app, 'images.get', { id })).status).toBe('ready');

    // What was read at each event is the finished level's tile, byte for byte.
    for (const s of ready) {
      const { level } = s.payload as { level: number };
      const [lw, lh] = levelSize(W, H, level);
      const done = await readTile(dir, id, level, 0, 0);
      expect(done?.length).toBe(Math.min(512, lw) * Math.min(512, lh));
      expect(s.tile?.equals(done as Buffer)).toBe(true);
    }
  });
});

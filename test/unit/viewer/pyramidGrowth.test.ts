// The viewer follows a pyramid as it is built: each images.levelReady of the shown image makes it
// ask again for the tiles it was told were missing, so the coarse levels (announced first) are
// fetched and drawable long before level 0 exists. Here with the viewer's own tile plan and loader
// against a tile store that grows level by level, as main's does during an import.
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload, MicraApi } from '../../../src-main/api/types';
import type { TileKey } from '../../../src-renderer/api/tileSource';
import { fitViewport } from '../../../src-renderer/viewer/coords';
import { selectLevel } from '../../../src-renderer/viewer/lod';
import { followPyramidGrowth } from '../../../src-renderer/viewer/pyramidGrowth';
import { tileKeyString } from '../../../src-renderer/viewer/tileGrid';
import { TileLoader } from '../../../src-renderer/viewer/tileLoader';
import { planTiles } from '../../../src-renderer/viewer/tilePriority';
import { levelSizes } from '../../../src-shared/pyramidGeometry';

type LevelReady = EventPayload<'images.levelReady'>;

/** main's events, as the renderer's MicraApi delivers them. */
class EventHub implements Pick<MicraApi, 'on'> {
  private readonly listeners = new Set<{ event: EventName; listener: (p: never) => void }>();
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const entry = { event, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
  emit(p: LevelReady): void {
    for (const { event, listener } of this.listeners) if (event === 'images.levelReady') (listener as (p: LevelReady) => void)(p);
  }
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const [W, H] = [2100, 1500];
const shape = { levelSizes: levelSizes(W, H, 512), tileSize: 512 };
const levels = shape.levelSizes.length;

describe('followPyramidGrowth', () => {
  it('fetches each level of the shown image as soon as it is announced, coarsest first, before level 0 exists', async () => {
    const built = new Set<number>();
    const fetched: string[] = [];
    const loaded = new Map<string, number>();
    // The tile store of an image being imported: a level's tiles exist once it is built (404 before).
    const fetchTile = async (t: TileKey): Promise<ArrayBuffer | null> => {
      fetched.push(tileKeyString(t));
      return built.has(t.level) ? new Uint8Array([t.level]).buffer : null;
    };
    const loader = new TileLoader({ fetchTile, maxConcurrent: 6, onLoaded: (t, bytes) => loaded.set(tileKeyString(t), new Uint8Array(bytes)[0] as number) });
    const vp = fitViewport(W, H, 800, 600);
    const plan = planTiles(vp, selectLevel(vp.scale, levels), shape, null);
    const want = (): void => loader.want(plan.urgent.filter((t) => !loaded.has(tileKeyString(t))), plan.ahead);
    // What DeepZoomViewer.refreshTiles does: forget the 404s, ask for the view's tiles again.
    const view = {
      currentImage: { id: 7 },
      refreshTiles: () => {
        loader.forgetMissing();
        want();
      },
    };
    const hub = new EventHub();
    const stop = followPyramidGrowth(hub, view);

    expect(levels).toBe(4);
    expect(plan.visible[0]?.level).toBe(1);
    want();
    await flush();
    expect(loaded.size).toBe(0);

    // Another image's level changes nothing here.
    built.add(3);
    const before = fetched.length;
    hub.emit({ imageId: 8, level: 3, levels });
    await flush();
    expect(fetched.length).toBe(before);

    hub.emit({ imageId: 7, level: 3, levels });
    await flush();
    expect([...loaded.keys()]).toEqual(['3/0/0']);
    expect(loaded.get('3/0/0')).toBe(3);

    for (const level of [2, 1]) {
      built.add(level);
      hub.emit({ imageId: 7, level, levels });
      await flush();
    }
    // The view's own level (1) is drawn now, with level 0 still unbuilt.
    const level1 = plan.visible.map(tileKeyString);
    expect(level1.length).toBeGreaterThan(0);
    for (const k of level1) expect(loaded.get(k), k).toBe(1);
    expect([...loaded.keys()].some((k) => k.startsWith('0/'))).toBe(false);

    stop();
    built.add(0);
    const afterStop = fetched.length;
    hub.emit({ imageId: 7, level: 0, levels });
    await flush();
    expect(fetched.length).toBe(afterStop);
  });
});

// View mode's analysis layers against a fake API and a fake viewer: what is drawn on which
// overlay layer for an image's review items and newest sweep run, re-read on the server's
// events, and taken off again on detach.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachAnalysisLayers, type AnalysisViewer } from '../../../src-renderer/lib/analysisLayers';
import { MASK_COLOR } from '../../../src-renderer/review/reviewOverlay';
import type { Heatmap, ReviewItem, SweepRun } from '../../../src-renderer/review/reviewTypes';
import type { RasterOverlay, VectorShapes } from '../../../src-renderer/viewer/overlays';
import { encodeMaskRle } from '../../../src-shared/maskRle';
import { FakeApi } from './support/fakeApi';

const IMAGE = 7;

function item(id: number, state: ReviewItem['state'], box: [number, number, number, number], mask: Uint8Array | null): ReviewItem {
  return {
    kind: 'suggestion', id, imageId: IMAGE, classId: 1, modelId: 1, runId: 1, box, score: 0.9, area: 4,
    mask: mask ? encodeMaskRle(mask, box[2], box[3]) : null, state, decisionId: null,
  };
}

class FakeViewer implements AnalysisViewer {
  currentImage = { width: 100, height: 80 };
  shapes: VectorShapes | null = null;
  masks = new Map<string, RasterOverlay>();
  heatmap: RasterOverlay | null = null;
  private ended: (() => void)[] = [];
  overlays = {
    setShapes: (_layer: 'suggestions' | 'annotations', s: VectorShapes) => void (this.shapes = s),
    setMask: (id: string, r: RasterOverlay) => void this.masks.set(id, r),
    removeMask: (id: string) => void this.masks.delete(id),
    setHeatmap: (r: RasterOverlay | null) => void (this.heatmap = r),
  };
  onDestroy(l: () => void): () => void {
    this.ended.push(l);
    return () => (this.ended = this.ended.filter((x) => x !== l));
  }
  destroy(): void {
    this.ended.forEach((l) => l());
  }
}

const run = { id: 3, imageId: IMAGE, status: 'done', jobId: null, cols: 2, rows: 1, cropsDone: 2, suggestions: 2 } as unknown as SweepRun;
const heatmap: Heatmap = { runId: 3, imageId: IMAGE, cols: 2, rows: 1, cropSize: 50, xs: [0, 50], ys: [0], scores: [0.9, -1] };

let api: FakeApi;
let viewer: FakeViewer;
let items: ReviewItem[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  items = [
    item(1, 'accepted', [10, 10, 2, 2], Uint8Array.from([1, 0, 0, 1])),
    item(2, 'declined', [40, 10, 2, 2], Uint8Array.from([1, 1, 1, 1])),
    item(3, 'pending', [60, 10, 2, 2], null),
  ];
  api = new FakeApi()
    .handle('review.queue', () => items)
    .handle('sweep.runs', () => [run])
    .handle('sweep.heatmap', () => heatmap);
  viewer = new FakeViewer();
});

afterEach(() => vi.useRealTimers());

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('analysis layers (View mode)', () => {
  it('draws every item as a box, the masks of all but declined ones, and the heat map', async () => {
    const seen: { items: number; masks: number; heatmap: boolean }[] = [];
    attachAnalysisLayers(api, viewer, IMAGE, (s) => seen.push(s));
    await flush();
    expect(viewer.shapes?.boxes?.map((b) => [b.id, b.status])).toEqual([
      ['suggestion:1', 'accepted'],
      ['suggestion:2', 'declined'],
      ['suggestion:3', 'suggested'],
    ]);
    expect([...viewer.masks.keys()]).toEqual(['view:suggestion:1']);
    const m = viewer.masks.get('view:suggestion:1')!;
    expect(m.rect).toEqual({ x0: 10, y0: 10, x1: 12, y1: 12 });
    // Mask pixels in the review colour, the others transparent.
    expect([...m.rgba.slice(0, 3)]).toEqual([...MASK_COLOR]);
    expect(m.rgba[3]).toBeGreaterThan(0);
    expect(m.rgba[7]).toBe(0);
    // The scored crop is tinted, the background crop is not.
    const h = viewer.heatmap!;
    expect(h.rgba[3]).toBeGreaterThan(0);
    expect(h.rgba[(h.width - 1) * 4 + 3]).toBe(0);
    expect(seen.at(-1)).toMatchObject({ items: 3, masks: 1, heatmap: true });
  });

  it('re-reads the queue once for a burst of streamed suggestions', async () => {
    attachAnalysisLayers(api, viewer, IMAGE, () => undefined);
    await flush();
    items = [...items, item(4, 'pending', [80, 40, 2, 2], Uint8Array.from([1, 1, 0, 0]))];
    for (let i = 0; i < 5; i++) api.emit('review.suggestions', { imageId: IMAGE, runId: 3, added: [], updated: [], removed: [] });
    api.emit('review.changed', { imageId: IMAGE + 1, item: null });
    expect(api.paramsOf('review.queue')).toHaveLength(1);
    vi.runAllTimers();
    await flush();
    expect(api.paramsOf('review.queue')).toHaveLength(2);
    expect([...viewer.masks.keys()]).toEqual(['view:suggestion:1', 'view:suggestion:4']);
  });

  it('shows a malformed stored mask as its box only', async () => {
    items = [{ ...item(5, 'pending', [0, 0, 2, 2], null), mask: { width: 2, height: 2, counts: [9, 9] } }];
    attachAnalysisLayers(api, viewer, IMAGE, () => undefined);
    await flush();
    expect(viewer.shapes?.boxes).toHaveLength(1);
    expect(viewer.masks.size).toBe(0);
  });

  it('takes everything off on detach, and stops listening', async () => {
    const detach = attachAnalysisLayers(api, viewer, IMAGE, () => undefined);
    await flush();
    detach();
    expect(viewer.masks.size).toBe(0);
    expect(viewer.heatmap).toBeNull();
    expect(viewer.shapes).toEqual({});
    expect(api.listenerCount('review.suggestions')).toBe(0);
    expect(api.listenerCount('sweep.crops')).toBe(0);
  });

  it('ends with the viewer', async () => {
    attachAnalysisLayers(api, viewer, IMAGE, () => undefined);
    await flush();
    viewer.destroy();
    expect(api.listenerCount('review.changed')).toBe(0);
  });
});

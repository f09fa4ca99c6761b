// ReviewSession against a fake MicraApi and a fake viewer (no Pixi): what the expert's keys
// send to the server, which item is shown when, what the queue does while a sweep streams
// suggestions in, and what Z takes back.
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestResult } from '../../../src-main/api/types';
import type { ViewTarget } from '../../../src-renderer/review/reviewGeometry';
import { itemKey } from '../../../src-renderer/review/reviewOverlay';
import type { ReviewSnapshot } from '../../../src-renderer/review/reviewSession';
import { ReviewSession } from '../../../src-renderer/review/reviewSession';
import type { Box, ReviewItem, ReviewState } from '../../../src-renderer/review/reviewTypes';
import type { ReviewViewer, ReviewViewState } from '../../../src-renderer/review/reviewViewer';
import type { RasterOverlay, VectorLayerName, VectorShapes } from '../../../src-renderer/viewer/overlays';
import { FakeApi, deferred, settle } from './support/fakeApi';

const IMAGE = 1;

function item(id: number, score: number, state: ReviewState = 'pending', box: Box = [id * 100, id * 50, 40, 30]): ReviewItem {
  return { kind: 'suggestion', id, imageId: IMAGE, classId: 1, modelId: 1, runId: 1, box, score, area: box[2] * box[3], mask: null, state, decisionId: state === 'pending' ? null : 1000 + id };
}

const STATS: RequestResult<'review.stats'> = { imageId: IMAGE, total: 0, reviewed: 0, accepted: 0, declined: 0, later: 0, pending: 0, added: 0, shownArea: 0, shownFraction: 0 };

/** The viewer as the session sees it: views set, masks and boxes drawn, frames when told. */
class FakeViewer implements ReviewViewer {
  readonly viewport = { width: 800, height: 600 };
  readonly currentImage = { width: 4000, height: 3000 };
  readonly views: ViewTarget[] = [];
  readonly masks = new Map<string, RasterOverlay>();
  shapes: Partial<Record<VectorLayerName, VectorShapes>> = {};
  prefetch: readonly ViewTarget[] = [];
  private state: ReviewViewState = { centerX: 0, centerY: 0, scale: 1, width: 800, height: 600, pendingTiles: 0 };
  private readonly changeListeners = new Set<() => void>();
  private readonly destroyListeners = new Set<() => void>();
  readonly overlays = {
    setMask: (id: string, r: RasterOverlay) => void this.masks.set(id, r),
    removeMask: (id: string) => void this.masks.delete(id),
    setShapes: (layer: VectorLayerName, s: VectorShapes) => void (this.shapes[layer] = s),
  };
  getState(): ReviewViewState {
    return this.state;
  }
  setView(centerX: number, centerY: number, scale: number): void {
    this.views.push({ centerX, centerY, scale });
    // Tiles are still to come: the view is drawn at the next frame().
    this.state = { ...this.state, centerX, centerY, scale, pendingTiles: 2 };
  }
  setPrefetchViews(views: readonly ViewTarget[]): void {
    this.prefetch = views;
  }
  onChange(l: () => void): () => void {
    this.changeListeners.add(l);
    return () => this.changeListeners.delete(l);
  }
  onDestroy(l: () => void): () => void {
    this.destroyListeners.add(l);
    return () => this.destroyListeners.delete(l);
  }
  /** A frame with every visible tile drawn. */
  frame(): void {
    this.state = { ...this.state, pendingTiles: 0 };
    for (const l of this.changeListeners) l();
  }
  destroy(): void {
    for (const l of [...this.destroyListeners]) l();
  }
  /** The centre of the last view the session asked for. */
  get lastCenter(): [number, number] | null {
    const v = this.views.at(-1);
    return v ? [v.centerX, v.centerY] : null;
  }
  /** Boxes drawn on the suggestions layer, as [x, y, w, h]. */
  drawnBoxes(): number[][] {
    return (this.shapes.suggestions?.boxes ?? []).map((b) => [b.rect.x0, b.rect.y0, b.rect.x1 - b.rect.x0, b.rect.y1 - b.rect.y0]);
  }
}

const centerOf = (b: Box): [number, number] => [b[0] + b[2] / 2, b[1] + b[3] / 2];

interface Rig {
  api: FakeApi;
  viewer: FakeViewer;
  session: ReviewSession;
  snaps: ReviewSnapshot[];
  last: () => ReviewSnapshot;
}

let sessions: ReviewSession[] = [];
afterEach(() => {
  sessions.forEach((s) => s.dispose());
  sessions = [];
});

async function start(queue: ReviewItem[]): Promise<Rig> {
  const api = new FakeApi().handle('review.queue', () => queue.map((i) => ({ ...i }))).handle('review.stats', () => STATS);
  const viewer = new FakeViewer();
  const snaps: ReviewSnapshot[] = [];
  const session = new ReviewSession({ api, viewer, imageId: IMAGE, order: 'score', latencies: [], ackLatencies: [], onChange: (s) => snaps.push(s) });
  sessions.push(session);
  await session.load();
  await settle();
  return { api, viewer, session, snaps, last: () => snaps.at(-1)! };
}

/** Answers review.decide with the suggestion in its decided state (box as sent, if any). */
function decideAnswers(api: FakeApi, queue: ReviewItem[]): void {
  api.handle('review.decide', (p) => {
    const it = queue.find((i) => i.id === p.suggestionId)!;
    const state = p.action === 'accept' ? 'accepted' : p.action === 'decline' ? 'declined' : 'later';
    return { ...it, state, decisionId: 5000 + it.id, box: p.box ?? it.box };
  });
}

describe('ReviewSession', () => {
  it('shows the best-scored pending item first and numbers it as the queue does', async () => {
    // The server answers in review order (score, highest first).
    const q = [item(2, 0.9, 'accepted'), item(3, 0.8), item(1, 0.5)];
    const { viewer, last } = await start(q);
    expect(last().current?.id).toBe(3);
    expect(viewer.lastCenter).toEqual(centerOf(q[1]!.box));
    // The header's number is the item's row in the queue list.
    const s = last();
    expect(s.items[s.position! - 1]).toBe(s.current);
    expect(s.position).toBe(2);
  });

  it('decides the item on screen, and shows the next one only once the log has it', async () => {
    const q = [item(1, 0.9), item(2, 0.8), item(3, 0.7)];
    const { api, viewer, session, last } = await start(q);
    const ack = deferred<ReviewItem>();
    api.handle('review.decide', () => ack.promise);
    session.run({ kind: 'decide', action: 'accept' }, null);
    // A second key while the first decision is on its way is not applied to an item unseen.
    session.run({ kind: 'decide', action: 'decline' }, null);
    await settle();
    expect(api.paramsOf('review.decide')).toHaveLength(1);
    expect(api.paramsOf('review.decide')[0]).toMatchObject({ suggestionId: 1, action: 'accept' });
    expect(last().current?.id).toBe(1);
    expect(viewer.lastCenter).toEqual(centerOf(q[0]!.box));
    ack.resolve({ ...q[0]!, state: 'accepted', decisionId: 77 });
    await settle();
    expect(last().current?.id).toBe(2);
    expect(last().position).toBe(2);
    expect(last().items[0]?.state).toBe('accepted');
    expect(viewer.lastCenter).toEqual(centerOf(q[1]!.box));
  });

  it('sends the rectangle the viewer showed with the decision', async () => {
    const q = [item(1, 0.9, 'pending', [2000, 1500, 40, 30])];
    const { api, viewer, session } = await start(q);
    decideAnswers(api, q);
    viewer.frame();
    session.run({ kind: 'decide', action: 'decline' }, null);
    await settle();
    const rect = api.paramsOf('review.decide')[0]!.shownRect!;
    const [cx, cy] = centerOf(q[0]!.box);
    expect(rect.x + rect.width / 2).toBeCloseTo(cx, 5);
    expect(rect.y + rect.height / 2).toBeCloseTo(cy, 5);
  });

  it('holds the suggestions a sweep adds apart: the queue does not move, they are announced, a merge sorts them in', async () => {
    const q = [item(1, 0.9), item(2, 0.5), item(3, 0.3)];
    const { api, session, viewer, last } = await start(q);
    session.run({ kind: 'move', step: 1 }, null);
    expect(last().current?.id).toBe(2);
    const before = last().items.map(itemKey);
    api.emit('review.suggestions', { imageId: IMAGE, runId: 1, added: [item(10, 0.95), item(11, 0.6), item(12, 0.1)], updated: [{ ...item(3, 0.3), area: 7 }], removed: [] });
    const s = last();
    expect(s.items.map(itemKey)).toEqual(before);
    expect(s.items[2]?.area).toBe(7); // a merged suggestion is updated where it stands
    expect(s.newCount).toBe(3);
    expect(s.current?.id).toBe(2);
    expect(s.position).toBe(2);
    // Drawn on the image all the same.
    expect(viewer.drawnBoxes()).toContainEqual([...item(10, 0.95).box]);
    // An update of a held suggestion stays held; one merged away leaves.
    api.emit('review.suggestions', { imageId: IMAGE, runId: 1, added: [], updated: [{ ...item(11, 0.6), area: 9 }], removed: [12] });
    expect(last().newCount).toBe(2);
    session.mergeNew();
    const m = last();
    expect(m.newCount).toBe(0);
    expect(m.items.map((i) => i.id)).toEqual([10, 1, 11, 2, 3]);
    expect(m.items.find((i) => i.id === 11)?.area).toBe(9);
    // The item on screen stays, and the header follows it to its new place.
    expect(m.current?.id).toBe(2);
    expect(m.position).toBe(4);
    expect(m.items[m.position! - 1]).toBe(m.current);
  });

  it('merges the held suggestions by itself when the queue has nothing left, and goes on to them', async () => {
    const q = [item(1, 0.9)];
    const { api, session, last } = await start(q);
    decideAnswers(api, q);
    api.emit('review.suggestions', { imageId: IMAGE, runId: 1, added: [item(4, 0.2), item(5, 0.7)], updated: [], removed: [] });
    expect(last().newCount).toBe(2);
    session.run({ kind: 'decide', action: 'accept' }, null);
    await settle();
    expect(last().newCount).toBe(0);
    expect(last().current?.id).toBe(5);
  });

  it('queues streamed suggestions straight away while nothing is shown yet (a sweep from scratch)', async () => {
    const { api, last } = await start([]);
    api.emit('review.suggestions', { imageId: IMAGE, runId: 1, added: [item(4, 0.2), item(5, 0.7)], updated: [], removed: [] });
    expect(last().newCount).toBe(0);
    expect(last().items.map((i) => i.id)).toEqual([5, 4]);
  });

  it('takes back box edits with Z, newest first, before undoing any decision', async () => {
    const q = [item(1, 0.9, 'pending', [100, 100, 40, 30])];
    const { api, session, viewer, last } = await start(q);
    api.handle('review.undo', () => ({ undoneDecisionId: null, item: null }));
    session.run({ kind: 'grow', step: 4 }, null);
    expect(last().adjustedBox).toEqual([96, 96, 48, 38]);
    // A drag: moves while dragging, one edit on release.
    session.adjustBox([96, 96, 60, 38], false);
    session.adjustBox([96, 96, 70, 38], false);
    session.adjustBox([96, 96, 80, 38], true);
    expect(last().adjustedBox).toEqual([96, 96, 80, 38]);
    expect(viewer.drawnBoxes()).toContainEqual([96, 96, 80, 38]);
    expect(last().boxEdits).toBe(2);
    session.run({ kind: 'undo' }, null);
    await settle();
    expect(last().adjustedBox).toEqual([96, 96, 48, 38]);
    expect(viewer.drawnBoxes()).toContainEqual([96, 96, 48, 38]);
    session.run({ kind: 'undo' }, null);
    await settle();
    expect(last().adjustedBox).toBeNull();
    expect(viewer.drawnBoxes()).toContainEqual([100, 100, 40, 30]);
    expect(api.paramsOf('review.undo')).toHaveLength(0);
    // R (reset) is an edit too.
    session.run({ kind: 'grow', step: 4 }, null);
    session.run({ kind: 'resetBox' }, null);
    session.run({ kind: 'undo' }, null);
    await settle();
    expect(last().adjustedBox).toEqual([96, 96, 48, 38]);
    session.run({ kind: 'undo' }, null);
    session.run({ kind: 'undo' }, null); // no edit left: now the log's last decision
    await settle();
    expect(api.paramsOf('review.undo')).toEqual([{ imageId: IMAGE }]);
  });

  it('accepts an adjusted box with its reframed mask; undoing the accept shows the suggested box again', async () => {
    const q = [item(1, 0.9, 'pending', [100, 100, 40, 30]), item(2, 0.5)];
    const { api, session, last, viewer } = await start(q);
    decideAnswers(api, q);
    session.run({ kind: 'grow', step: 4 }, null);
    session.run({ kind: 'decide', action: 'accept' }, null);
    await settle();
    const sent = api.paramsOf('review.decide')[0]!;
    expect(sent.box).toEqual([96, 96, 48, 38]);
    expect(sent.mask).toMatchObject({ width: 48, height: 38 });
    expect(last().current?.id).toBe(2);
    expect(last().boxEdits).toBe(0); // edits belong to the item they were made on
    api.handle('review.undo', () => ({ undoneDecisionId: 5001, item: { ...q[0]! } }));
    session.run({ kind: 'undo' }, null);
    await settle();
    expect(api.paramsOf('review.undo')).toHaveLength(1);
    const s = last();
    expect(s.current?.id).toBe(1);
    expect(s.current?.state).toBe('pending');
    expect(s.current?.box).toEqual([100, 100, 40, 30]);
    expect(s.adjustedBox).toBeNull();
    expect(viewer.lastCenter).toEqual(centerOf([100, 100, 40, 30]));
  });

  it('undoes the decision, not the box edits it carried, when the last item stays on screen', async () => {
    const q = [item(1, 0.9, 'pending', [100, 100, 40, 30])];
    const { api, session, last } = await start(q);
    decideAnswers(api, q);
    api.handle('review.undo', () => ({ undoneDecisionId: 5001, item: { ...q[0]! } }));
    session.run({ kind: 'grow', step: 4 }, null);
    session.run({ kind: 'decide', action: 'accept' }, null);
    await settle();
    expect(last().current?.state).toBe('accepted'); // nothing left: it stays
    expect(last().boxEdits).toBe(0);
    session.run({ kind: 'undo' }, null);
    await settle();
    expect(api.paramsOf('review.undo')).toEqual([{ imageId: IMAGE }]);
    expect(last().current?.state).toBe('pending');
  });

  it('ends with the viewer (a mode switch): overlays cleared, a late answer moves nothing', async () => {
    const q = [item(1, 0.9), item(2, 0.8)];
    const { api, session, viewer, snaps } = await start(q);
    const ack = deferred<ReviewItem>();
    api.handle('review.decide', () => ack.promise);
    session.run({ kind: 'decide', action: 'accept' }, null);
    await settle();
    const views = viewer.views.length;
    const notified = snaps.length;
    viewer.destroy();
    expect(viewer.drawnBoxes()).toEqual([]);
    expect(viewer.masks.size).toBe(0);
    expect(api.listenerCount('review.suggestions')).toBe(0);
    ack.resolve({ ...q[0]!, state: 'accepted', decisionId: 9 });
    await settle();
    api.emit('review.changed', { imageId: IMAGE, item: null });
    await settle();
    expect(viewer.views.length).toBe(views);
    expect(snaps.length).toBe(notified);
  });

  it('records key → drawn time only once the view is fully drawn', async () => {
    const latencies: number[] = [];
    const api = new FakeApi().handle('review.queue', () => [item(1, 0.9), item(2, 0.8)]).handle('review.stats', () => STATS);
    const viewer = new FakeViewer();
    const session = new ReviewSession({ api, viewer, imageId: IMAGE, order: 'score', latencies, ackLatencies: [], onChange: () => undefined });
    sessions.push(session);
    await session.load();
    session.run({ kind: 'move', step: 1 }, performance.now());
    expect(session.isDrawn).toBe(false);
    expect(latencies).toHaveLength(0);
    viewer.frame();
    expect(session.isDrawn).toBe(true);
    expect(latencies).toHaveLength(1);
  });
});

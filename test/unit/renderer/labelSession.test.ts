// LabelSession against a fake MicraApi and a fake grid: a label key acts on the crop shown and
// focused when it is pressed (never one that appears later), decisions reach the server in key
// order with undo in its place, and leaving the view (a mode switch) loses no decision.
import { describe, expect, it } from 'vitest';
import type { RequestResult } from '../../../src-main/api/types';
import { sameQuery, type GridQuery, type ShownPage } from '../../../src-renderer/training/cropPaging';
import { LabelSession, cropKey, type GridCrop, type LabelGridHost, type LabelGridView, type LabelSessionState } from '../../../src-renderer/training/labelSession';
import { FakeApi, deferred, settle } from './support/fakeApi';

type LabelResult = RequestResult<'crops.label'>;
type UndoResult = RequestResult<'crops.undo'>;

const LIMIT = 4;
const query = (page: number, imageId = 1): GridQuery => ({ imageId, cropSize: 64, hideBackground: true, offset: page * LIMIT, limit: LIMIT });
const crops = (page: number): GridCrop[] => Array.from({ length: LIMIT }, (_, i) => ({ cropId: null, x: (page * LIMIT + i) * 64, y: 0, size: 64, index: page * LIMIT + i, labels: [] }));

/** A grid of pages of 4 crops: what is on screen, what is asked for, the focus. */
class FakeGrid implements LabelGridHost {
  shown: ShownPage<GridCrop> | null = { query: query(0), crops: crops(0) };
  wanted: GridQuery | null = query(0);
  focus = 0;
  classId: number | null = 1;
  readonly undrawn = new Set<string>();
  reloads = 0;
  view(): LabelGridView {
    return { shown: this.shown, wanted: this.wanted, focus: this.focus, classId: this.classId, isDrawn: (c) => !this.undrawn.has(cropKey(c.x, c.y)) };
  }
  advance(): void {
    if (this.shown && this.focus + 1 < this.shown.crops.length) this.focus++;
    else this.turnTo(((this.wanted?.offset ?? 0) / LIMIT) + 1);
  }
  /** A page turn asked for: the old page stays on screen until showPage(). */
  turnTo(page: number): void {
    this.wanted = query(page);
  }
  showPage(): void {
    const w = this.wanted!;
    this.shown = { query: w, crops: crops(w.offset / LIMIT) };
    this.focus = 0;
  }
  updateCrop(q: GridQuery, x: number, y: number, update: (c: GridCrop) => GridCrop): void {
    if (!this.shown || !sameQuery(this.shown.query, q)) return;
    this.shown = { ...this.shown, crops: this.shown.crops.map((c) => (c.x === x && c.y === y ? update(c) : c)) };
  }
  reload(): Promise<void> {
    this.reloads++;
    return Promise.resolve();
  }
  dropAhead(): void {}
  focusCrop(cropId: number): void {
    const i = this.shown?.crops.findIndex((c) => c.cropId === cropId) ?? -1;
    if (i >= 0) this.focus = i;
  }
}

const counts = (present: number) => [{ classId: 1, present, absent: 0, skip: 0 }];

function rig() {
  const api = new FakeApi();
  let decision = 0;
  api.handle('crops.label', (p) => ({ decisionId: ++decision, cropId: 100 + p.x / 64, counts: counts(decision) }));
  const grid = new FakeGrid();
  const states: LabelSessionState[] = [];
  const session = new LabelSession(api, grid, (s) => states.push(s));
  return { api, grid, session, states, last: () => states.at(-1)! };
}

describe('LabelSession', () => {
  it('labels the focused crop, moves on, and shows the server counts', async () => {
    const { api, grid, session, last } = rig();
    grid.focus = 2;
    session.label('present');
    expect(grid.focus).toBe(3);
    expect(grid.shown?.crops[2]?.labels).toEqual([{ classId: 1, value: 'present' }]);
    expect(last().pending.has(cropKey(128, 0))).toBe(true);
    await session.idle();
    await settle();
    expect(api.paramsOf('crops.label')).toEqual([{ imageId: 1, x: 128, y: 0, size: 64, classId: 1, value: 'present' }]);
    expect(last().pending.size).toBe(0);
    expect(last().counts).toEqual(counts(1));
    expect(grid.shown?.crops[2]?.cropId).toBe(102);
  });

  it('a key acts on the crop shown when it was pressed, even when the next page appears before the answer', async () => {
    const { api, grid, session } = rig();
    const answer = deferred<LabelResult>();
    api.handle('crops.label', () => answer.promise);
    grid.focus = 3; // the last crop of page 1: the label turns the page
    session.label('absent');
    expect(grid.wanted).toEqual(query(1));
    grid.showPage(); // page 2 arrives, focus on its first crop
    answer.resolve({ decisionId: 1, cropId: 103, counts: counts(0) });
    await session.idle();
    await settle();
    expect(api.paramsOf('crops.label')).toEqual([{ imageId: 1, x: 192, y: 0, size: 64, classId: 1, value: 'absent' }]);
    // Nothing written onto the page now on screen.
    expect(grid.shown?.crops.every((c) => c.labels.length === 0 && c.cropId === null)).toBe(true);
  });

  it('refuses a key while a page turn is on its way, and one on a crop not drawn yet, with a notice', async () => {
    const { api, grid, session, last } = rig();
    grid.turnTo(1);
    session.label('present');
    expect(last().keyNotice).toBe('Last key not applied: page 2 was still loading.');
    grid.showPage();
    grid.undrawn.add(cropKey(grid.shown!.crops[0]!.x, 0));
    session.label('present');
    expect(last().keyNotice).toBe('Last key not applied: the focused crop was not drawn yet.');
    await session.idle();
    expect(api.calls).toHaveLength(0);
    expect(grid.focus).toBe(0);
    // The next key that is applied clears the notice.
    grid.undrawn.clear();
    session.label('skip');
    expect(last().keyNotice).toBeNull();
    await session.idle();
    expect(api.paramsOf('crops.label')).toHaveLength(1);
  });

  it('does nothing without a class', async () => {
    const { api, grid, session } = rig();
    grid.classId = null;
    session.label('present');
    await session.idle();
    expect(api.calls).toHaveLength(0);
    expect(grid.focus).toBe(0);
  });

  it('sends an undo after the labels before it, and a key pressed during the undo to the crop it brought back', async () => {
    const { api, grid, session, last } = rig();
    const first = deferred<LabelResult>();
    const undone = deferred<UndoResult>();
    api.handle('crops.label', () => first.promise);
    api.handle('crops.undo', () => undone.promise);
    grid.focus = 1;
    session.label('present'); // crop 1; focus → 2
    session.undo();
    session.label('absent'); // pressed while the undo is on its way: waits for it
    await settle();
    // The undo waits for the label in flight.
    expect(api.calls.map((c) => c.channel)).toEqual(['crops.label']);
    first.resolve({ decisionId: 1, cropId: 101, counts: counts(1) });
    await settle();
    expect(api.calls.map((c) => c.channel)).toEqual(['crops.label', 'crops.undo']);
    expect(grid.focus).toBe(2);
    api.handle('crops.label', (p) => ({ decisionId: 3, cropId: 100 + p.x / 64, counts: counts(0) }));
    undone.resolve({ undoneDecisionId: 1, cropId: 101, counts: counts(0) });
    await settle();
    await session.idle();
    await settle();
    expect(grid.reloads).toBe(1);
    // The held key labelled the crop the undo focused again (crop 1), not the one after it.
    expect(api.calls.map((c) => c.channel)).toEqual(['crops.label', 'crops.undo', 'crops.label']);
    expect(api.paramsOf('crops.label')[1]).toMatchObject({ x: 64, value: 'absent' });
    expect(last().counts).toEqual(counts(0));
  });

  it('says so when there is nothing to undo, and when a label is not saved (reloading the page)', async () => {
    const { api, grid, session, last } = rig();
    api.handle('crops.undo', () => ({ undoneDecisionId: null, cropId: null, counts: [] }));
    session.undo();
    await session.idle();
    await settle();
    expect(last().error).toBe('Nothing to undo.');
    api.handle('crops.label', () => Promise.reject(new Error('disk full')));
    session.label('present');
    await session.idle();
    await settle();
    expect(last().error).toBe('Label not saved: disk full');
    expect(grid.reloads).toBe(2);
    expect(last().pending.size).toBe(0);
  });

  it('after the view is left (a mode switch), sends the decisions already made but writes nothing back', async () => {
    const { api, grid, session, states } = rig();
    const first = deferred<LabelResult>();
    api.handle('crops.label', () => first.promise);
    session.label('present');
    session.label('absent');
    await settle();
    session.dispose();
    const seen = states.length;
    const before = grid.shown;
    api.handle('crops.label', (p) => ({ decisionId: 2, cropId: 100 + p.x / 64, counts: counts(2) }));
    first.resolve({ decisionId: 1, cropId: 100, counts: counts(1) });
    await session.idle();
    await settle();
    expect(api.paramsOf('crops.label').map((p) => [p.x, p.value])).toEqual([
      [0, 'present'],
      [64, 'absent'],
    ]);
    expect(states.length).toBe(seen);
    expect(grid.shown).toBe(before);
    // Keys after the view is gone do nothing.
    session.label('skip');
    session.undo();
    await settle();
    expect(api.calls).toHaveLength(2);
  });
});

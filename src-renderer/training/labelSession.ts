// The crop grid's decisions, apart from the component that draws them: which crop a label key
// acts on, the order decisions reach the server, undo, and the counts shown. Plain TypeScript
// (the grid itself, its paging and drawing stay in LabelCropsView), so the races it exists to
// get right are unit-tested against a fake MicraApi.
//
// - A label key acts on the crop shown and focused when it is pressed (labelTarget): everything
//   the decision needs is taken from the page on screen at that moment, never from a page that
//   appears later. Keys during a page turn, or on a crop not drawn yet, are refused with a notice.
// - Mutations run one after another, so an undo never overtakes a label in flight.
// - Label keys pressed while an undo is on its way wait for it: the undo moves the focus back to
//   the crop it undid, and that is the crop the next key is meant for.
// - Once disposed (the view left: a mode switch), decisions already sent or queued still reach
//   the log, but nothing is written back to the view.
import type { MicraApi, RequestResult } from '../../src-main/api/types';
import { labelTarget, refusedLabelText, type GridQuery, type ShownPage } from './cropPaging';
import type { LabelValue } from './labelKeys';
import { errorMessage } from '../lib/request';

export type GridCrop = RequestResult<'crops.grid'>['crops'][number];
export type LabelCounts = RequestResult<'crops.label'>['counts'];

/** The grid as the user sees it when a key is pressed. */
export interface LabelGridView {
  /** The page on screen and the query it answers. */
  readonly shown: ShownPage<GridCrop> | null;
  /** The page asked for: differs from `shown` while a page turn is on its way. */
  readonly wanted: GridQuery | null;
  readonly focus: number;
  /** The class the keys label, or null when there is none. */
  readonly classId: number | null;
  /** Whether the crop's pixels are on screen (only a crop seen can be judged). */
  isDrawn(crop: GridCrop): boolean;
}

/** What the session asks of the grid component. */
export interface LabelGridHost {
  view(): LabelGridView;
  /** Moves the focus on after a label (next crop, page or image). */
  advance(): void;
  /** Changes one crop of the page answering `query`, if that page is still on screen. */
  updateCrop(query: GridQuery, x: number, y: number, update: (c: GridCrop) => GridCrop): void;
  /** Asks for the wanted page again (after an undo or a failed label); resolves once shown. */
  reload(): Promise<void>;
  /** Forgets the page read ahead (an undone label may be on it). */
  dropAhead(): void;
  /** Focuses the crop with this id, if the page on screen (not turning) has it. */
  focusCrop(cropId: number): void;
}

export interface LabelSessionState {
  readonly counts: LabelCounts;
  /** Crops (`x:y`) whose label is on its way to the server. */
  readonly pending: ReadonlySet<string>;
  readonly error: string | null;
  /** Why the last label key was not applied (cleared by the next one that is). */
  readonly keyNotice: string | null;
}

export const cropKey = (x: number, y: number): string => `${x}:${y}`;

export class LabelSession {
  private counts: LabelCounts = [];
  private readonly pending = new Set<string>();
  private error: string | null = null;
  private keyNotice: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastDecisionId = 0;
  private undosInFlight = 0;
  private readonly keysAfterUndo: LabelValue[] = [];
  private disposed = false;

  constructor(
    private readonly api: MicraApi,
    private readonly host: LabelGridHost,
    private readonly onChange: (s: LabelSessionState) => void,
  ) {}

  get state(): LabelSessionState {
    return { counts: this.counts, pending: new Set(this.pending), error: this.error, keyNotice: this.keyNotice };
  }

  /** Counts from elsewhere (the dataset's at setup, a new class's zeros). */
  setCounts(counts: LabelCounts): void {
    this.counts = counts;
    this.notify();
  }

  setError(error: string | null): void {
    this.error = error;
    this.notify();
  }

  /** A new page is on screen: the notice about a refused key no longer applies to it. */
  pageShown(): void {
    this.keyNotice = null;
    this.error = null;
    this.notify();
  }

  /** A label key: labels the crop shown and focused now with the current class. */
  label(value: LabelValue): void {
    if (this.disposed) return;
    if (this.undosInFlight > 0) {
      this.keysAfterUndo.push(value);
      return;
    }
    const v = this.host.view();
    const classId = v.classId;
    if (classId === null) return;
    const target = labelTarget(v.shown, v.wanted, v.focus, (c) => v.isDrawn(c));
    if (!target.ok || !v.shown) {
      this.keyNotice = target.ok ? null : refusedLabelText(target.reason, v.wanted);
      this.notify();
      return;
    }
    this.keyNotice = null;
    // Everything the decision needs is taken from the page on screen, now.
    const query = v.shown.query;
    const crop = target.crop;
    const key = cropKey(crop.x, crop.y);
    this.pending.add(key);
    this.host.updateCrop(query, crop.x, crop.y, (c) => ({ ...c, labels: [...c.labels.filter((l) => l.classId !== classId), { classId, value }] }));
    this.host.advance();
    this.notify();
    void this.enqueue(async () => {
      try {
        const res = await this.api.invoke('crops.label', { imageId: query.imageId, x: crop.x, y: crop.y, size: crop.size, classId, value });
        if (this.disposed) return;
        this.applyCounts(res.decisionId, res.counts);
        this.host.updateCrop(query, crop.x, crop.y, (c) => ({ ...c, cropId: res.cropId }));
        this.error = null;
      } catch (e) {
        if (this.disposed) return;
        this.error = `Label not saved: ${errorMessage(e)}`;
        await this.host.reload();
      } finally {
        this.pending.delete(key);
        this.notify();
      }
    });
  }

  /** Z: undoes the newest label, after every label sent before it. */
  undo(): void {
    if (this.disposed) return;
    this.undosInFlight++;
    this.host.dropAhead();
    void this.enqueue(async () => {
      try {
        const res = await this.api.invoke('crops.undo', {});
        if (this.disposed) return;
        this.counts = res.counts;
        await this.host.reload();
        if (res.cropId !== null) this.host.focusCrop(res.cropId);
        this.error = res.undoneDecisionId === null ? 'Nothing to undo.' : null;
      } catch (e) {
        if (!this.disposed) this.error = `Undo failed: ${errorMessage(e)}`;
      } finally {
        this.undosInFlight--;
        this.notify();
        if (this.undosInFlight === 0) for (const value of this.keysAfterUndo.splice(0)) this.label(value);
      }
    });
  }

  /** Resolves once every decision queued so far has its answer. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** The view is gone: queued decisions still go to the log, nothing comes back to the view. */
  dispose(): void {
    this.disposed = true;
    this.keysAfterUndo.length = 0;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private applyCounts(decisionId: number, c: LabelCounts): void {
    // The latest decision's answer wins, whatever order the answers come back in.
    if (decisionId >= this.lastDecisionId) {
      this.lastDecisionId = decisionId;
      this.counts = c;
    }
  }

  private notify(): void {
    if (!this.disposed) this.onChange(this.state);
  }
}

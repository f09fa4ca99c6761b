// One image's review, driven by keys and pointer: the queue, the viewer going to each item with
// context and its mask drawn, decisions sent with the rectangle the viewer showed, undo, added
// regions, adjusted boxes. The next item is shown only once the server has acknowledged the
// decision (it is in the log); the tiles of the next items are loaded into the viewer's texture
// cache while the expert looks at this one, so showing one draws from memory. Every key that
// brings up an item records key → fully drawn time. Work that is not needed to draw the next
// item (the stats panel's numbers) waits until it is drawn and the keys pause, so it never
// competes with the key → drawn path for the server or the CPU.
//
// The queue does not move under the expert: suggestions a running sweep adds are held apart and
// announced ("3 new suggestions") until the expert merges them, or until the queue has nothing
// left to review. Z first takes back the box edits made on the item on screen (drag, [ ], R),
// newest first, and only then undoes decisions in the log.
import type { MicraApi } from '../../src-main/api/types';
import { decodeMaskRle, encodeMaskRle } from '../../src-shared/maskRle';
import { reframeMask } from './reframeMask';
import type { ViewTarget } from './reviewGeometry';
import { contextView, growBox, sameBox, shownRectOf } from './reviewGeometry';
import type { ReviewCommand } from './reviewKeys';
import { itemKey, maskRaster, reviewBoxes } from './reviewOverlay';
import type { QueueOrder } from './reviewQueue';
import { applySuggestions, neighbour, nextToReview, upsertItem } from './reviewQueue';
import type { Box, ReviewItem, ReviewStats, ShownRect, SuggestionsEvent } from './reviewTypes';
import type { ReviewViewer } from './reviewViewer';
import { upcomingViews } from './tilePrefetch';
import { errorMessage } from '../lib/request';

export interface ReviewSnapshot {
  readonly items: readonly ReviewItem[];
  readonly current: ReviewItem | null;
  /** The current item's place in `items`, 1-based, as the queue list numbers it (null: none). */
  readonly position: number | null;
  /** Suggestions a sweep added since the queue was last merged: not in `items` yet. */
  readonly newCount: number;
  /** Box edits on the current item that Z takes back before any decision. */
  readonly boxEdits: number;
  /** The current box as the expert adjusted it (null: unchanged). */
  readonly adjustedBox: Box | null;
  readonly stats: ReviewStats | null;
  /** A decision is on its way to the log. */
  readonly busy: boolean;
  readonly addMode: boolean;
  readonly error: string | null;
}

export interface ReviewSessionOptions {
  readonly api: MicraApi;
  readonly viewer: ReviewViewer;
  readonly imageId: number;
  readonly order: QueueOrder;
  /** Where key → drawn times go (window.__micraReview.lastKeyToDrawnMs). */
  readonly latencies: number[];
  /** Where key → decision acknowledged times go (window.__micraReview.keyToAckMs). */
  readonly ackLatencies: number[];
  readonly onChange: (s: ReviewSnapshot) => void;
  /**
   * Who decides (the decisions' actor; absent: the default). Blinded: the queue shows only this
   * reviewer's own decisions, Z undoes only theirs, and others' decisions are not shown as they
   * arrive — so reviewers can be compared afterwards (Measure: "Agreement between reviewers").
   */
  readonly reviewer?: { readonly name: string; readonly blinded: boolean } | undefined;
}

const MASK_ID = 'review-current';
/**
 * Stats are refreshed once the keys have paused this long (never while the next item is on its
 * way): the server takes tens of milliseconds, more under load, to compute them, and a decision
 * sent meanwhile waits behind them.
 */
export const STATS_QUIET_MS = 1000;
/** ...but never left staler than this while changes keep coming (e.g. a sweep streaming). */
export const STATS_MAX_STALE_MS = 5000;
/** A decision not acknowledged after this long shows as "Recording…". */
const BUSY_NOTICE_MS = 150;

export class ReviewSession {
  private items: ReviewItem[] = [];
  /** Streamed suggestions not merged into `items` yet (see mergeNew). */
  private incoming: ReviewItem[] = [];
  private currentKey: string | null = null;
  private adjusted: Box | null = null;
  /** The adjusted box before each box edit on the current item, oldest first (Z pops). */
  private boxEdits: (Box | null)[] = [];
  /** The adjusted box when the drag now under way began (undefined: no drag). */
  private dragStart: Box | null | undefined = undefined;
  private stats: ReviewStats | null = null;
  private inFlight = 0;
  private adding = false;
  private error: string | null = null;
  private target: ViewTarget | null = null;
  private drawn = false;
  /** Key timestamp (performance.now() clock) waiting for the item it brought up to be drawn. */
  private keyTime: number | null = null;
  private readonly masks = new Map<string, Uint8Array | null>();
  private statsTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest change the stats do not show yet happened (performance.now()), or null. */
  private statsDueSince: number | null = null;
  private busyTimer: ReturnType<typeof setTimeout> | null = null;
  private statsInFlight = false;
  private statsAgain = false;
  private readonly offs: (() => void)[] = [];
  private disposed = false;

  constructor(private readonly o: ReviewSessionOptions) {
    this.offs.push(
      // The session draws on the viewer: it ends when the viewer does, whoever is torn down first.
      o.viewer.onDestroy(() => this.dispose()),
      o.viewer.onChange(() => this.checkDrawn()),
      o.api.on('review.suggestions', (e) => {
        if (e.imageId !== o.imageId) return;
        this.applyStreamed(e);
        for (const id of e.removed) this.masks.delete(`suggestion:${id}`);
        for (const i of e.updated) this.masks.delete(itemKey(i));
        this.drawBoxes();
        this.notify();
        this.statsSoon();
      }),
      o.api.on('review.changed', (e) => {
        if (e.imageId !== o.imageId) return;
        // Blinded: another reviewer's decision says nothing about this reviewer's queue (our own
        // come back as the replies to our requests).
        if (e.item && o.reviewer?.blinded) return;
        if (e.item && this.inFlight > 0) {
          // Most likely the echo of our own decision, whose reply follows at once and redraws
          // boxes and panel together with the next item: drawing them now would cost a frame
          // (and a page repaint) right in front of the one the expert is waiting for.
          this.place(e.item);
          return;
        }
        if (e.item) this.place(e.item);
        else void this.reload();
        this.drawBoxes();
        this.notify();
      }),
    );
  }

  private actor(): { actor?: string } {
    return this.o.reviewer ? { actor: this.o.reviewer.name } : {};
  }

  private blindedFor(): { blindedFor?: string } {
    return this.o.reviewer?.blinded ? { blindedFor: this.o.reviewer.name } : {};
  }

  get current(): ReviewItem | null {
    return this.items.find((i) => itemKey(i) === this.currentKey) ?? null;
  }

  get isDrawn(): boolean {
    return this.drawn;
  }

  get pendingDecisions(): number {
    return this.inFlight;
  }

  get addMode(): boolean {
    return this.adding;
  }

  /** Suggestions held apart from the queue (announced as new). */
  get newCount(): number {
    return this.incoming.length;
  }

  /** Loads the queue and shows the first item still to review. */
  async load(): Promise<void> {
    await this.reload();
    if (this.currentKey === null) {
      const first = nextToReview(this.items, null);
      if (first) this.show(first, null);
    }
    // Nothing is on its way yet: the panel gets its numbers at once.
    void this.refreshStats();
  }

  async reload(): Promise<void> {
    try {
      this.items = await this.o.api.invoke('review.queue', { imageId: this.o.imageId, order: this.o.order, ...this.blindedFor() });
      this.incoming = [];
      this.masks.clear();
      this.error = null;
    } catch (e) {
      this.error = errorMessage(e);
    }
    if (this.disposed) return;
    this.drawBoxes();
    this.notify();
  }

  /** Runs a review command; `keyTime` (event.timeStamp) starts the key → drawn clock. */
  run(c: ReviewCommand, keyTime: number | null): void {
    switch (c.kind) {
      case 'decide':
        void this.decide(c.action, keyTime);
        break;
      case 'undo':
        void this.undo(keyTime);
        break;
      case 'move': {
        const next = neighbour(this.items, this.currentKey, c.step);
        if (next && itemKey(next) !== this.currentKey) this.show(next, keyTime);
        break;
      }
      case 'addRegion':
        this.adding = !this.adding;
        this.notify();
        break;
      case 'grow': {
        const box = this.editableBox();
        const img = this.o.viewer.currentImage;
        if (box && img) this.adjustBox(growBox(box, c.step, img.width, img.height), true);
        break;
      }
      case 'resetBox':
        this.adjustBox(null, true);
        break;
      case 'cancel':
        this.adding = false;
        this.notify();
        break;
    }
  }

  /** The current suggestion's box as shown (adjusted or not); null for added regions or none. */
  editableBox(): Box | null {
    const cur = this.current;
    if (!cur || cur.kind !== 'suggestion') return null;
    return this.adjusted ?? cur.box;
  }

  /**
   * A new box for the current suggestion (null: back to the suggested one); `final` ends the
   * edit (a drag's release, a key): it redraws the mask and becomes one step Z takes back.
   */
  adjustBox(box: Box | null, final: boolean): void {
    const cur = this.current;
    if (!cur || cur.kind !== 'suggestion') return;
    const before = this.dragStart === undefined ? this.adjusted : this.dragStart;
    this.adjusted = box && !sameBox(box, cur.box) ? box : null;
    this.drawBoxes();
    if (!final) {
      if (this.dragStart === undefined) this.dragStart = before;
      return;
    }
    this.dragStart = undefined;
    if (!sameAdjusted(before, this.adjusted)) this.boxEdits.push(before);
    this.drawMask(cur);
    this.notify();
  }

  /** Merges the suggestions held as new into the queue, in its order (the expert asked for it). */
  mergeNew(): void {
    if (this.incoming.length === 0) return;
    for (const item of this.incoming) this.items = upsertItem(this.items, item, this.o.order);
    this.incoming = [];
    const cur = this.current;
    if (cur) this.prefetchNext(cur);
    this.drawBoxes();
    this.notify();
  }

  /** N + click: asks the model for the region around (x, y) and stores it as an accepted, added region. */
  async addRegionAt(x: number, y: number): Promise<void> {
    this.adding = false;
    this.notify();
    try {
      const item = await this.o.api.invoke('review.addRegion', { imageId: this.o.imageId, x, y, shownRect: this.shownRect(), ...this.actor() });
      if (this.disposed) return;
      this.incoming = this.incoming.filter((i) => itemKey(i) !== itemKey(item));
      this.items = upsertItem(this.items, item, this.o.order);
      this.drawBoxes();
      this.error = null;
    } catch (e) {
      this.error = `Could not add a region there: ${errorMessage(e)}`;
    }
    this.notify();
    this.statsSoon();
  }

  /** Goes to an item (a click in the queue list). */
  select(key: string): void {
    const item = this.items.find((i) => itemKey(i) === key);
    if (item) this.show(item, null);
  }

  /** Ends the session and takes its drawings off the viewer; once (the viewer's end calls it too). */
  dispose(): void {
    if (this.disposed) return;
    this.o.viewer.setPrefetchViews([]);
    this.o.viewer.overlays.removeMask(MASK_ID);
    this.o.viewer.overlays.setShapes('suggestions', {});
    this.disposed = true;
    this.offs.forEach((off) => off());
    if (this.statsTimer !== null) clearTimeout(this.statsTimer);
    if (this.busyTimer !== null) clearTimeout(this.busyTimer);
  }

  private async decide(action: 'accept' | 'decline' | 'later', keyTime: number | null): Promise<void> {
    const cur = this.current;
    // One decision at a time: a key repeat must not decide the next item unseen.
    if (!cur || this.inFlight > 0) return;
    if (cur.kind === 'annotation') {
      // An added region is already accepted; declining it takes it back.
      if (action === 'decline' && cur.decisionId !== null) await this.undoDecision(cur.decisionId, keyTime);
      else this.showNext(cur, keyTime);
      return;
    }
    const adjusted = action === 'accept' ? this.adjusted : null;
    const params = {
      suggestionId: cur.id,
      action,
      shownRect: this.shownRect(),
      ...this.actor(),
      ...(adjusted ? { box: adjusted, mask: encodeMaskRle(reframeMask(this.maskOf(cur), cur.box, adjusted), adjusted[2], adjusted[3]) } : {}),
    };
    this.beginDecision();
    try {
      const item = await this.o.api.invoke('review.decide', params);
      if (this.disposed) return;
      if (keyTime !== null) this.o.ackLatencies.push(performance.now() - keyTime);
      this.items = upsertItem(this.items, item, this.o.order);
      this.masks.delete(itemKey(item));
      this.error = null;
      // The edits are in the decision now: Z next undoes the decision (even when the item stays on screen).
      this.boxEdits = [];
      this.dragStart = undefined;
      this.endDecision();
      this.showNext(item, keyTime);
    } catch (e) {
      this.endDecision();
      this.error = `The decision was not recorded: ${errorMessage(e)}`;
      this.drawBoxes(); // changes from elsewhere that arrived meanwhile (see review.changed)
      this.notify();
    }
    this.statsSoon();
  }

  /**
   * A decision leaves: the panel says "Recording…" only if the acknowledgement is slow, so a
   * normal key press repaints the page once (with the next item), not three times.
   */
  private beginDecision(): void {
    this.inFlight++;
    if (this.busyTimer === null) {
      this.busyTimer = setTimeout(() => {
        this.busyTimer = null;
        if (this.inFlight > 0) this.notify();
      }, BUSY_NOTICE_MS);
    }
  }

  private endDecision(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.busyTimer !== null) {
      clearTimeout(this.busyTimer);
      this.busyTimer = null;
    }
  }

  private showNext(from: ReviewItem, keyTime: number | null): void {
    let next = nextToReview(this.items, itemKey(from));
    if (!next && this.incoming.length > 0) {
      // Nothing left in the queue: the new suggestions come next, merging moves nothing seen.
      for (const item of this.incoming) this.items = upsertItem(this.items, item, this.o.order);
      this.incoming = [];
      next = nextToReview(this.items, itemKey(from));
    }
    if (next) this.show(next, keyTime);
    else {
      // All decided: stay, redraw the box in its decided colour.
      this.adjusted = null;
      this.drawBoxes();
      this.notify();
    }
  }

  private async undo(keyTime: number | null): Promise<void> {
    if (this.inFlight > 0) return;
    const cur = this.current;
    if (this.boxEdits.length > 0 && cur) {
      // The newest box edit first: it is what the expert just did, and it is not in the log yet.
      this.adjusted = this.boxEdits.pop() ?? null;
      this.dragStart = undefined;
      this.drawMask(cur);
      this.drawBoxes();
      this.notify();
      return;
    }
    await this.undoDecision(undefined, keyTime);
  }

  private async undoDecision(decisionId: number | undefined, keyTime: number | null): Promise<void> {
    this.beginDecision();
    try {
      const r = await this.o.api.invoke('review.undo', { imageId: this.o.imageId, ...(decisionId !== undefined ? { decisionId } : {}), ...this.actor(), ...this.blindedFor() });
      this.endDecision();
      if (this.disposed) return;
      this.error = r.undoneDecisionId === null ? 'Nothing to undo.' : null;
      if (r.item) {
        this.items = upsertItem(this.items, r.item, this.o.order);
        this.masks.delete(itemKey(r.item));
        this.show(r.item, keyTime);
      } else if (r.undoneDecisionId !== null) {
        // An added region was taken back: it leaves the queue.
        await this.reload();
        const next = nextToReview(this.items, null);
        if (next) this.show(next, keyTime);
      }
    } catch (e) {
      this.endDecision();
      this.error = `Undo failed: ${errorMessage(e)}`;
      this.drawBoxes();
    }
    this.notify();
    this.statsSoon();
  }

  /**
   * A sweep's streamed change: merged suggestions replaced where they are (queue or held),
   * merged-away ones dropped, new ones held apart unless the queue is still empty of anything
   * shown (nothing can move under the expert then).
   */
  private applyStreamed(e: SuggestionsEvent): void {
    const removed = new Set(e.removed.map((id) => `suggestion:${id}`));
    this.incoming = this.incoming.filter((i) => !removed.has(itemKey(i)));
    this.items = applySuggestions(this.items, { ...e, added: [], updated: [] }, this.o.order);
    for (const item of [...e.updated, ...e.added]) this.place(item);
  }

  /** An item from elsewhere: replaced in place when known, else held as new (see applyStreamed). */
  private place(item: ReviewItem): void {
    const key = itemKey(item);
    if (this.items.some((i) => itemKey(i) === key) || this.currentKey === null) {
      this.items = upsertItem(this.items, item, this.o.order);
      return;
    }
    const at = this.incoming.findIndex((i) => itemKey(i) === key);
    if (at >= 0) this.incoming[at] = item;
    else this.incoming.push(item);
  }

  private show(item: ReviewItem, keyTime: number | null): void {
    // An answer that arrives after the session ended must not move a viewer now used by another.
    if (this.disposed) return;
    const v = this.o.viewer;
    this.currentKey = itemKey(item);
    this.adjusted = null;
    this.boxEdits = [];
    this.dragStart = undefined;
    const vp = v.viewport;
    const t = contextView(item.box, vp.width, vp.height);
    this.target = t;
    this.drawn = false;
    this.keyTime = keyTime;
    this.drawMask(item);
    this.drawBoxes();
    v.setView(t.centerX, t.centerY, t.scale);
    this.notify();
    this.prefetchNext(item);
  }

  private prefetchNext(from: ReviewItem): void {
    const vp = this.o.viewer.viewport;
    this.o.viewer.setPrefetchViews(upcomingViews(this.items, itemKey(from), vp.width, vp.height));
    // Decode the next item's mask now too, off the key → drawn path.
    const next = nextToReview(this.items, itemKey(from));
    if (next) this.maskOf(next);
  }

  private checkDrawn(): void {
    const t = this.target;
    if (this.drawn || !t) return;
    const s = this.o.viewer.getState();
    if (s.pendingTiles !== 0 || Math.abs(s.centerX - t.centerX) > 0.5 || Math.abs(s.centerY - t.centerY) > 0.5) return;
    this.drawn = true;
    if (this.keyTime !== null) this.o.latencies.push(performance.now() - this.keyTime);
    this.keyTime = null;
    if (this.statsAgain && this.statsTimer === null) this.statsSoon();
  }

  private maskOf(item: ReviewItem): Uint8Array | null {
    const key = itemKey(item);
    if (!this.masks.has(key)) {
      let mask: Uint8Array | null = null;
      try {
        mask = item.mask ? decodeMaskRle(item.mask) : null;
      } catch {
        mask = null; // A malformed mask shows as its box only.
      }
      this.masks.set(key, mask);
    }
    return this.masks.get(key) ?? null;
  }

  private drawMask(item: ReviewItem): void {
    if (this.disposed) return;
    const overlays = this.o.viewer.overlays;
    const mask = this.maskOf(item);
    const box = item.kind === 'suggestion' && this.adjusted ? this.adjusted : item.box;
    if (!mask && !this.adjusted) {
      overlays.removeMask(MASK_ID);
      return;
    }
    overlays.setMask(MASK_ID, maskRaster(this.adjusted ? reframeMask(mask, item.box, box) : (mask as Uint8Array), box));
  }

  private drawBoxes(): void {
    if (this.disposed) return;
    // Suggestions held as new are drawn too: they are on the image, only not in the queue yet.
    const shown = this.incoming.length > 0 ? [...this.items, ...this.incoming] : this.items;
    this.o.viewer.overlays.setShapes('suggestions', { boxes: reviewBoxes(shown, this.currentKey, this.adjusted) });
  }

  private shownRect(): ShownRect | null {
    const img = this.o.viewer.currentImage;
    if (!img) return null;
    return shownRectOf(this.o.viewer.getState(), img.width, img.height);
  }

  /**
   * Refreshes the stats once the keys pause (see STATS_QUIET_MS), when the item on screen is
   * drawn and no decision is on its way, so that neither the server's work nor the panel's
   * re-render delays the next item. Calls meanwhile share one request.
   */
  private statsSoon(): void {
    this.statsAgain = true;
    const now = performance.now();
    this.statsDueSince ??= now;
    if (this.statsTimer !== null) {
      if (now - this.statsDueSince > STATS_MAX_STALE_MS) return; // let the pending refresh happen
      clearTimeout(this.statsTimer);
    }
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      // Still waiting for an item to be drawn, or for a decision: checkDrawn asks again.
      if (this.disposed || this.statsInFlight || this.inFlight > 0 || (this.target !== null && !this.drawn)) return;
      void this.refreshStats();
    }, STATS_QUIET_MS);
  }

  private async refreshStats(): Promise<void> {
    this.statsAgain = false;
    this.statsDueSince = null;
    this.statsInFlight = true;
    try {
      this.stats = await this.o.api.invoke('review.stats', { imageId: this.o.imageId, ...this.blindedFor() });
    } catch {
      // Stats are informative; the next decision refreshes them.
      return;
    } finally {
      this.statsInFlight = false;
      if (this.statsAgain && !this.disposed) this.statsSoon();
    }
    if (!this.disposed) this.notify();
  }

  private notify(): void {
    if (this.disposed) return;
    const current = this.current;
    const at = current ? this.items.indexOf(current) : -1;
    this.o.onChange({
      items: this.items,
      current,
      position: at >= 0 ? at + 1 : null,
      newCount: this.incoming.length,
      boxEdits: this.boxEdits.length,
      adjustedBox: this.adjusted,
      stats: this.stats,
      busy: this.inFlight > 0,
      addMode: this.adding,
      error: this.error,
    });
  }
}

function sameAdjusted(a: Box | null, b: Box | null): boolean {
  return a === null || b === null ? a === b : sameBox(a, b);
}

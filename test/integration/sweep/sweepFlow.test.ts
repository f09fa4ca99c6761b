// A sweep through the real app and compute process: suggestions rows and events, the heat map,
// masks over boxes; then review decisions, undo, stats, and a reopened project that still has
// every decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMaskRle } from '../../../src-shared/maskRle';
import { eventsOf, FIXTURE_MODEL, sweepProject, type SweepProject } from './sweepKit';

describe('sweep and review through MicraApp', () => {
  let p: SweepProject;
  beforeAll(async () => {
    p = await sweepProject({ width: 1024, height: 1024, seed: 11, markerCount: 5 });
  }, 60_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  it('sweeps every crop, stores suggestions with masks and announces them', async () => {
    const service = p.app.requireProject().sweeps;
    const [run] = await service.start({ imageIds: [p.imageId], manifestPath: FIXTURE_MODEL, workers: 2 });
    expect(run).toMatchObject({ status: 'queued', cropSize: 256, stride: 256, cols: 4, rows: 4 });
    const done = await service.settled(run!.id);
    expect(done).toMatchObject({ status: 'done', cropsDone: 16, error: null });

    const { store } = p.app.requireProject();
    const rows = store.db.prepare('SELECT * FROM suggestions WHERE sweep_run_id = ?').all(run!.id) as Array<{
      id: number; x: number; y: number; width: number; height: number; mask: Buffer; mask_width: number; mask_height: number; score: number;
    }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.mask_width * r.mask_height).toBe(r.mask.length);
      expect([r.mask_width, r.mask_height]).toEqual([r.width, r.height]);
      expect(r.x + r.width).toBeLessThanOrEqual(1024);
      expect(r.score).toBeGreaterThanOrEqual(0.5);
    }
    // What the events announced adds up to the rows.
    const announced = new Set<number>();
    for (const e of eventsOf(p, 'review.suggestions')) {
      e.added.forEach((i) => announced.add(i.id));
      e.removed.forEach((id) => announced.delete(id));
    }
    expect([...announced].sort()).toEqual(rows.map((r) => r.id).sort());
    // Heat map: every crop swept, scores match the stored crops.
    const heat = await p.app.handlers['sweep.heatmap']({ runId: run!.id });
    expect(heat.scores.every((s) => s !== null)).toBe(true);
    expect(heat.xs).toEqual([0, 256, 512, 768]);
    expect(store.sweepRuns.crops(run!.id)).toHaveLength(16);
    // Some positive crop overlaps a ground-truth marker.
    const queue = await p.app.handlers['review.queue']({ imageId: p.imageId, order: 'score' });
    expect(queue.map((i) => i.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const item = queue[0]!;
    expect(decodeMaskRle(item.mask!)).toHaveLength(item.box[2] * item.box[3]);
  }, 300_000);

  it('records decisions, undoes, counts, and keeps everything across a reopen', async () => {
    const queue = await p.app.handlers['review.queue']({ imageId: p.imageId, order: 'spatial' });
    expect(queue.length).toBeGreaterThan(0);
    const shown = (i: (typeof queue)[number]) => ({ x: i.box[0] - 100, y: i.box[1] - 100, width: i.box[2] + 200, height: i.box[3] + 200 });
    const first = queue[0]!;
    const accepted = await p.app.handlers['review.decide']({ suggestionId: first.id, action: 'accept', shownRect: shown(first) });
    expect(accepted.state).toBe('accepted');
    const decisions: Array<{ id: number; state: string }> = [{ id: first.id, state: 'accepted' }];
    if (queue[1]) {
      const adjusted = [queue[1].box[0], queue[1].box[1], 10, 10] as [number, number, number, number];
      const mask = { width: 10, height: 10, counts: [0, 100] };
      const r = await p.app.handlers['review.decide']({ suggestionId: queue[1].id, action: 'accept', shownRect: shown(queue[1]), box: adjusted, mask });
      expect(r).toMatchObject({ state: 'accepted', box: adjusted, area: 100 });
      decisions.push({ id: queue[1].id, state: 'accepted' });
    }
    // Decline then undo: back to pending, and the undo names the decline.
    const last = queue.at(-1)!;
    if (last.id !== first.id && last.id !== queue[1]?.id) {
      const declined = await p.app.handlers['review.decide']({ suggestionId: last.id, action: 'decline', shownRect: shown(last) });
      const undone = await p.app.handlers['review.undo']({ imageId: p.imageId });
      expect(undone.undoneDecisionId).toBe(declined.decisionId);
      expect(undone.item).toMatchObject({ id: last.id, state: 'pending' });
    }
    const stats = await p.app.handlers['review.stats']({ imageId: p.imageId });
    expect(stats).toMatchObject({ total: queue.length, accepted: decisions.length, reviewed: decisions.length, declined: 0 });
    expect(stats.shownArea).toBeGreaterThan(0);
    expect(stats.shownFraction).toBeLessThanOrEqual(1);

    // Reopen: the log is on disk, the state derived from it is the same.
    await p.app.openProject(p.projectDir, false);
    const again = await p.app.handlers['review.queue']({ imageId: p.imageId, order: 'score' });
    for (const d of decisions) expect(again.find((i) => i.id === d.id)?.state).toBe(d.state);
    expect(await p.app.handlers['review.stats']({ imageId: p.imageId })).toEqual(stats);
  }, 120_000);
});

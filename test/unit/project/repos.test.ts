import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageSummarySchema, JobSummarySchema } from '../../../src-main/api/schemas';
import type { NewImage } from '../../../src-main/core/project/imagesRepo';
import { toJobSummary } from '../../../src-main/core/project/jobSummary';
import { INTERRUPTED_JOB_ERROR } from '../../../src-main/core/project/jobsRepo';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { toStoredPath } from '../../../src-main/core/project/projectLayout';
import { makeTempDir, removeDir } from './tempProject';

function sampleImage(over: Partial<NewImage> = {}): NewImage {
  return {
    name: 'section.tif',
    width: 10_000,
    height: 7_000,
    bitsPerSample: 16,
    channels: 1,
    tileSize: 512,
    levels: 6,
    pixelSizeNm: null,
    sourcePath: '/data/section.tif',
    contentHash: 'abc123',
    ...over,
  };
}

describe('project repositories', () => {
  let dir: string;
  let store: ProjectStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = openProjectStore(dir, { create: true });
  });
  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  describe('images', () => {
    it('inserts importing, marks ready, and maps to a valid ImageSummary', () => {
      const id = store.images.insertImporting(sampleImage());
      expect(store.images.get(id)?.status).toBe('importing');
      store.images.setPixelSize(id, 4.5);
      store.images.markReady(id);
      const row = store.images.get(id);
      if (!row) throw new Error('row missing');
      const summary = ImageSummarySchema.parse(store.imageSummary(row));
      expect(summary).toMatchObject({ id, status: 'ready', pixelSizeNm: 4.5, bitsPerSample: 16, sourceMissing: true });
      expect(summary.levelSizes).toEqual([
        [10_000, 7_000],
        [5_000, 3_500],
        [2_500, 1_750],
        [1_250, 875],
        [625, 438],
        [313, 219],
      ]);
    });

    it('stores sources inside the project relative, and finds them on disk', () => {
      const src = path.join(dir, 'sources', 'up.tif');
      fs.writeFileSync(src, 'bytes');
      const stored = toStoredPath(dir, src);
      expect(stored).toBe('sources/up.tif');
      expect(toStoredPath(dir, '/elsewhere/x.tif')).toBe('/elsewhere/x.tif');
      const id = store.images.insertImporting(sampleImage({ sourcePath: stored }));
      const row = store.images.get(id);
      if (!row) throw new Error('row missing');
      expect(store.imageSummary(row)).toMatchObject({ sourcePath: 'sources/up.tif', sourceMissing: false });
    });

    it('rejects impossible rows (no half-valid image)', () => {
      expect(() => store.images.insertImporting(sampleImage({ bitsPerSample: 12 as 16 }))).toThrow(/CHECK/);
      expect(store.images.list()).toEqual([]);
    });

    it('finds duplicates by content hash, fails with a notice, removes with cascade', () => {
      const a = store.images.insertImporting(sampleImage());
      const b = store.images.insertImporting(sampleImage({ contentHash: 'other' }));
      expect(store.images.findByContentHash('abc123')?.id).toBe(a);
      expect(store.images.findByContentHash('nope')).toBeUndefined();
      store.images.markFailed(b, 'truncated TIFF');
      expect(store.images.get(b)).toMatchObject({ status: 'failed', notice: 'truncated TIFF' });
      expect(store.images.listByStatus('failed').map((r) => r.id)).toEqual([b]);

      const [crop] = store.crops.ensure(a, [{ x: 0, y: 0, width: 512, height: 512 }]);
      const cls = store.classes.create('Axon', '#f00');
      store.decisions.append({ actor: 'me', targetKind: 'crop', targetId: crop ?? 0, classId: cls.id, action: 'label', payload: { value: 'present' } });
      const job = store.jobs.create('import', { file: 'x' }, a);
      expect(store.images.remove(a)).toBe(true);
      expect(store.crops.listForImage(a)).toEqual([]);
      expect(store.crops.labelsForClass(cls.id)).toEqual([]);
      expect(store.jobs.get(job.id)?.image_id).toBeNull();
      expect(store.decisions.list()).toHaveLength(1); // the log keeps its history
      expect(() => store.images.markReady(a)).toThrow(/no image with id/);
    });
  });

  describe('jobs', () => {
    it('moves queued → running → done and maps to a JobSummary', () => {
      const job = store.jobs.create('tileStats', { imageId: 1 });
      expect(job.status).toBe('queued');
      store.jobs.markRunning(job.id);
      store.jobs.recordProgress(job.id, 3, 10, 'tile 3');
      const running = store.jobs.get(job.id);
      if (!running) throw new Error('row missing');
      expect(JobSummarySchema.parse(toJobSummary(running, 12))).toMatchObject({ status: 'running', done: 3, total: 10, etaSeconds: 12, message: 'tile 3' });
      const done = store.jobs.finish(job.id, 'done', null, { mean: 4 });
      expect(done).toMatchObject({ status: 'done', error: null, result: '{"mean":4}' });
      expect(done.finished_at).not.toBeNull();
      expect(toJobSummary(done, 12).etaSeconds).toBeNull();
      expect(() => store.jobs.finish(job.id, 'failed', 'again')).toThrow(/is done/);
    });

    it('marks jobs a crash left queued or running as failed', () => {
      const a = store.jobs.create('import', {});
      const b = store.jobs.create('import', {});
      const c = store.jobs.create('import', {});
      store.jobs.markRunning(b.id);
      store.jobs.markRunning(c.id);
      store.jobs.finish(c.id, 'done', null);
      const marked = store.jobs.markInterruptedFailed();
      expect(marked.map((j) => j.id)).toEqual([a.id, b.id]);
      expect(store.jobs.list().map((j) => [j.id, j.status, j.error])).toEqual([
        [c.id, 'done', null],
        [b.id, 'failed', INTERRUPTED_JOB_ERROR],
        [a.id, 'failed', INTERRUPTED_JOB_ERROR],
      ]);
    });
  });

  describe('decisions and labels', () => {
    it('derives labels from the log: relabel, undo, redo', () => {
      const img = store.images.insertImporting(sampleImage());
      const [crop = 0] = store.crops.ensure(img, [{ x: 512, y: 0, width: 512, height: 512 }]);
      const axon = store.classes.create('Axon', '#f00');
      const label = (value: string) =>
        store.decisions.append({ actor: 'alice', targetKind: 'crop', targetId: crop, classId: axon.id, action: 'label', payload: { value } });
      const labelNow = () => store.crops.labelsForImage(img).map((l) => l.value);

      label('present');
      const second = label('absent');
      expect(labelNow()).toEqual(['absent']);
      const undo = store.decisions.undo(second.id, 'alice');
      expect(undo).toMatchObject({ action: 'undo', undoOf: second.id, targetId: crop, classId: axon.id });
      expect(labelNow()).toEqual(['present']);
      store.decisions.undo(undo.id, 'alice'); // redo
      expect(labelNow()).toEqual(['absent']);
      expect(() => store.decisions.undo(undo.id, 'alice')).toThrow(/already undone/);
      expect(store.decisions.current('crop', crop, axon.id)?.id).toBe(second.id);
      expect(store.decisions.list()).toHaveLength(4);
    });

    it('removes the label when its only decision is undone; refuses bad label payloads and unknown crops', () => {
      const img = store.images.insertImporting(sampleImage());
      const [crop = 0] = store.crops.ensure(img, [{ x: 0, y: 0, width: 512, height: 512 }]);
      const cls = store.classes.create('Axon', '#f00');
      const d = store.decisions.append({ actor: 'a', targetKind: 'crop', targetId: crop, classId: cls.id, action: 'label', payload: { value: 'skip' } });
      store.decisions.undo(d.id, 'a');
      expect(store.crops.labelsForImage(img)).toEqual([]);
      expect(() =>
        store.decisions.append({ actor: 'a', targetKind: 'crop', targetId: crop, classId: cls.id, action: 'label', payload: { value: 'maybe' } }),
      ).toThrow();
      expect(() =>
        store.decisions.append({ actor: 'a', targetKind: 'crop', targetId: 9999, classId: cls.id, action: 'label', payload: { value: 'present' } }),
      ).toThrow(/FOREIGN KEY/);
      expect(store.decisions.list()).toHaveLength(2); // the failed appends left nothing
    });

    it('records suggestion reviews with the model that made them', () => {
      const img = store.images.insertImporting(sampleImage());
      const cls = store.classes.create('Axon', '#f00');
      const model = store.models.insert({ name: 'base', parentId: null, dir: 'models/1', origin: 'bundled', status: 'ready', card: { crop: 512 } });
      const [s1 = 0, s2 = 0] = store.suggestions.insertMany([
        { imageId: img, classId: cls.id, modelId: model.id, runJobId: null, x: 10, y: 10, width: 40, height: 40, score: 0.9 },
        { imageId: img, classId: cls.id, modelId: model.id, runJobId: null, x: 99, y: 10, width: 40, height: 40, score: 0.95 },
      ]);
      expect(store.suggestions.listForImage(img).map((s) => s.id)).toEqual([s2, s1]);
      store.suggestions.setMask(s1, new Uint8Array(16).fill(1), 4, 4);
      expect(store.suggestions.get(s1)?.mask?.length).toBe(16);
      store.decisions.append({ actor: 'bob', targetKind: 'suggestion', targetId: s1, classId: cls.id, action: 'accept', modelId: model.id });
      expect(store.decisions.current('suggestion', s1, cls.id)).toMatchObject({ action: 'accept', modelId: model.id, actor: 'bob' });
      expect(store.decisions.current('suggestion', s2, cls.id)).toBeUndefined();
    });
  });

  describe('classes, models, settings', () => {
    it('keeps class names unique regardless of case, in order', () => {
      store.classes.create('Axon', '#f00');
      store.classes.create('Dendrite', '#0f0');
      expect(() => store.classes.create('axon', '#00f')).toThrow(/UNIQUE/);
      expect(store.classes.list().map((c) => [c.name, c.position])).toEqual([
        ['Axon', 0],
        ['Dendrite', 1],
      ]);
      expect(store.classes.findByName('AXON')?.name).toBe('Axon');
    });

    it('keeps model cards, lineage and the active model', () => {
      const base = store.models.insert({ name: 'base', parentId: null, dir: 'models/base', origin: 'bundled', status: 'ready', card: { classes: ['Axon'] } });
      const tuned = store.models.insert({
        name: 'tuned',
        parentId: base.id,
        dir: 'models/2',
        origin: 'trained',
        status: 'training',
        card: { classes: ['Axon'] },
        datasetSnapshot: { crops: [1, 2, 3] },
      });
      store.models.setMetrics(tuned.id, { f1: 0.8 });
      expect(store.models.get(tuned.id)).toMatchObject({ parentId: base.id, datasetSnapshot: { crops: [1, 2, 3] }, metrics: { f1: 0.8 } });
      expect(store.models.lineage(tuned.id).map((m) => m.name)).toEqual(['tuned', 'base']);
      expect(() => store.settings.setActiveModelId(tuned.id)).toThrow(/not ready/);
      store.models.setStatus(tuned.id, 'ready');
      store.settings.setActiveModelId(tuned.id);
      expect(store.settings.activeModelId()).toBe(tuned.id);
      store.settings.set('viewer', { gamma: 1.2 });
      expect(store.settings.get('viewer')).toEqual({ gamma: 1.2 });
      store.settings.setActiveModelId(null);
      expect(store.settings.activeModelId()).toBeNull();
    });

    it('commits or rolls back multi-step changes as one transaction', () => {
      expect(() =>
        store.transaction(() => {
          store.classes.create('A', '#000');
          store.classes.create('a', '#000');
        }),
      ).toThrow(/UNIQUE/);
      expect(store.classes.list()).toEqual([]);
    });
  });
});

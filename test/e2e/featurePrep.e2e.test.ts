// Background feature preparation seen from review mode in Chromium (issue 13): with the bundled
// default model active and two suggestions on a training image, accepting one with the key
// starts the 'prepareFeatures' job in the background; the Retrain panel says "features ready for
// N of M new crops" as it runs, ends with every new crop ready, and the features are in the
// project's store (cache/features) — what the retrain will read instead of computing.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { dispatchRequest } from '../../src-main/core/app/requestDispatcher';
import { resolveBaseModel } from '../../src-main/core/ml/training/baseModels';
import { encodeTestTiff } from '../generators/tiff/tiffWriter';
import { defaultModelOrFixture, endE2eSession, openProjectInPage, screenshotDir, startE2eSession, type E2eSession } from './support/e2eSession';
import { selectImage } from './support/patternProject';
import { patternSamples } from './support/viewerProject';

const SIDE = 512;
let session: E2eSession | undefined;
let imageId: number;
let restoreDefaultModel: () => void = () => undefined;

function featureFiles(projectDir: string): string[] {
  const root = join(projectDir, 'cache', 'features');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((ns) => readdirSync(join(root, ns)).filter((f) => f.endsWith('.mfc')));
}

describe('background feature preparation (review mode)', () => {
  beforeAll(async () => {
    restoreDefaultModel = defaultModelOrFixture();
    session = await startE2eSession({ tmpPrefix: 'micra-e2e-prep-', projectName: 'Prep study' });
    const tiff = join(session.workDir, 'pattern.tif');
    await writeFile(tiff, encodeTestTiff([{ width: SIDE, height: SIDE, channels: 1, bits: 8, samples: Buffer.from(patternSamples(SIDE, SIDE)), rowsPerStrip: 64, compression: 'lzw' }]));
    const app = createNodeApp('serve');
    try {
      await app.openProject(session.projectDir, true);
      const r = await app.importFile(tiff);
      if (!r.ok) throw new Error(r.error);
      imageId = r.image.id;
      const { store } = app.requireProject();
      const cls = store.classes.create('marker', '#ffcc00');
      const base = await resolveBaseModel(store, { kind: 'default' });
      const active = await dispatchRequest(app.handlers, 'models.setActive', { id: base.modelId });
      if (!active.ok) throw new Error(active.error.message);
      const split = await dispatchRequest(app.handlers, 'dataset.setSplit', { imageId, split: 'train' });
      if (!split.ok) throw new Error(split.error.message);
      store.suggestions.insertMany([
        { imageId, classId: cls.id, modelId: base.modelId, runJobId: null, x: 100, y: 100, width: 40, height: 40, score: 0.95 },
        { imageId, classId: cls.id, modelId: base.modelId, runJobId: null, x: 350, y: 380, width: 30, height: 30, score: 0.9 },
      ]);
    } finally {
      await app.close();
    }
    await openProjectInPage(session);
    await selectImage(session.page, imageId);
  }, 180_000);
  afterAll(async () => {
    restoreDefaultModel();
    await endE2eSession(session ?? {});
  });

  it('prepares the accepted crop’s features in the background and says how many are ready', async () => {
    const { page, projectDir } = session!;
    await page.getByTestId('mode-review').click();
    await page.getByTestId('review-panel').waitFor();
    await expect.poll(() => page.getByTestId('review-queue-item').count(), { timeout: 60_000 }).toBe(2);
    // Nothing labelled yet: nothing prepared, nothing said.
    expect(await page.getByTestId('review-retrain-features').count()).toBe(0);
    expect(featureFiles(projectDir)).toEqual([]);

    await page.keyboard.press('a');
    const hint = page.getByTestId('review-retrain-features');
    await hint.waitFor({ timeout: 60_000 });
    // Ends with every new crop ready.
    await expect.poll(async () => (await hint.textContent()) ?? '', { timeout: 300_000, interval: 500 }).toMatch(/features ready for (\d+) of \1 new crops/);
    const [, ready] = /features ready for (\d+) of/.exec((await hint.textContent()) ?? '')!;
    // The accepted crop and the unlabelled crops drawn beside it (1:5 per positive).
    expect(Number(ready)).toBeGreaterThanOrEqual(1);
    const db = new Database(join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const jobs = db.prepare("SELECT status FROM jobs WHERE kind = 'prepareFeatures'").all() as Array<{ status: string }>;
      expect(jobs).toEqual([{ status: 'done' }]);
    } finally {
      db.close();
    }
    // Two dihedral variants of each training crop, in the project's store.
    expect(featureFiles(projectDir)).toHaveLength(2 * Number(ready));
    await page.screenshot({ path: join(screenshotDir, 'feature-prep-ready.png') });
  }, 400_000);
});

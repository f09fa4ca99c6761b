// Any model is a base, as a user meets it in Chromium: label four 128² crops, import a model
// folder from the models list, and the Train screen's base-model choice offers the bundled
// default and the imported model, each with its classes and provenance. A one-epoch run from
// the default records its base: the new model's parent is the default's row, and its card names
// the default with the digest of its weights.
import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weightsDigest } from '../../src-main/core/ml/weights/weightsDigest';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import { endE2eSession, startE2eSession } from './support/e2eSession';
import { repoRoot, type ServedApp } from './support/servedApp';
import { dbRows, screenshotDir } from './support/viewerProject';

const SIZE = 256;
const CROP = 128;
const DEFAULT_MANIFEST = join(repoRoot, 'models', 'default', 'manifest.json');

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let importedId: number;

const rows = <T>(sql: string): T[] => dbRows<T>(projectDir, sql);
const text = async (testId: string): Promise<string> => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const baseOptions = async (): Promise<string[]> =>
  page.getByTestId('param-base-model').locator('option').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-base-e2e-', projectName: 'Base study' }));
  await writeSemTiff(join(workDir, 'sem.tif'), generateSemTile({ width: SIZE, height: SIZE, seed: 21, markerCount: 2 }));
  // A lab's model folder: the default's weights under another name.
  await cp(dirname(DEFAULT_MANIFEST), join(workDir, 'lab model'), { recursive: true });
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('base models on the Train screen', () => {
  it('labels four crops of 128²', async () => {
    await createProjectInUi(page, served.url, projectDir);
    await dropImageAndWaitReady(page, 'sem.tif', await readFile(join(workDir, 'sem.tif')));
    await page.getByTestId('mode-label').click();
    await page.getByTestId('new-class-name').fill('Axon DAB');
    await page.getByTestId('new-class-create').click();
    await page.getByTestId('label-counts').getByText('Axon DAB').waitFor();
    await page.getByTestId('label-crop-size').selectOption(String(CROP));
    await page.getByTestId('label-hide-background').uncheck();
    await expect.poll(() => page.locator('[data-testid="crop-cell"][data-drawn="true"]').count(), { timeout: 30_000 }).toBe(4);
    // Focus the first crop (the crop-size select had the keyboard), then one key per crop.
    await page.getByTestId('crop-cell').first().click();
    for (const key of ['y', 'n', 'y', 'n']) await page.keyboard.press(key);
    await expect.poll(() => rows<{ n: number }>('SELECT count(*) AS n FROM labels')[0]!.n).toBe(4);
  });

  it('offers the bundled default and an imported model, with classes and provenance', async () => {
    await page.getByTestId('mode-train').click();
    await page.getByTestId('model-import-path').fill(join(workDir, 'lab model'));
    await page.getByTestId('model-import').click();
    await expect.poll(() => rows<{ id: number }>("SELECT id FROM models WHERE origin = 'imported'").length).toBe(1);
    importedId = rows<{ id: number }>("SELECT id FROM models WHERE origin = 'imported'")[0]!.id;

    await expect.poll(baseOptions).toEqual([
      `none (train from scratch, ${CROP}²)`,
      'Default model (bundled) · Axon DAB',
      `#${importedId} lab model · Axon DAB`,
    ]);
    await page.getByTestId('param-base-model').selectOption(`model:${importedId}`);
    // The line is built from the card of the bundled model (whichever model ships).
    const bundled = (JSON.parse(await readFile(DEFAULT_MANIFEST, 'utf8')) as { card: { provenance: { trainedAt: string; backend: string } } }).card.provenance;
    const trainedLine = `trained ${bundled.trainedAt.slice(0, 10)}, on ${bundled.backend}`;
    await expect.poll(() => text('base-model-provenance')).toMatch(/^imported from .*lab model, /);
    expect(await text('base-model-provenance')).toContain(trainedLine);

    await page.getByTestId('param-base-model').selectOption('default');
    expect(await text('base-model-classes')).toBe('Axon DAB');
    expect(await text('base-model-provenance')).toMatch(/^ships with the app, /);
    expect(await text('base-model-provenance')).toContain(trainedLine);
    expect(await text('base-class-plan')).toMatch(/^Same classes/);
    expect(await page.getByTestId('base-model-facts').getAttribute('data-same-classes')).toBe('true');
    await page.screenshot({ path: join(screenshotDir, 'training-base-model.png') });
  });

  it('trains one epoch from the default and records it as the base', async () => {
    const imageId = rows<{ id: number }>('SELECT id FROM images')[0]!.id;
    await page.getByTestId(`split-${imageId}`).selectOption('train');
    await page.getByTestId('param-mode').selectOption('linear');
    await page.getByTestId('param-epochs').fill('1');
    await page.getByTestId('param-batch').fill('4');
    await page.getByTestId('param-pu-ratio').selectOption('0');
    await page.getByTestId('param-name').fill('from default');
    await page.getByTestId('training-start').click();
    await page.getByTestId('training-progress').waitFor();
    const ended = ['done', 'failed', 'cancelled'];
    await expect.poll(async () => ended.includes((await page.getByTestId('training-progress').getAttribute('data-status')) ?? ''), { timeout: 300_000, interval: 500 }).toBe(true);
    const job = rows<{ status: string; error: string | null }>("SELECT status, error FROM jobs WHERE kind = 'train' ORDER BY id DESC LIMIT 1")[0];
    expect(job?.status, job?.error ?? '').toBe('done');

    // The job ends a moment before the model row is settled (trainingService's settle).
    await expect.poll(() => rows<{ status: string }>("SELECT status FROM models WHERE name = 'from default'")[0]?.status).toBe('ready');
    const model = rows<{ id: number; parent_id: number; status: string; card: string; dir: string }>("SELECT id, parent_id, status, card, dir FROM models WHERE name = 'from default'")[0]!;
    const parent = rows<{ origin: string }>(`SELECT origin FROM models WHERE id = ${model.parent_id}`)[0];
    expect(parent?.origin).toBe('bundled');
    const digest = await weightsDigest(DEFAULT_MANIFEST);
    const card = JSON.parse(model.card) as { classes: string[]; inputSize: number; provenance: { parent: string; base: Record<string, unknown> } };
    expect(card).toMatchObject({ classes: ['Axon DAB'], inputSize: CROP, provenance: { parent: String(model.parent_id) } });
    expect(card.provenance.base).toEqual({ name: 'Default model (bundled)', modelId: model.parent_id, origin: 'bundled', sha256: digest, classes: ['Axon DAB'], newHeadRows: [] });
    const manifest = JSON.parse(await readFile(join(projectDir, model.dir, 'manifest.json'), 'utf8')) as { card: { provenance: { base: { sha256: string } } } };
    expect(manifest.card.provenance.base.sha256).toBe(digest);
    // The models list shows the base with its digest.
    await page.getByTestId(`model-${model.id}`).click();
    await expect.poll(() => text('model-fact-base')).toBe(`Default model (bundled) (sha256 ${digest.slice(0, 12)}…)`);
    // The new model is a base too, and the screen says where it came from.
    await expect.poll(baseOptions).toContain(`#${model.id} from default · Axon DAB`);
    await page.getByTestId('param-base-model').selectOption(`model:${model.id}`);
    await expect.poll(() => text('base-model-provenance')).toMatch(/fine-tuned from Default model \(bundled\)$/);
  }, 400_000);
});

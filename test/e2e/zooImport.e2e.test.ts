// A lab's model zoo of the original MICRA-Net code, imported from the Train screen in Chromium:
// a typed .hdf5 path shows the supervision and model fields; an ambiguous zoo is refused with its
// groups listed; with "1:5" the model joins the list, and its card shows the zoo's threshold and
// where it came from. The zoo is written by h5py as the original code writes it.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZooWithH5py } from '../generators/zoo/h5pyZoo';
import { createProjectInUi } from './support/projectSteps';
import { endE2eSession, startE2eSession } from './support/e2eSession';
import { repoRoot, type ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

const FIXTURE = join(repoRoot, '..', 'shared', 'fixtures', 'micranet-reference');
const PARAMS = { num_input_images: 1, num_classes: 1, size: 256 };

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let zoo: string;

const text = async (testId: string): Promise<string> => ((await page.getByTestId(testId).textContent()) ?? '').trim();

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-zoo-e2e-', projectName: 'Zoo study' }));
  zoo = join(workDir, 'EMModelZoo.hdf5');
  writeZooWithH5py(FIXTURE, zoo, [
    { name: 'MICRANet-1:1', trainer_params: PARAMS, class_thresholds: [0.61] },
    { name: 'MICRANet-1:5', trainer_params: PARAMS, class_thresholds: [0.42] },
  ]);
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('Import model… with a MICRA-Net zoo', () => {
  it('asks for the supervision level, then imports that model with its card', async () => {
    await createProjectInUi(page, served.url, projectDir);
    await page.getByTestId('mode-train').click();
    await page.getByTestId('model-import-path').fill(zoo);
    await page.getByTestId('model-zoo-supervision').waitFor();

    await page.getByTestId('model-import').click();
    await expect.poll(() => text('models-error')).toMatch(/several architecture groups: MICRANet-1:1, MICRANet-1:5/);
    expect(dbRows<{ n: number }>(projectDir, 'SELECT count(*) AS n FROM models')[0]!.n).toBe(0);

    await page.getByTestId('model-zoo-supervision').fill('1:5');
    await page.getByTestId('model-import').click();
    await expect.poll(() => text('models-notice')).toMatch(/^Imported #\d+ EMModelZoo MICRANet-1:5\/network\.$/);
    const [row] = dbRows<{ id: number; card: string }>(projectDir, "SELECT id, card FROM models WHERE origin = 'imported'");
    expect(JSON.parse(row!.card)).toMatchObject({ inputSize: 256, classThresholds: [0.42] });
    await page.getByTestId(`model-${row!.id}`).click();
    await expect.poll(() => text('model-fact-source')).toBe('EMModelZoo.hdf5 › MICRANet-1:5/network');
    expect(await text('model-fact-classes')).toBe('class 1 (t = 0.42)');
    // The zoo fields belong to a zoo path only.
    expect(await page.getByTestId('model-zoo-supervision').count()).toBe(0);
  });
});

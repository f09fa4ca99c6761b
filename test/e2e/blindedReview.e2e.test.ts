// Blinded review and reviewers compared, in Chromium (issue 15): a synthetic SEM image with a
// seeded sweep run of three suggestions, on which reviewer Bob has already accepted the best and
// declined the second (through core decide, as another window would). In Review, Ann names
// herself and turns "blinded" on: her queue and the stats panel show all three pending — Bob's
// decisions unseen, and the image list no longer counts them — and her keys write decisions
// under her name, counted in her stats alone. In Measure, "Compare reviewers" shows the pair
// with the counts the decision log gives.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { openProjectStore } from '../../src-main/core/project/projectStore';
import { decide } from '../../src-main/core/review/reviewService';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { seedSweepRun } from '../unit/evaluation/seedSweepRun';
import { endE2eSession, openProjectInPage, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;
let ids: number[];

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-blind-e2e-', projectName: 'Blind', viewport: { width: 1600, height: 1000 } }));
  const tiff = join(workDir, 'sem.tif');
  await writeSemTiff(tiff, generateSemTile({ width: 768, height: 512, seed: 3, markerCount: 3 }));
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    const outcome = await app.importFile(tiff);
    if (!outcome.ok) throw new Error(outcome.error);
    imageId = outcome.image.id;
  } finally {
    await app.close();
  }
  const store = openProjectStore(projectDir, { create: false });
  try {
    seedSweepRun(store, imageId, 0.5, [{ box: [80, 80, 40, 40], score: 0.9 }, { box: [400, 50, 30, 30], score: 0.8 }, { box: [580, 380, 20, 20], score: 0.7 }]);
    ids = (store.db.prepare('SELECT id FROM suggestions ORDER BY score DESC').all() as Array<{ id: number }>).map((r) => r.id);
    decide(store, { suggestionId: ids[0]!, action: 'accept', shownRect: null, actor: 'bob' });
    decide(store, { suggestionId: ids[1]!, action: 'decline', shownRect: null, actor: 'bob' });
  } finally {
    store.close();
  }
  await openProjectInPage({ page, served, projectDir });
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

async function queueStates(): Promise<string[]> {
  return page.getByTestId('review-queue-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''));
}

async function statText(): Promise<{ reviewed: string | null; accepted: string | null }> {
  return { reviewed: await page.getByTestId('review-stat-reviewed').textContent(), accepted: await page.getByTestId('review-stat-accepted').textContent() };
}

describe('blinded review in Chromium', () => {
  it("hides the other reviewer's decisions, records Ann's under her name, and compares the two", async () => {
    await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
    await page.getByTestId('mode-review').click();
    await page.getByTestId('review-panel').waitFor();
    // Not blinded: Bob's decisions show.
    await expect.poll(queueStates).toEqual(['accepted', 'declined', 'pending']);
    await expect.poll(statText, { timeout: 15_000 }).toEqual({ reviewed: '2 / 3', accepted: '1' });
    const listed = page.getByTestId(`image-item-${imageId}`).getByTestId('image-reviewed');
    await expect.poll(() => listed.textContent(), { timeout: 15_000 }).toBe('2/3 reviewed');

    await page.getByTestId('reviewer-name').fill('ann');
    await page.getByTestId('reviewer-name').press('Tab');
    await page.getByTestId('reviewer-blinded').check();
    await expect.poll(queueStates).toEqual(['pending', 'pending', 'pending']);
    // Blinded, the numbers are Ann's alone too: nothing reviewed yet.
    await expect.poll(statText, { timeout: 15_000 }).toEqual({ reviewed: '0 / 3', accepted: '0' });
    // Nor does the image list count Bob's decisions any more.
    await expect.poll(() => listed.count()).toBe(0);
    expect(await page.getByTestId(`image-item-${imageId}`).getByTestId('image-accepted').count()).toBe(0);

    // Ann declines the best suggestion (Bob accepted it) and declines the second (as Bob did);
    // the keys go to the review once the checkbox lets go of the focus.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForFunction(() => {
      const r = window.__micraReview;
      return r !== undefined && r.inFlight() === 0 && r.current().key !== null && r.current().drawn;
    });
    await page.keyboard.press('d');
    await expect.poll(queueStates).toEqual(['declined', 'pending', 'pending']);
    await page.waitForFunction(() => window.__micraReview!.inFlight() === 0 && window.__micraReview!.current().drawn);
    await page.keyboard.press('d');
    await expect.poll(queueStates).toEqual(['declined', 'declined', 'pending']);
    // Ann's two declines, not Bob's accept: reviewed 2, accepted 0.
    await expect.poll(statText, { timeout: 15_000 }).toEqual({ reviewed: '2 / 3', accepted: '0' });
    expect(dbRows<{ actor: string; action: string; target_id: number }>(projectDir, "SELECT actor, action, target_id FROM decisions WHERE target_kind = 'suggestion' ORDER BY id")).toEqual([
      { actor: 'bob', action: 'accept', target_id: ids[0] },
      { actor: 'bob', action: 'decline', target_id: ids[1] },
      { actor: 'ann', action: 'decline', target_id: ids[0] },
      { actor: 'ann', action: 'decline', target_id: ids[1] },
    ]);

    await page.getByTestId('mode-measure').click();
    await page.getByTestId('reviewer-agreement-compare').click();
    const pair = page.locator('[data-testid="reviewer-pair"][data-a="ann"][data-b="bob"]');
    await pair.waitFor();
    expect(await pair.getAttribute('data-both')).toBe('2');
    expect(await pair.getAttribute('data-agree')).toBe('1');
    // pa(accept) = 0, pb = 1/2: pe = 0.5, po = 0.5 → κ = 0.
    expect(Number(await pair.getAttribute('data-kappa'))).toBe(0);
    expect(await page.locator('[data-testid="reviewer-summary"][data-actor="bob"]').textContent()).toBe('bob: 1 accepted, 1 declined');
  }, 180_000);
});

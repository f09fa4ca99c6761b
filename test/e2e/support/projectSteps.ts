// The UI steps every e2e flow starts with: create a project from the start screen, drop a file
// on the image list and wait until its import is ready.
import type { Page } from 'playwright-core';
import { dropFiles } from './dropFiles';

/** Opens the app and creates a project in `projectDir` from the start screen. */
export async function createProjectInUi(page: Page, url: string, projectDir: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('project-dir').fill(projectDir);
  await page.getByTestId('project-create').click();
  await page.getByTestId('project-name').waitFor();
}

/** Drops one file on the drop zone and waits until an image is ready in the list. */
export async function dropImageAndWaitReady(page: Page, name: string, bytes: Buffer): Promise<void> {
  await dropFiles(page, '[data-testid="drop-zone"]', [{ name, bytes }]);
  await page.locator('[data-testid^="image-item-"][data-status="ready"]').first().waitFor({ timeout: 120_000 });
}

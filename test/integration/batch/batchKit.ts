// Set-up shared by the batch tests: a project of a few small generated SEM images (imported by
// the real app), a copy of it made before anything is swept, and the local sweep of that copy
// — what a batch must equal once collected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MaskMethod } from '../../../src-main/core/ml/sweep/maskMethod';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { FIXTURE_MODEL } from '../sweep/sweepKit';

export { FIXTURE_MODEL };

export interface Study {
  tmp: string;
  /** The project the batch is planned from and collected into. */
  projectDir: string;
  /** Its copy, swept locally. */
  localDir: string;
  imageIds: number[];
  cleanup(): void;
}

export async function makeStudy(sizes: readonly number[], seed: number): Promise<Study> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-batch-'));
  const projectDir = path.join(tmp, 'project');
  const app = createNodeApp('serve');
  const imageIds: number[] = [];
  try {
    await app.openProject(projectDir, true);
    for (const [i, size] of sizes.entries()) {
      const tiff = path.join(tmp, `sem-${i}.tif`);
      await writeSemTiff(tiff, generateSemTile({ width: size, height: size, seed: seed + i, markerCount: 3 }));
      const outcome = await app.importFile(tiff);
      if (!outcome.ok) throw new Error(outcome.error);
      imageIds.push(outcome.image.id);
    }
  } finally {
    await app.close();
  }
  const localDir = path.join(tmp, 'local');
  fs.cpSync(projectDir, localDir, { recursive: true });
  return { tmp, projectDir, localDir, imageIds, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** Sweeps every image of the project with the app's sweep service, as `micra sweep` does. */
export async function sweepLocally(projectDir: string, imageIds: number[], workers: number, maskMethod: MaskMethod = 'object'): Promise<void> {
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, false);
    const service = app.requireProject().sweeps;
    const runs = await service.start({ imageIds, manifestPath: FIXTURE_MODEL, workers, maskMethod });
    for (const run of runs) {
      const settled = await service.settled(run.id);
      if (settled.status !== 'done') throw new Error(`local sweep of image ${run.imageId}: ${settled.status} ${settled.error ?? ''}`);
    }
  } finally {
    await app.close();
  }
}

export function query<T>(projectDir: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** Every suggestion, as the review sees it: image, box, score and mask. */
export function suggestionsOf(projectDir: string, imageIds?: number[]): string[] {
  const rows = query<{ image_id: number; x: number; y: number; width: number; height: number; score: number; mask: string }>(
    projectDir,
    'SELECT image_id, x, y, width, height, score, hex(mask) AS mask FROM suggestions ORDER BY image_id, y, x, width, height',
  );
  return rows.filter((r) => !imageIds || imageIds.includes(r.image_id)).map((r) => `${r.image_id} ${r.x},${r.y} ${r.width}×${r.height} ${r.score} ${r.mask}`);
}

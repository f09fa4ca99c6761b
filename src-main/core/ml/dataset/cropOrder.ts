// Active labelling: the order in which the crop grid shows an image's crops, from the active
// model's score of each grid crop (cropScoreJob.ts), so the labeller's time goes where it helps:
//   - 'likely': likely positives first (highest score first) — the rare positives of a sparse
//     image come up on the first page instead of page 7;
//   - 'uncertain': most uncertain first (score closest to the model's threshold) — the crops a
//     label teaches the model most about;
//   - 'raster': the grid's own order, row by row.
// Background crops (no score: they failed the background test) come last, in raster order; ties
// keep raster order, so an order is the same on every call.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export type CropOrder = 'raster' | 'likely' | 'uncertain';

export const CropScoresFileSchema = z.object({
  imageId: z.number().int().positive(),
  modelId: z.number().int().positive(),
  cropSize: z.number().int().positive(),
  classIndex: z.number().int().nonnegative(),
  /** Which image the id named when the scores were made (cropScoresStamp): ids of removed images are reused. */
  imageStamp: z.string(),
  threshold: z.number().min(0).max(1),
  /** One per grid crop in cropGrid's order; null: a background crop, not scored. */
  scores: z.array(z.number().min(0).max(1).nullable()),
});
export type CropScoresFile = z.infer<typeof CropScoresFileSchema>;

function cropScoresDir(projectDir: string): string {
  return path.join(projectDir, 'cache', 'crop-scores');
}

/** One cache file per image, model and crop size: a model's weights never change under its id. */
export function cropScoresPath(projectDir: string, imageId: number, modelId: number, cropSize: number): string {
  return path.join(cropScoresDir(projectDir), `image-${imageId}-model-${modelId}-size-${cropSize}.json`);
}

/**
 * What tells this image from an earlier one under the same id (SQLite reuses the id of a removed
 * last row): when its row was made and what its pixels hash to.
 */
export function cropScoresStamp(image: { created_at: string; content_hash: string | null }): string {
  return `${image.created_at}/${image.content_hash ?? ''}`;
}

/**
 * The cached scores, or null when there are none. A file that does not fit (damaged, foreign, of
 * an earlier image under the same id, or of another grid) is stale: it is deleted, so the scores
 * are made afresh.
 */
export function readCropScores(projectDir: string, imageId: number, imageStamp: string, modelId: number, cropSize: number, gridLength: number): CropScoresFile | null {
  const file = cropScoresPath(projectDir, imageId, modelId, cropSize);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof CropScoresFileSchema.safeParse> | null = null;
  try {
    parsed = CropScoresFileSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  const f = parsed?.success ? parsed.data : null;
  if (f && f.imageId === imageId && f.imageStamp === imageStamp && f.modelId === modelId && f.cropSize === cropSize && f.scores.length === gridLength) return f;
  fs.rmSync(file, { force: true });
  return null;
}

const CACHE_NAME = /^image-(\d+)-model-(\d+)-size-\d+\.json(?:\.\d+\.tmp)?$/;

/**
 * Deletes the cached scores that `stale` picks by image and model id (a file whose name is not
 * the cache's own is left alone). Returns the names deleted.
 */
export function removeCropScores(projectDir: string, stale: (imageId: number, modelId: number) => boolean): string[] {
  const dir = cropScoresDir(projectDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = CACHE_NAME.exec(name);
    if (!m || !stale(Number(m[1]), Number(m[2]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Grid indices in the order asked. */
export function orderedGridIndices(scores: readonly (number | null)[], order: CropOrder, threshold: number): number[] {
  const indices = scores.map((_, i) => i);
  if (order === 'raster') return indices;
  const key = (s: number) => (order === 'likely' ? -s : Math.abs(s - threshold));
  return indices.sort((a, b) => {
    const sa = scores[a] ?? null;
    const sb = scores[b] ?? null;
    if (sa === null || sb === null) return sa === sb ? a - b : sa === null ? 1 : -1;
    return key(sa) - key(sb) || a - b;
  });
}

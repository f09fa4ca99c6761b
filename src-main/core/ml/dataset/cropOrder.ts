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
  threshold: z.number().min(0).max(1),
  /** One per grid crop in cropGrid's order; null: a background crop, not scored. */
  scores: z.array(z.number().min(0).max(1).nullable()),
});
export type CropScoresFile = z.infer<typeof CropScoresFileSchema>;

/** One cache file per image, model and crop size: a model's weights never change under its id. */
export function cropScoresPath(projectDir: string, imageId: number, modelId: number, cropSize: number): string {
  return path.join(projectDir, 'cache', 'crop-scores', `image-${imageId}-model-${modelId}-size-${cropSize}.json`);
}

/** The cached scores, or null when there are none or they do not fit the grid (a damaged or foreign file). */
export function readCropScores(projectDir: string, imageId: number, modelId: number, cropSize: number, gridLength: number): CropScoresFile | null {
  let text: string;
  try {
    text = fs.readFileSync(cropScoresPath(projectDir, imageId, modelId, cropSize), 'utf8');
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof CropScoresFileSchema.safeParse>;
  try {
    parsed = CropScoresFileSchema.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const f = parsed.data;
  if (f.imageId !== imageId || f.modelId !== modelId || f.cropSize !== cropSize || f.scores.length !== gridLength) return null;
  return f;
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

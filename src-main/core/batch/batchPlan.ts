// plan.json: what a batch job sweeps and how. Written once by `micra batch plan`; read by every
// task on the cluster and by status and collect, each time validated in full (the job folder is
// untrusted), and its content hashes checked before a task sweeps.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MaskMethodSchema } from '../ml/sweep/maskMethod';
import { sweepGrid } from '../ml/sweep/sweepGrid';
import { fileSha256, treeSha256 } from './contentHash';
import { MODEL_DIR, planFile } from './jobFolder';

export const PLAN_FORMAT = 'micra-batch/1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A file of the model folder: a plain name, never a path (no '/', no '..'). */
const PlainFileName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
const PositiveInt = z.number().int().positive();

export const PlanImageSchema = z.object({
  index: z.number().int().nonnegative(),
  imageId: PositiveInt,
  name: z.string(),
  width: PositiveInt,
  height: PositiveInt,
  bitsPerSample: z.union([z.literal(8), z.literal(16)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  tileSize: PositiveInt,
  /** The sweep grid of this image (sweepGrid.ts), so status and collect know when a task is complete. */
  cols: PositiveInt,
  rows: PositiveInt,
  /** treeSha256 of tiles/<imageId>/ in the job folder. */
  tilesSha256: Sha256,
});
export type PlanImage = z.infer<typeof PlanImageSchema>;

export const BatchPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  id: z.uuid(),
  createdAt: z.string(),
  /** The project the plan was made from (absolute; informational: collect checks the plan id). */
  project: z.string(),
  /** How the tiles reached the job folder. */
  tiles: z.enum(['hardlink', 'copy']),
  model: z.object({
    /** The project's models row and class the suggestions will belong to. */
    projectModelId: PositiveInt,
    classId: PositiveInt,
    classIndex: z.number().int().nonnegative(),
    className: z.string(),
    /** sha256 of every file of model/ (manifest.json and its arrays). */
    files: z.record(PlainFileName, Sha256),
  }),
  sweep: z.object({
    cropSize: PositiveInt,
    stride: PositiveInt,
    threshold: z.number().min(0).max(1),
    maskMethod: MaskMethodSchema,
    backgroundStdDev: z.number().nonnegative().optional(),
  }),
  images: z.array(PlanImageSchema).min(1),
});
export type BatchPlan = z.infer<typeof BatchPlanSchema>;

export class InvalidJobFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobFolderError';
  }
}

/** Checks what the schema cannot: task indexes 0..N-1 in order, one task per image, grids that match. */
export function checkPlan(plan: BatchPlan): void {
  const seen = new Set<number>();
  plan.images.forEach((img, i) => {
    if (img.index !== i) throw new InvalidJobFolderError(`plan: image ${i} has task index ${img.index}`);
    if (seen.has(img.imageId)) throw new InvalidJobFolderError(`plan: image ${img.imageId} appears twice`);
    seen.add(img.imageId);
    const grid = sweepGrid(img.width, img.height, plan.sweep.cropSize, plan.sweep.stride);
    if (grid.xs.length !== img.cols || grid.ys.length !== img.rows)
      throw new InvalidJobFolderError(`plan: task ${i} has a ${img.cols}×${img.rows} grid; its image and settings give ${grid.xs.length}×${grid.ys.length}`);
  });
  if (!('manifest.json' in plan.model.files)) throw new InvalidJobFolderError('plan: the model has no manifest.json');
}

export async function readPlan(jobDir: string): Promise<BatchPlan> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(planFile(jobDir), 'utf8'));
  } catch (err) {
    throw new InvalidJobFolderError(`${jobDir} is not a batch job folder: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = BatchPlanSchema.safeParse(json);
  if (!parsed.success) throw new InvalidJobFolderError(`${planFile(jobDir)} is not a valid plan: ${z.prettifyError(parsed.error)}`);
  checkPlan(parsed.data);
  return parsed.data;
}

export function planTask(plan: BatchPlan, index: number): PlanImage {
  const image = plan.images[index];
  if (!image) throw new InvalidJobFolderError(`the plan has ${plan.images.length} tasks (0–${plan.images.length - 1}); there is no task ${index}`);
  return image;
}

/** Throws unless the model files and the task's tiles hash as planned. */
export async function verifyTaskInputs(jobDir: string, plan: BatchPlan, image: PlanImage): Promise<void> {
  for (const [name, expected] of Object.entries(plan.model.files)) {
    const actual = await fileSha256(path.join(jobDir, MODEL_DIR, name)).catch((err: unknown) => {
      throw new InvalidJobFolderError(`model file ${name} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (actual !== expected) throw new InvalidJobFolderError(`model file ${name} changed since the plan was made (sha256 ${actual}, planned ${expected})`);
  }
  const tiles = await treeSha256(path.join(jobDir, 'tiles', String(image.imageId))).catch((err: unknown) => {
    throw new InvalidJobFolderError(`the tiles of image ${image.imageId} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (tiles !== image.tilesSha256) throw new InvalidJobFolderError(`the tiles of image ${image.imageId} changed since the plan was made`);
}

// `micra batch plan`: makes a self-contained job folder from a project. Tiles reach the folder
// as hard links to level 0 of each image's tile store (no copy, no extra disk; tile files are
// never rewritten in place, so a link is as read-only as the project's own file), or as copies
// when the folder is on another filesystem. The job folder must then be on a filesystem every
// node mounts (the cluster's shared /home, /project or /scratch). The model is copied (a few MB).
// Content hashes of both go into plan.json. The plan is also recorded in the project, so collect
// accepts only folders planned from this project and the app can show what is still out.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MaskMethod } from '../ml/sweep/maskMethod';
import { readF32Manifest } from '../ml/weights/f32Manifest';
import { sweepGrid } from '../ml/sweep/sweepGrid';
import type { ProjectStore } from '../project/projectStore';
import { PYRAMID_INFO_FILE, tileDir } from '../imaging/tileStore';
import type { ImageRow } from '../project/imagesRepo';
import { resolveSweepModel, type SweepModel, type SweepModelChoice } from '../review/sweepModel';
import { BatchPlanSchema, checkPlan, PLAN_FORMAT, type BatchPlan, type PlanImage } from './batchPlan';
import { fileSha256, treeSha256 } from './contentHash';
import { MODEL_DIR, MODEL_MANIFEST, planFile } from './jobFolder';

export interface PlanOptions extends SweepModelChoice {
  imageIds: number[];
  jobDir: string;
  stride?: number | undefined;
  maskMethod?: MaskMethod | undefined;
  backgroundStdDev?: number | undefined;
}

export async function planBatch(store: ProjectStore, opts: PlanOptions): Promise<BatchPlan> {
  const jobDir = path.resolve(opts.jobDir);
  if (existsSync(jobDir) && readdirSync(jobDir).length > 0) throw new Error(`${jobDir} exists and is not empty: plan into a new folder`);
  if (opts.imageIds.length === 0) throw new Error('no image to plan');
  const images = opts.imageIds.map((id) => {
    const image = store.images.get(id);
    if (!image) throw new Error(`no image ${id} in this project`);
    if (image.status !== 'ready') throw new Error(`image ${id} is not ready (${image.status})`);
    return image;
  });
  if (new Set(opts.imageIds).size !== opts.imageIds.length) throw new Error('an image is named twice');
  const model = await resolveSweepModel(store, opts);
  const created = !existsSync(jobDir);
  mkdirSync(jobDir, { recursive: true });
  try {
    return await fillJobFolder(store, jobDir, images, model, opts);
  } catch (err) {
    // A half-made folder would only be refused as "not empty" next time.
    if (created) rmSync(jobDir, { recursive: true, force: true });
    throw err;
  }
}

async function fillJobFolder(store: ProjectStore, jobDir: string, images: ImageRow[], model: SweepModel, opts: PlanOptions): Promise<BatchPlan> {
  const cropSize = model.card.inputSize;
  const stride = opts.stride ?? cropSize;
  const modelFiles = await copyModel(model.manifest, path.join(jobDir, MODEL_DIR));
  let tiles: BatchPlan['tiles'] = 'hardlink';
  const planned: PlanImage[] = [];
  for (const [index, image] of images.entries()) {
    const from = tileDir(store.dir, image.id);
    const to = path.join(jobDir, 'tiles', String(image.id));
    // Only level 0 is swept; pyramid.json says what the tiles are.
    if (placeFile(path.join(from, PYRAMID_INFO_FILE), path.join(to, PYRAMID_INFO_FILE)) === 'copy') tiles = 'copy';
    if (placeTree(path.join(from, '0'), path.join(to, '0')) === 'copy') tiles = 'copy';
    const grid = sweepGrid(image.width, image.height, cropSize, stride);
    planned.push({
      index,
      imageId: image.id,
      name: image.name,
      width: image.width,
      height: image.height,
      bitsPerSample: image.bits_per_sample,
      channels: image.channels,
      tileSize: image.tile_size,
      cols: grid.xs.length,
      rows: grid.ys.length,
      tilesSha256: await treeSha256(to),
    });
  }
  const plan = BatchPlanSchema.parse({
    format: PLAN_FORMAT,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    project: store.dir,
    tiles,
    model: { projectModelId: model.modelId, classId: model.classId, classIndex: model.classIndex, className: model.card.classes[model.classIndex], files: modelFiles },
    sweep: {
      cropSize,
      stride,
      threshold: model.card.classThresholds[model.classIndex],
      maskMethod: opts.maskMethod ?? 'object',
      ...(opts.backgroundStdDev !== undefined ? { backgroundStdDev: opts.backgroundStdDev } : {}),
    },
    images: planned,
  });
  checkPlan(plan);
  store.batches.recordPlan(plan, jobDir);
  // plan.json last, renamed into place: a folder without it is an unfinished plan.
  const tmp = planFile(jobDir) + '.tmp';
  writeFileSync(tmp, JSON.stringify(plan, null, 2) + '\n');
  renameSync(tmp, planFile(jobDir));
  return plan;
}

/** Copies the manifest and the arrays it lists; returns each file's sha256. */
async function copyModel(manifest: string, to: string): Promise<Record<string, string>> {
  const m = await readF32Manifest(manifest);
  const names = [MODEL_MANIFEST, ...new Set(Object.values(m.arrays).map((a) => a.file))];
  mkdirSync(to, { recursive: true });
  const files: Record<string, string> = {};
  for (const name of names) {
    if (name !== path.basename(name) || name.startsWith('.')) throw new Error(`the model lists "${name}", which is not a file of its folder`);
    const target = path.join(to, name);
    copyFileSync(path.join(path.dirname(manifest), name), target);
    files[name] = await fileSha256(target);
  }
  return files;
}

function placeTree(from: string, to: string): 'hardlink' | 'copy' {
  mkdirSync(to, { recursive: true });
  let how: 'hardlink' | 'copy' = 'hardlink';
  for (const name of readdirSync(from)) if (placeFile(path.join(from, name), path.join(to, name)) === 'copy') how = 'copy';
  return how;
}

/** Hard-links a regular file of the tile store, copying it across filesystems. */
function placeFile(from: string, to: string): 'hardlink' | 'copy' {
  if (!lstatSync(from).isFile()) throw new Error(`${from} is not a regular file: the tile store holds only tiles`);
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    linkSync(from, to);
    return 'hardlink';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    copyFileSync(from, to);
    return 'copy';
  }
}

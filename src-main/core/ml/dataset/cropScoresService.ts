// Main side of active labelling: which model orders the crop grid (the project's active model,
// else the bundled default — the model a sweep would use), whether its scores of an image's grid
// are cached, and the 'cropScores' job that computes them when not (progress and cancel through
// the job runner, like every job). The grid then reads the cache (gridPage's `order`).
import { DomainError } from '../../../api/domainError';
import type { JobRunner } from '../../jobs/jobRunner';
import type { ImageRow } from '../../project/imagesRepo';
import type { ProjectStore } from '../../project/projectStore';
import { resolveSweepModel, type SweepModel } from '../../review/sweepModel';
import { cropGrid } from '../../../../src-shared/cropGrid';
import { cropScoresStamp, orderedGridIndices, readCropScores, removeCropScores, type CropOrder } from './cropOrder';
import { CropScoresParamsSchema } from './cropScoreJob';
import { imageGeometry } from '../../project/imageSummary';

async function orderingModel(store: ProjectStore, cropSize: number): Promise<SweepModel> {
  let model: SweepModel;
  try {
    model = await resolveSweepModel(store, {});
  } catch (err) {
    throw new DomainError('bad-request', `no model to order crops by: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (model.card.inputSize !== cropSize) throw new DomainError('bad-request', `the active model takes ${model.card.inputSize}² crops; the grid shows ${cropSize}²: set the crop size to ${model.card.inputSize} to order by the model`);
  return model;
}

/**
 * Deletes the cached scores of images and models the project no longer has (left by a removal
 * that did not get to clean up, or by an older version).
 */
export function pruneCropScores(store: ProjectStore): string[] {
  const images = new Set(store.images.list().map((i) => i.id));
  const models = new Set(store.models.list().map((m) => m.id));
  return removeCropScores(store.dir, (imageId, modelId) => !images.has(imageId) || !models.has(modelId));
}

/** The scores of the image's grid by the ordering model: cached already, or a job started (its id). */
export async function startCropScores(store: ProjectStore, runner: JobRunner, image: ImageRow, cropSize: number): Promise<{ modelId: number; cached: boolean; jobId: number | null }> {
  const model = await orderingModel(store, cropSize);
  const gridLength = cropGrid(image.width, image.height, cropSize).length;
  pruneCropScores(store);
  if (readCropScores(store.dir, image.id, cropScoresStamp(image), model.modelId, cropSize, gridLength)) return { modelId: model.modelId, cached: true, jobId: null };
  const params = CropScoresParamsSchema.parse({
    projectDir: store.dir,
    image: imageGeometry(image),
    imageStamp: cropScoresStamp(image),
    modelId: model.modelId,
    modelManifest: model.manifest,
    cropSize,
    classIndex: model.classIndex,
  });
  const started = runner.run('cropScores', params, { imageId: image.id });
  // The outcome reaches the renderer as job.updated; a failure is recorded on the job.
  started.result.catch(() => undefined);
  return { modelId: model.modelId, cached: false, jobId: started.jobId };
}

/** The grid's order by the ordering model's cached scores; null when they are not computed yet. */
export async function gridOrder(store: ProjectStore, image: ImageRow, cropSize: number, order: Exclude<CropOrder, 'raster'>): Promise<{ indices: number[]; scores: Array<number | null>; modelId: number } | null> {
  const model = await orderingModel(store, cropSize);
  const cached = readCropScores(store.dir, image.id, cropScoresStamp(image), model.modelId, cropSize, cropGrid(image.width, image.height, cropSize).length);
  if (!cached) return null;
  return { indices: orderedGridIndices(cached.scores, order, cached.threshold), scores: cached.scores, modelId: model.modelId };
}

// The project at a glance, one row per image: size, pixel size, the model of its latest sweep and
// how far that sweep came, how far the review came, and the total area of the accepted objects
// (accepted suggestions and regions the expert added). The image list's badges, the overview
// table and its CSV (`overview-csv`) all read these rows.
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import { type SweepRunStatus } from '../project/sweepRunsRepo';
import { reviewCounts, type ReviewCounts } from '../review/reviewCounts';
import { reviewItemsOfImage } from '../review/reviewItems';
import { projectObjects } from './projectObjects';

export interface SweepOverview {
  runId: number;
  status: SweepRunStatus;
  modelId: number;
  /** Null when the model has since been deleted. */
  modelName: string | null;
  cropsDone: number;
  cropsTotal: number;
}

/** The image's task in the newest cluster plan (`micra batch plan`) that holds it. */
export interface ClusterOverview {
  planId: string;
  jobDir: string;
  taskIndex: number;
  /** The sweep run it was collected into; null until `micra batch collect` took it. */
  collectedRunId: number | null;
  collectedAt: string | null;
}

export interface ImageOverview extends ReviewCounts {
  image: ImageRow;
  /** The image's newest sweep run; null when it was never swept. */
  sweep: SweepOverview | null;
  /** Null when no cluster plan holds the image. */
  cluster: ClusterOverview | null;
  acceptedAreaPx: number;
  /** Null when the image's pixel size is unknown. */
  acceptedAreaUm2: number | null;
}

/** Every image of the project (or those named), in id order, whatever its status. */
export function projectOverview(store: ProjectStore, imageIds?: readonly number[]): ImageOverview[] {
  const images = store.images.list().filter((i) => !imageIds || imageIds.includes(i.id));
  const runs = store.sweepRuns;
  const modelNames = new Map(store.models.list().map((m) => [m.id, m.name]));
  const tasks = store.batches.latestTaskPerImage();
  const areaPx = new Map<number, number>();
  for (const o of projectObjects(store, { imageIds: images.map((i) => i.id), which: 'accepted' })) areaPx.set(o.image.id, (areaPx.get(o.image.id) ?? 0) + o.pixel.areaPx);
  return images.map((image) => {
    const latest = runs.listForImage(image.id)[0];
    const px = areaPx.get(image.id) ?? 0;
    const umPerPx = image.pixel_size_nm === null ? null : image.pixel_size_nm / 1000;
    const task = tasks.get(image.id);
    return {
      image,
      sweep: latest
        ? {
            runId: latest.id,
            status: latest.status,
            modelId: latest.model_id,
            modelName: modelNames.get(latest.model_id) ?? null,
            cropsDone: runs.cropCount(latest.id),
            cropsTotal: latest.cols * latest.rows,
          }
        : null,
      cluster: task
        ? { planId: task.plan_id, jobDir: task.job_dir, taskIndex: task.task_index, collectedRunId: task.sweep_run_id, collectedAt: task.collected_at }
        : null,
      ...reviewCounts(reviewItemsOfImage(store, image.id)),
      acceptedAreaPx: px,
      acceptedAreaUm2: umPerPx === null ? null : px * umPerPx * umPerPx,
    };
  });
}

// The heat map of a sweep run: one cell per crop of its grid, the crop's class probability
// (-1 for a crop skipped as background, null for one not swept yet), for the viewer overlay.
import type { z } from 'zod';
import type { HeatmapSchema } from '../../api/channels/reviewChannels';
import { sweepGrid } from '../ml/sweep/sweepGrid';
import type { SweepRunRow, SweepRunsRepo } from '../project/sweepRunsRepo';

export type Heatmap = z.output<typeof HeatmapSchema>;

export function heatmapOf(runs: SweepRunsRepo, run: SweepRunRow, imageSize: { width: number; height: number }): Heatmap {
  const scores: Array<number | null> = new Array<number | null>(run.cols * run.rows).fill(null);
  for (const c of runs.crops(run.id)) if (c.col < run.cols && c.row < run.rows) scores[c.row * run.cols + c.col] = c.score ?? -1;
  const grid = sweepGrid(imageSize.width, imageSize.height, run.crop_size, run.stride);
  return {
    runId: run.id,
    imageId: run.image_id,
    cols: run.cols,
    rows: run.rows,
    cropSize: run.crop_size,
    xs: grid.xs,
    ys: grid.ys,
    scores,
  };
}

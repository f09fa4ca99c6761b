// tileStats job (compute process): min, max, mean and a 256-bin histogram (spanning the stored
// bit depth's full range) over every sample of every tile of one pyramid level.
import { z } from 'zod';
import { throwIfCancelled, type JobContext, type JobHandler } from '../jobs/jobContext';
import { samplesFromBytes } from './raster';
import { tileCountAt } from '../../../src-shared/pyramidGeometry';
import { readPyramidInfo, readTile } from './tileStore';

export const TileStatsParamsSchema = z.object({
  projectDir: z.string().min(1),
  imageId: z.number().int().positive(),
  level: z.number().int().nonnegative(),
});
export type TileStatsParams = z.infer<typeof TileStatsParamsSchema>;

export interface TileStatsResult {
  imageId: number;
  level: number;
  min: number;
  max: number;
  mean: number;
  histogram: number[];
}

export const tileStatsJobHandler: JobHandler<TileStatsParams, TileStatsResult> = {
  kind: 'tileStats',
  params: TileStatsParamsSchema,
  async run({ projectDir, imageId, level }: TileStatsParams, ctx: JobContext): Promise<TileStatsResult> {
    const info = await readPyramidInfo(projectDir, imageId);
    if (!info) throw new Error(`image ${imageId} has no pyramid in the tile store`);
    if (level >= info.levels) throw new Error(`image ${imageId} has ${info.levels} levels; level ${level} does not exist`);
    const { cols, rows } = tileCountAt(info.width, info.height, level, info.tileSize);
    const shift = info.bitsPerSample - 8;
    const histogram = new Array<number>(256).fill(0);
    const bins = new Float64Array(256);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let count = 0;
    const total = cols * rows;
    for (let row = 0; row < rows; row++)
      for (let col = 0; col < cols; col++) {
        throwIfCancelled(ctx.signal);
        const bytes = await readTile(projectDir, imageId, level, col, row);
        if (!bytes) throw new Error(`tile ${col},${row} of level ${level} of image ${imageId} is missing`);
        const samples = samplesFromBytes(bytes, info.bitsPerSample);
        for (let i = 0; i < samples.length; i++) {
          const v = samples[i]!;
          if (v < min) min = v;
          if (v > max) max = v;
          sum += v;
          bins[v >> shift]!++;
        }
        count += samples.length;
        ctx.progress(row * cols + col + 1, total);
      }
    bins.forEach((n, i) => (histogram[i] = n));
    return { imageId, level, min, max, mean: count ? sum / count : 0, histogram };
  },
};

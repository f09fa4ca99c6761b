// The 'cropScores' job (compute process): the model's score of every crop of an image's
// labelling grid (cropGrid), for active labelling's order (cropOrder.ts). A crop that fails the
// background test is not scored (null), as the grid hides it. Crops go through the model in
// batches, with progress after each and a cancel noticed between them; the scores are written
// to the project's cache (a temporary name, then renamed: a cancelled or crashed job leaves no
// half file) for main to read.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkCancelled, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend } from '../backend';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import { isBackgroundCrop } from './backgroundTest';
import { cropGrid } from '../../../../src-shared/cropGrid';
import { cropScoresPath, type CropScoresFile } from './cropOrder';
import { readCropForModel } from './cropPixels';
import { DatasetImageSchema } from './datasetSpec';

export const CropScoresParamsSchema = z.object({
  projectDir: z.string().min(1),
  image: DatasetImageSchema,
  modelId: z.number().int().positive(),
  /** cropScoresStamp of the image's row, written with the scores. */
  imageStamp: z.string(),
  modelManifest: z.string().min(1),
  cropSize: z.number().int().positive(),
  classIndex: z.number().int().nonnegative(),
});
export type CropScoresParams = z.infer<typeof CropScoresParamsSchema>;

export const CropScoresResultSchema = z.object({ crops: z.number().int().nonnegative(), scored: z.number().int().nonnegative(), path: z.string() });
export type CropScoresResult = z.infer<typeof CropScoresResultSchema>;

const BATCH = 8;

export const cropScoreJobHandler: JobHandler<CropScoresParams, CropScoresResult> = {
  kind: 'cropScores',
  params: CropScoresParamsSchema,
  async run(p: CropScoresParams, ctx: JobContext): Promise<CropScoresResult> {
    await initBackend();
    const { net, card } = await loadMicraNetWeights(p.modelManifest);
    try {
      if (card.inputSize !== p.cropSize) throw new Error(`the model takes ${card.inputSize}² crops, the grid has ${p.cropSize}²`);
      if (p.classIndex >= net.numClasses) throw new Error(`the model has ${net.numClasses} classes, not class ${p.classIndex + 1}`);
      const grid = cropGrid(p.image.width, p.image.height, p.cropSize);
      const scores: Array<number | null> = new Array<number | null>(grid.length).fill(null);
      const per = p.cropSize * p.cropSize * net.inChannels;
      let scored = 0;
      ctx.progress(0, grid.length, `scoring ${grid.length} crops`);
      for (let start = 0; start < grid.length; start += BATCH) {
        await checkCancelled(ctx.signal);
        const batch: number[] = [];
        for (let i = start; i < Math.min(grid.length, start + BATCH); i++) {
          const c = grid[i]!;
          if (!(await isBackgroundCrop(p.projectDir, p.image, c.x, c.y, c.size))) batch.push(i);
        }
        if (batch.length > 0) {
          const px = new Float32Array(batch.length * per);
          for (const [k, i] of batch.entries()) {
            const c = grid[i]!;
            px.set(await readCropForModel(p.projectDir, p.image, c.x, c.y, c.size, net.inChannels, card.preprocessing), k * per);
          }
          const x = tf.tensor4d(px, [batch.length, p.cropSize, p.cropSize, net.inChannels]);
          const probs = tf.tidy(() => tf.sigmoid(net.predict(x)));
          const data = (await probs.data()) as Float32Array;
          probs.dispose();
          x.dispose();
          for (const [k, i] of batch.entries()) scores[i] = Math.min(1, Math.max(0, data[k * net.numClasses + p.classIndex]!));
          scored += batch.length;
        }
        ctx.progress(Math.min(grid.length, start + BATCH), grid.length, `scoring ${grid.length} crops`);
      }
      const file: CropScoresFile = { imageId: p.image.id, modelId: p.modelId, cropSize: p.cropSize, classIndex: p.classIndex, imageStamp: p.imageStamp, threshold: card.classThresholds[p.classIndex] ?? 0.5, scores };
      const out = cropScoresPath(p.projectDir, p.image.id, p.modelId, p.cropSize);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(file));
      fs.renameSync(tmp, out);
      return { crops: grid.length, scored, path: out };
    } finally {
      net.dispose();
    }
  },
};

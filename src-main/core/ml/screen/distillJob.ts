// The 'screenDistill' job (compute process): gives a model its sweep screen, from the project's
// own images. Crops spread over every image (the sweep's grid, coarse lattice first, background
// skipped) are scored by the full model (the engine pool, every core); a seeded quarter is held
// out; the screen is distilled on the rest (distillScreen.ts) and its thresholds set on the
// held-out crops so that it keeps ≥ 99 % of the full model's positives there (screenThreshold.ts).
// The screen is written beside the weights (screen/) and the card's `screen` field states the
// thresholds, recall and pass rate. Without a held-out positive there is nothing to certify a
// threshold on: no screen is written, and sweeps score every crop with the full model.
import path from 'node:path';
import { z } from 'zod';
import { ImageGeometrySchema } from '../../imaging/imageGeometry';
import { throwIfCancelled, yieldToEventLoop, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend, isGpuBackend } from '../backend';
import { spreadOrder, gridCrops, sweepGrid } from '../sweep/sweepGrid';
import { readModelInput } from '../sweep/sweepJob';
import { deriveSeed, mulberry32, shuffledIndices } from '../training/seededRandom';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import type { ScreenCard } from '../weights/modelCard';
import { createEnginePool } from '../workerPool';
import { distillScreen, screenLogits } from './distillScreen';
import { writeScreenCard } from './screenCardFile';
import { SCREEN_MANIFEST } from './screenFiles';
import { chooseScreenThreshold, keepFromScore, TARGET_RECALL } from './screenThreshold';
import { SECOND_LOOK_FLOOR } from '../sweep/secondLook';
import { saveScreen } from './screenWeights';
import { sigmoid } from '../sigmoid';

export const DistillScreenParamsSchema = z.object({
  projectDir: z.string().min(1),
  /** Absolute path of the model's weights manifest; the screen goes into its folder. */
  weightsManifest: z.string().min(1),
  images: z.array(ImageGeometrySchema.omit({ levels: true })).min(1),
  maxCrops: z.number().int().min(8).max(100_000).default(600),
  steps: z.number().int().positive().max(100_000).default(400),
  seed: z.number().int().default(1),
  backgroundStdDev: z.number().nonnegative().default(0.01),
});
export type DistillScreenParams = z.input<typeof DistillScreenParamsSchema>;

export const DistillScreenResultSchema = z.object({
  /** The card's new `screen` field; null when no screen could be certified. */
  screen: z.unknown().nullable(),
  reason: z.string().nullable(),
});

const HELD_OUT_SHARE = 0.25;

async function run(p: z.output<typeof DistillScreenParamsSchema>, ctx: JobContext): Promise<z.infer<typeof DistillScreenResultSchema>> {
  const backend = await initBackend();
  const { net: teacherNet, card } = await loadMicraNetWeights(p.weightsManifest);
  const inChannels = teacherNet.inChannels;
  teacherNet.dispose();
  const size = card.inputSize;
  // Crops spread evenly over every image: each image's grid in the sweep's coarse-first order,
  // taken in turn from each image, up to maxCrops that are not background.
  const perImage = p.images.map((image) => ({ image, crops: spreadOrder(gridCrops(sweepGrid(image.width, image.height, size, size), image.width, image.height)) }));
  const crops: Float32Array[] = [];
  const total = p.maxCrops + p.steps;
  for (let k = 0; crops.length < p.maxCrops && perImage.some((e) => k < e.crops.length); k++) {
    throwIfCancelled(ctx.signal);
    for (const { image, crops: grid } of perImage) {
      const crop = grid[k];
      if (!crop || crops.length >= p.maxCrops) continue;
      const input = await readModelInput({ projectDir: p.projectDir, image, size, channels: inChannels, pre: card.preprocessing }, crop, p.backgroundStdDev);
      if (input) crops.push(input);
    }
  }
  if (crops.length < 8) return { screen: null, reason: `only ${crops.length} crops that are not background` };
  ctx.progress(0, total, `scoring ${crops.length} crops with the full model`);
  const pool = await createEnginePool({ weightsManifest: p.weightsManifest, backend: backend.name, ...(isGpuBackend(backend.name) ? { workers: 1 } : {}) });
  const teacher: Float32Array[] = [];
  try {
    for (let i = 0; i < crops.length; i += pool.size * 4) {
      throwIfCancelled(ctx.signal);
      teacher.push(...(await pool.predictBatch(crops.slice(i, i + pool.size * 4), size)));
      ctx.progress(Math.min(i + pool.size * 4, crops.length), total, 'scoring crops with the full model');
    }
  } finally {
    await pool.close();
  }
  const order = shuffledIndices(crops.length, mulberry32(deriveSeed(p.seed, 3)));
  const held = order.slice(0, Math.max(1, Math.round(crops.length * HELD_OUT_SHARE)));
  const train = order.slice(held.length);
  const screen = await distillScreen(
    train.map((i) => crops[i] as Float32Array),
    size,
    inChannels,
    train.map((i) => teacher[i] as Float32Array),
    {
      seed: p.seed,
      steps: p.steps,
      onStep: async (step) => {
        // Distillation runs on this process's own thread: between steps, let its message loop
        // run (a cancel, another job's start or progress would otherwise wait for the whole run).
        await yieldToEventLoop();
        if (ctx.signal.aborted) return false;
        ctx.progress(crops.length + step + 1, total, `distilling the screen (step ${step + 1} of ${p.steps})`);
      },
    },
  );
  try {
    throwIfCancelled(ctx.signal);
    const logits = await screenLogits(
      screen,
      held.map((i) => crops[i] as Float32Array),
      size,
      inChannels,
    );
    const choices = card.classes.map((_, c) =>
      chooseScreenThreshold(
        logits.map((l) => sigmoid(l[c] as number)),
        held.map((i) => sigmoid((teacher[i] as Float32Array)[c] as number) >= keepFromScore(card.classThresholds[c] as number, SECOND_LOOK_FLOOR)),
        TARGET_RECALL,
      ),
    );
    const missing = choices.findIndex((c) => c === null);
    if (missing >= 0) return { screen: null, reason: `no held-out crop is positive for ${card.classes[missing]}: nothing to set a threshold on` };
    const certified = choices as NonNullable<(typeof choices)[number]>[];
    const distilledAt = new Date().toISOString();
    const trainer = `screen.distill job (${backend.name})`;
    await saveScreen(screen, path.join(path.dirname(p.weightsManifest), path.dirname(SCREEN_MANIFEST)), {
      distillation: { trainer, crops: train.length, heldOut: held.length, steps: p.steps, seed: p.seed, backend: backend.name },
    });
    const screenCard: ScreenCard = {
      file: SCREEN_MANIFEST,
      thresholds: certified.map((c) => c.threshold),
      targetRecall: TARGET_RECALL,
      keepFrom: card.classThresholds.map((t) => keepFromScore(t, SECOND_LOOK_FLOOR)),
      recall: certified.map((c) => c.recall),
      passRate: certified.map((c) => c.passRate),
      heldOutCrops: held.length,
      heldOutPositives: certified.map((c) => c.positives),
      distilledOn: train.length,
      trainer,
      seed: p.seed,
      distilledAt,
      thresholdsSetAt: distilledAt,
    };
    await writeScreenCard(p.weightsManifest, screenCard);
    return { screen: screenCard, reason: null };
  } finally {
    screen.dispose();
  }
}

export const distillScreenJobHandler: JobHandler<z.output<typeof DistillScreenParamsSchema>, unknown> = {
  kind: 'screenDistill',
  params: DistillScreenParamsSchema as z.ZodType<z.output<typeof DistillScreenParamsSchema>>,
  run,
};

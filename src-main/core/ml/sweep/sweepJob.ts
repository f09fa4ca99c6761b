// The 'sweep' job (compute process). Two modes:
//  - grid: every crop of the grid over level 0 (minus those a previous job of the run already
//    finished) is read from the tile store, tested for background, scored by the engine pool
//    (all cores), and — when its probability passes the threshold — explained. With the
//    'object' mask method (the default) its map only locates objects, and each new object is
//    measured on a crop centred on it (objectSweep.ts); with 'reference' the crop's EM mask is
//    the region, as in the paper's code. Each finished crop is appended to the run's journal
//    before progress announces it; main ingests the journal (suggestions rows, events).
//    With a screen (the model's distilled screen, issue #19), every non-background crop is first
//    scored by the screen, and only those it cannot rule out go through the full model, in the
//    unscreened sweep's batches (screenedSweep.ts). MICRA_SWEEP_PROFILE=1 prints where the time went.
//  - point: one crop centred on a point; the object containing the point ("add a region the
//    model missed"), by the same mask method. Answers in the job's result.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ImageGeometrySchema } from '../../imaging/imageGeometry';
import type { ImageGeometry } from '../../../../src-shared/imageGeometry';
import { readRegion } from '../../imaging/regionReader';
import { throwIfCancelled, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend, isGpuBackend } from '../backend';
import { gradCamAllBlocks } from '../explain/gradcam';
import { upsampleNearest } from '../explain/scalarMap';
import type { MicraNet } from '../model/micranet';
import { applyPreprocessing } from '../preprocess';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import type { Preprocessing } from '../weights/modelCard';
import { encodeMaskRle } from '../../../../src-shared/maskRle';
import { createEnginePool, type EnginePool, type GradCamMaps, type TaskPriority } from '../workerPool';
import { isBackground, rasterToModelInput } from './cropPixels';
import { MaskMethodSchema } from './maskMethod';
import { cropRegions, emRegionAt, maskToRegions, preciseRawOf } from './cropRegions';
import { centredPlacement, explainedCrop, measureAt, objectsOfPositives, ObjectLedger, type ObjectExplainer } from './objectSweep';
import { gridCrops, spreadOrder, sweepGrid, type GridCrop } from './sweepGrid';
import { mergeRegions, secondLookEnabled, secondLookFloor, secondLookObjects, type SecondLookScorer } from './secondLook';
import { ScreenParamsSchema } from '../screen/screenCascade';
import { sweepScreened } from './screenedSweep';
import { ScreenedProgress } from './screenedProgress';
import type { JournalCrop, JournalRegion } from './sweepJournal';
import { SweepProfile, sweepProfileEnabled } from './sweepProfile';
import { sigmoid } from '../sigmoid';

/** A sweep reads regions of the image: its geometry without the level count (readRegion's view). */
const RegionGeometrySchema = ImageGeometrySchema.omit({ levels: true });

const ModelRefSchema = z.object({
  /** Absolute path of the weights manifest. */
  weightsManifest: z.string().min(1),
  classIndex: z.number().int().nonnegative(),
  maskMethod: MaskMethodSchema.default('object'),
});

export const SweepGridParamsSchema = ModelRefSchema.extend({
  mode: z.literal('grid'),
  projectDir: z.string().min(1),
  image: RegionGeometrySchema,
  /** Absolute path of the run's journal. */
  journal: z.string().min(1),
  threshold: z.number().min(0).max(1),
  cropSize: z.number().int().positive(),
  stride: z.number().int().positive(),
  /** Crops a previous job of this run finished, as [col, row]. */
  skip: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).default([]),
  /** Crops whose samples have a smaller standard deviation (on [0, 1]) are background. */
  backgroundStdDev: z.number().nonnegative().default(0.01),
  /** Engine workers; default: one per core. */
  workers: z.number().int().positive().optional(),
  /** The model's screen and its threshold; null: every crop goes through the full model. */
  screen: ScreenParamsSchema.nullable().default(null),
});
export type SweepGridParams = z.input<typeof SweepGridParamsSchema>;

export const SweepPointParamsSchema = ModelRefSchema.extend({
  mode: z.literal('point'),
  projectDir: z.string().min(1),
  image: RegionGeometrySchema,
  cropSize: z.number().int().positive(),
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
});
export type SweepPointParams = z.input<typeof SweepPointParamsSchema>;

export const SweepJobParamsSchema = z.discriminatedUnion('mode', [SweepGridParamsSchema, SweepPointParamsSchema]);
export type SweepJobParams = z.output<typeof SweepJobParamsSchema>;

export const SweepGridResultSchema = z.object({
  mode: z.literal('grid'),
  crops: z.number().int().nonnegative(),
  background: z.number().int().nonnegative(),
  positive: z.number().int().nonnegative(),
  regions: z.number().int().nonnegative(),
  /** Crops explained again, centred on an object (the object mask method's extra work). */
  reexplained: z.number().int().nonnegative(),
  /** Crops the screen ruled out (never scored by the full model). */
  screenedOut: z.number().int().nonnegative(),
  backend: z.string(),
});
export const SweepPointResultSchema = z.object({
  mode: z.literal('point'),
  score: z.number().min(0).max(1),
  /** null when the map has no region near the point. */
  region: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      score: z.number(),
      mask: z.object({ width: z.number().int(), height: z.number().int(), counts: z.array(z.number().int()) }),
    })
    .nullable(),
});
export type SweepPointResult = z.infer<typeof SweepPointResultSchema>;

export interface InputSpec {
  projectDir: string;
  image: Omit<ImageGeometry, 'levels'>;
  size: number;
  channels: number;
  pre: Preprocessing;
}

/** The model input of a rectangle of level 0; null when the background test says it is empty. */
export async function readModelInput(spec: InputSpec, rect: { x: number; y: number; width: number; height: number }, backgroundStdDev = 0, profile?: SweepProfile): Promise<Float32Array | null> {
  const t0 = performance.now();
  const raster = await readRegion(spec.projectDir, spec.image, 0, rect);
  const t1 = performance.now();
  profile?.add('readRegion', (t1 - t0) / 1000);
  if (backgroundStdDev > 0 && isBackground(raster, backgroundStdDev)) return null;
  const input = applyPreprocessing(rasterToModelInput(raster, spec.size, spec.channels), spec.pre);
  profile?.add('preprocess', (performance.now() - t1) / 1000);
  return input;
}

async function runGrid(p: z.output<typeof SweepGridParamsSchema>, ctx: JobContext): Promise<z.infer<typeof SweepGridResultSchema>> {
  const { card } = await loadCardOnly(p.weightsManifest);
  const size = p.cropSize;
  const grid = sweepGrid(p.image.width, p.image.height, size, p.stride);
  const all = gridCrops(grid, p.image.width, p.image.height);
  const skip = new Set(p.skip.map(([c, r]) => `${c},${r}`));
  const todo = spreadOrder(all.filter((c) => !skip.has(`${c.col},${c.row}`)));
  let done = all.length - todo.length;
  ctx.progress(done, all.length, 'starting the engines');
  await mkdir(path.dirname(p.journal), { recursive: true });
  // The engines use the backend this process chose (loadCardOnly started it), so each does not
  // probe the chain again. On a GPU one engine feeds the device: more would each hold a device
  // and a core waiting on it; on the CPU backends one engine per core.
  const profile = new SweepProfile(sweepProfileEnabled());
  const backend = await initBackend();
  const workers = p.workers ?? (isGpuBackend(backend.name) ? 1 : undefined);
  const pool = await profile.time('startEngines', () => createEnginePool({
    weightsManifest: p.weightsManifest,
    backend: backend.name,
    ...(workers ? { workers } : {}),
    ...(p.screen ? { screenManifest: p.screen.manifest } : {}),
  }));
  const stats = { crops: 0, background: 0, positive: 0, regions: 0, screenedOut: 0 };
  const spec: InputSpec = { projectDir: p.projectDir, image: p.image, size, channels: pool.inChannels, pre: card.preprocessing };
  const objects: ObjectSweep = {
    ledger: new ObjectLedger(),
    profile,
    ahead: new Map(),
    explainer: {
      readInput: async (rect) => (await readModelInput(spec, rect, 0, profile)) as Float32Array,
      explain: async (inputs) => {
        const maps = await profile.time('gradCam', () => pool.gradCamBatch(inputs, size, p.classIndex, 'transfer'));
        return profile.time('pcaMaps', async () => maps.map((m) => explainedCrop(m, size, sigmoid(m.logits[p.classIndex] as number))));
      },
    },
    scorer: secondLookEnabled()
      ? {
          readInput: async (rect) => (await readModelInput(spec, rect, 0, profile)) as Float32Array,
          score: async (inputs) => (await profile.time('secondLookForward', () => pool.predictWithCamBatch(inputs, size, p.classIndex, 'transfer'))).map((r) => ({ probability: sigmoid(r.logits[p.classIndex] as number), cam: r.cam })),
        }
      : null,
  };
  const batchSize = pool.size * 2;
  /** Journals a batch's lines, counts them, and reports progress (`done`: crops, or their work-weighted equivalent). */
  const finish = async (lines: JournalCrop[], done: () => number): Promise<void> => {
    if (lines.length === 0) return;
    await profile.time('journal', () => appendFile(p.journal, lines.map((l) => JSON.stringify(l) + '\n').join('')));
    if (lines.some((l) => l.regions.length > 0)) profile.mark('firstRegion');
    for (const line of lines) {
      stats.crops++;
      if (line.score === null) stats.background++;
      else if (line.score >= p.threshold) stats.positive++;
      stats.regions += line.regions.length;
    }
    ctx.progress(done(), all.length, `${stats.regions} region${stats.regions === 1 ? '' : 's'} found`);
  };
  const read = (chunk: readonly GridCrop[]) => Promise.all(chunk.map((c) => readModelInput(spec, c, p.backgroundStdDev, profile)));
  try {
    if (p.screen) {
      stats.screenedOut = await sweepScreened({
        pool,
        screen: p.screen,
        classIndex: p.classIndex,
        runThreshold: p.threshold,
        size,
        todo,
        batchSize,
        signal: ctx.signal,
        read,
        sweepBatch: (crops, inputs) => sweepBatch(pool, crops, inputs, p, size, objects),
        ...(p.maskMethod === 'object' ? { forwardAhead: (inputs: Float32Array[]) => forwardAhead(pool, objects, inputs, size, p.classIndex, 'ahead') } : {}),
        finish,
        progress: new ScreenedProgress(all.length, done, todo.length),
        profile,
      });
    } else {
      // Read the next batch while the engines work on this one. With the object method its forward
      // passes start as soon as it is read, at 'ahead' priority: this batch's Grad-CAM and second
      // looks are one or two crops at a time and would leave the other engines idle.
      const readAhead = (start: number) =>
        read(todo.slice(start, start + batchSize)).then((inputs) => {
          if (p.maskMethod === 'object') forwardAhead(pool, objects, liveInputs(inputs).map((l) => l.input), size, p.classIndex, 'ahead');
          return inputs;
        });
      let next = readAhead(0);
      for (let start = 0; start < todo.length; start += batchSize) {
        throwIfCancelled(ctx.signal);
        const batch = todo.slice(start, start + batchSize);
        const inputs = await profile.time('waitForReading', () => next);
        if (start + batchSize < todo.length) next = readAhead(start + batchSize);
        const lines = await sweepBatch(pool, batch, inputs, p, size, objects);
        done += batch.length;
        await finish(lines, () => done);
      }
    }
  } finally {
    await pool.close();
    profile.add('secondLooks', 0, objects.ledger.secondLooks);
    profile.add('reexplained', 0, objects.ledger.explained);
    profile.print();
  }
  return { mode: 'grid', ...stats, reexplained: objects.ledger.explained, backend: pool.backend.name };
}

/** The object method's state for one job: the objects measured so far and how to explain more. */
interface ObjectSweep {
  ledger: ObjectLedger;
  explainer: ObjectExplainer;
  profile: SweepProfile;
  /** Forward passes started ahead of their batch (screened sweeps), by input. */
  ahead: Map<Float32Array, Promise<Forwarded>>;
  /** Second looks at crops just under the threshold (secondLook.ts); null when switched off. */
  scorer: SecondLookScorer | null;
}

type Forwarded = Awaited<ReturnType<EnginePool['predictWithCamBatch']>>[number];

/**
 * Starts the forward passes of `inputs`, all in one pool batch (every engine busy), for
 * sweepBatch to pick up: 'ahead' for crops of later batches, 'now' for the batch at hand.
 */
function forwardAhead(pool: EnginePool, objects: ObjectSweep, inputs: Float32Array[], size: number, classIndex: number, priority: TaskPriority): void {
  if (inputs.length === 0) return;
  const all = pool.predictWithCamBatch(inputs, size, classIndex, 'transfer', priority);
  inputs.forEach((input, k) => {
    const one = all.then((r) => r[k] as Forwarded);
    // Awaited by its batch; if the job stops first, its failure must not go unhandled.
    one.catch(() => undefined);
    objects.ahead.set(input, one);
  });
}

/** The forward pass of each input: started ahead, or now (the inputs move to the engines). */
async function forwardOf(pool: EnginePool, objects: ObjectSweep, inputs: Float32Array[], size: number, classIndex: number): Promise<Forwarded[]> {
  forwardAhead(
    pool,
    objects,
    inputs.filter((input) => !objects.ahead.has(input)),
    size,
    classIndex,
    'now',
  );
  const started = inputs.map((input) => objects.ahead.get(input) as Promise<Forwarded>);
  for (const input of inputs) objects.ahead.delete(input);
  return Promise.all(started);
}

/** The crops that passed the background test, with their index. */
function liveInputs(inputs: (Float32Array | null)[]): Array<{ i: number; input: Float32Array }> {
  return inputs.flatMap((input, i) => (input ? [{ i, input }] : []));
}

/** Scores, explains and measures one batch (null inputs: background). */
async function sweepBatch(
  pool: EnginePool,
  batch: GridCrop[],
  inputs: (Float32Array | null)[],
  p: z.output<typeof SweepGridParamsSchema>,
  size: number,
  objects: ObjectSweep,
): Promise<JournalCrop[]> {
  const live = liveInputs(inputs);
  const placeOf = (i: number) => {
    const crop = batch[i] as GridCrop;
    return { x: crop.x, y: crop.y, size, validWidth: crop.width, validHeight: crop.height };
  };
  const scores: (number | null)[] = batch.map(() => null);
  let regions = new Map<number, JournalRegion[]>();
  if (p.maskMethod === 'reference') {
    const logits = live.length > 0 ? await pool.predictBatch(live.map((l) => l.input), size) : [];
    live.forEach((l, k) => (scores[l.i] = sigmoid((logits[k] as Float32Array)[p.classIndex] as number)));
    const positives = live.filter((l) => (scores[l.i] as number) >= p.threshold);
    const maps = positives.length > 0 ? await pool.gradCamBatch(positives.map((l) => l.input), size, p.classIndex, 'transfer') : [];
    positives.forEach((l, k) => regions.set(l.i, cropRegions(maps[k] as GradCamMaps, placeOf(l.i), scores[l.i] as number)));
  } else {
    // The forward pass's block-4b map locates the objects of a positive crop; the full
    // Grad-CAM is paid once per object, on its centred crop.
    const scored = live.length > 0 ? await objects.profile.time('forward', () => forwardOf(pool, objects, live.map((l) => l.input), size, p.classIndex)) : [];
    live.forEach((l, k) => (scores[l.i] = sigmoid((scored[k] as (typeof scored)[number]).logits[p.classIndex] as number)));
    const positives = live.flatMap((l, k) =>
      (scores[l.i] as number) >= p.threshold ? [{ index: l.i, place: placeOf(l.i), score: scores[l.i] as number, map: upsampleNearest((scored[k] as (typeof scored)[number]).cam, size, size) }] : [],
    );
    regions = await objects.profile.time('objects', () => objectsOfPositives(objects.explainer, positives, objects.ledger, size, p.image));
    const scorer = objects.scorer;
    if (scorer) {
      const band = live.map((l, k) => ({ index: l.i, place: placeOf(l.i), score: scores[l.i] as number, cam: (scored[k] as (typeof scored)[number]).cam }));
      mergeRegions(regions, await objects.profile.time('secondLook', () => secondLookObjects(scorer, objects.explainer, band, p.threshold, objects.ledger, size, p.image, secondLookFloor())));
    }
  }
  return batch.map((crop, i) => ({ col: crop.col, row: crop.row, score: scores[i] as number | null, regions: regions.get(i) ?? [] }));
}

// ---- point mode: one engine in this process, kept between requests ----

let cachedNet: { manifest: string; net: MicraNet; preprocessing: Preprocessing } | null = null;

async function netFor(manifest: string): Promise<{ net: MicraNet; preprocessing: Preprocessing }> {
  if (cachedNet?.manifest === manifest) return cachedNet;
  await initBackend();
  const { net, card } = await loadMicraNetWeights(manifest);
  cachedNet?.net.dispose();
  cachedNet = { manifest, net, preprocessing: card.preprocessing };
  return cachedNet;
}

async function loadCardOnly(manifest: string) {
  // The card is small; loading it through the weights loader validates the whole manifest once
  // here, so a corrupt model fails the job before any worker starts.
  const { net, preprocessing } = await netFor(manifest);
  return { card: { preprocessing, inChannels: net.inChannels } };
}

async function runPoint(p: z.output<typeof SweepPointParamsSchema>): Promise<SweepPointResult> {
  const { net, preprocessing } = await netFor(p.weightsManifest);
  const size = p.cropSize;
  const place = centredPlacement(p.x, p.y, size, p.image);
  const { x: x0, y: y0, validWidth: w, validHeight: h } = place;
  const spec: InputSpec = { projectDir: p.projectDir, image: p.image, size, channels: net.inChannels, pre: preprocessing };
  const input = (await readModelInput(spec, { x: x0, y: y0, width: w, height: h })) as Float32Array;
  const x = tf.tensor4d(input, [1, size, size, net.inChannels]);
  let cam;
  try {
    cam = await gradCamAllBlocks(net, x, p.classIndex);
  } finally {
    x.dispose();
  }
  const score = sigmoid(cam.logits[p.classIndex] as number);
  if (p.maskMethod === 'object') {
    const measured = measureAt(preciseRawOf(cam, size), place, p.x, p.y);
    const region = measured && { ...measured, score, mask: encodeMaskRle(measured.mask, measured.width, measured.height) };
    return { mode: 'point', score, region };
  }
  const raw = preciseRawOf({ logits: cam.logits, maps: cam.maps, sizes: cam.sizes }, size);
  const mask = emRegionAt(raw, Math.min(w - 1, p.x - x0), Math.min(h - 1, p.y - y0));
  const regions = maskToRegions(mask, { x: x0, y: y0, size, validWidth: w, validHeight: h }, score);
  // The valid-area clip can split the kept part; the piece nearest the point is the answer.
  const region = nearest(regions, p.x, p.y);
  return { mode: 'point', score, region };
}

function nearest(regions: JournalRegion[], px: number, py: number): JournalRegion | null {
  let best: JournalRegion | null = null;
  let bestD = Infinity;
  for (const r of regions) {
    const dx = Math.max(r.x - px, 0, px - (r.x + r.width - 1));
    const dy = Math.max(r.y - py, 0, py - (r.y + r.height - 1));
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = r;
    }
  }
  return best;
}

export const sweepJobHandler: JobHandler<SweepJobParams, unknown> = {
  kind: 'sweep',
  params: SweepJobParamsSchema as z.ZodType<SweepJobParams>,
  async run(params, ctx) {
    return params.mode === 'grid' ? runGrid(params, ctx) : runPoint(params);
  },
};

// The import job (compute process): probe → decode in bands → pyramid into tiles/<id>.partial/
// (each level marked done as it completes, coarse levels first) → thumbnail → rename to
// tiles/<id>/. Cancel or failure removes the partial pyramid; nothing half-imported is left
// behind. The same job also answers two questions without writing anything: "is this file a
// duplicate?" (skipIfHashIn) and "what is this file's content hash?" (hashOnly, for re-linking).
import { mkdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { JobCancelledError, throwIfCancelled, type JobContext, type JobHandler } from '../jobs/jobContext';
import { bandRowsFor, readBands, type Band } from './bandReader';
import { ContentHasher } from './contentHash';
import { canCutStrips, canReadRowsDirectly } from './stripBands';
import { ImageImportError, formatBytes, importErrorFromFs } from './importError';
import { PyramidBuilder, type PyramidSink } from './pyramidBuilder';
import { bytesOfSamples } from './raster';
import { floatRange, type FloatMapping } from './sourceDecoder';
import { renderThumbnail } from './thumbnail';
import { TILE_SIZE, levelSize, totalTileCount } from '../../../src-shared/pyramidGeometry';
import { PYRAMID_INFO_FILE, levelDoneMarker, partialTileDir, tileDir, tileRelativePath, type PyramidInfo } from './tileStore';
import { probeTiff, type TiffProbe } from './tiffProbe';
import { TiffProbeSchema } from './tiffProbeSchema';

const ContentHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const ImportParamsSchema = z.object({
  projectDir: z.string().min(1),
  imageId: z.number().int().positive(),
  sourcePath: z.string().min(1),
  /** Index of the page in the file's main directory chain (see TiffProbe.imagePages). */
  page: z.number().int().nonnegative().optional(),
  /** Stop before writing anything when the content hash is one of these (skip duplicates). */
  skipIfHashIn: z.array(ContentHashSchema).max(1_000_000).optional(),
  /** Only compute the content hash (re-linking a moved original); writes nothing. */
  hashOnly: z.boolean().optional(),
  /** Main's probe of this page, so the file's directories are read once per import (tiffProbeSchema.ts). */
  probe: TiffProbeSchema.optional(),
});
export type ImportParams = z.infer<typeof ImportParamsSchema>;

export const ImportResultSchema = z.object({
  outcome: z.literal('built'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitsPerSample: z.union([z.literal(8), z.literal(16)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  levels: z.number().int().positive(),
  tileSize: z.literal(TILE_SIZE),
  pixelSizeNm: z.number().positive().nullable(),
  /** sha256 of the stored level-0 samples (with their shape): same pixels, same hash, any encoding. */
  contentHash: ContentHashSchema,
  floatMapping: z.object({ min: z.number(), max: z.number() }).optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const ImportJobResultSchema = z.discriminatedUnion('outcome', [
  ImportResultSchema,
  /** skipIfHashIn held the hash: nothing was written. */
  z.object({ outcome: z.literal('duplicate'), contentHash: ContentHashSchema }),
  /** hashOnly: nothing was written. */
  z.object({ outcome: z.literal('hashed'), contentHash: ContentHashSchema }),
]);
export type ImportJobResult = z.infer<typeof ImportJobResultSchema>;

export interface ImportJobOptions {
  /** The tile-writer seam (tests inject ENOSPC here). */
  writeFile?: (filePath: string, data: Uint8Array) => Promise<void>;
  /**
   * Compressed images whose decoded level 0 fits in this many bytes keep it in memory until the
   * coarse levels are written (first view), then write level 0; larger ones write level 0 band by
   * band. (Uncompressed ones read the file again instead; see Level0Route.)
   */
  fullDecodeLimitBytes?: number;
  /** Bands of about this many bytes are decoded at a time (two at once). */
  bandBytes?: number;
}

const DEFAULT_FULL_DECODE_LIMIT = 1024 ** 3;
const DEFAULT_BAND_BYTES = 16 * 1024 ** 2;

type WriteFn = (filePath: string, data: Uint8Array) => Promise<void>;

async function checkDiskSpace(projectDir: string, neededBytes: number, name: string): Promise<void> {
  const fsStats = await statfs(projectDir).catch(() => null);
  if (!fsStats) return;
  const free = fsStats.bavail * fsStats.bsize;
  if (free < neededBytes)
    throw new ImageImportError('disk-full', `Not enough disk space for ${name}: its tiles need about ${formatBytes(neededBytes)}, but only ${formatBytes(free)} is free.`);
}

export function createImportJobHandler(options: ImportJobOptions = {}): JobHandler<ImportParams, ImportJobResult> {
  const write: WriteFn = options.writeFile ?? ((p, d) => writeFile(p, d));
  const fullLimit = options.fullDecodeLimitBytes ?? DEFAULT_FULL_DECODE_LIMIT;
  const bandBytes = options.bandBytes ?? DEFAULT_BAND_BYTES;

  return {
    kind: 'import',
    params: ImportParamsSchema,
    async run(params: ImportParams, ctx: JobContext): Promise<ImportJobResult> {
      const name = `"${path.basename(params.sourcePath)}"`;
      const partial = partialTileDir(params.projectDir, params.imageId);
      const final = tileDir(params.projectDir, params.imageId);
      let writing = false;
      try {
        throwIfCancelled(ctx.signal);
        const probe = (await probeStillHolds(params)) ?? (await probeTiff(params.sourcePath, params.page ?? 0));
        const source = new SourceBands(probe, bandBytes, fullLimit, ctx);
        if (params.hashOnly) return { outcome: 'hashed', contentHash: await source.hashAll('comparing the pixels of the file') };

        const decodedBytes = probe.width * probe.height * probe.storedChannels * (probe.storedBitsPerSample / 8);
        const route: Level0Route = canReadRowsDirectly(probe) ? 'reread' : decodedBytes <= fullLimit ? 'hold' : 'stream';
        let contentHash: string | null = null;
        let kept: Band[] | null = null;
        if (params.skipIfHashIn && params.skipIfHashIn.length > 0) {
          // Hash before anything is written; held images keep their bands for the build.
          if (route === 'hold') kept = [];
          contentHash = await source.hashAll('checking for duplicates', kept);
          if (params.skipIfHashIn.includes(contentHash)) return { outcome: 'duplicate', contentHash };
        }

        writing = true;
        await mkdir(path.dirname(partial), { recursive: true });
        await checkDiskSpace(params.projectDir, Math.ceil(decodedBytes * 1.34) + 1024 ** 2, name);
        await rm(partial, { recursive: true, force: true });
        const result = await buildPyramid(probe, source, partial, ctx, write, { route, kept, contentHash });
        throwIfCancelled(ctx.signal);
        await rm(final, { recursive: true, force: true });
        await rename(partial, final);
        return result;
      } catch (err) {
        if (writing) await rm(partial, { recursive: true, force: true });
        if (err instanceof JobCancelledError || err instanceof ImageImportError) throw err;
        throw importErrorFromFs(err, name) ?? err;
      }
    },
  };
}

/** Main's probe when it describes this file and page at the size the file still has; null otherwise. */
async function probeStillHolds(params: ImportParams): Promise<TiffProbe | null> {
  const { probe } = params;
  if (!probe || probe.path !== params.sourcePath || probe.page !== (params.page ?? 0)) return null;
  const size = await stat(params.sourcePath).then((s) => s.size, () => null);
  return size === probe.fileSize ? probe : null;
}

/** The page's stored samples, band by band, with the float mapping worked out once. */
class SourceBands {
  private mapping: FloatMapping | null | undefined;
  readonly bandRows: number;

  constructor(
    readonly probe: TiffProbe,
    bandBytes: number,
    wholeLimitBytes: number,
    private readonly ctx: JobContext,
  ) {
    // libvips reads strips it cannot seek to (see stripBands) from the top for every band: when
    // the page fits in memory, one sequential band is faster than many.
    const decodedBytes = probe.width * probe.height * probe.storedChannels * (probe.storedBitsPerSample / 8);
    const seekable = probe.tiled || canCutStrips(probe) || canReadRowsDirectly(probe);
    this.bandRows = !seekable && decodedBytes <= wholeLimitBytes ? probe.height : bandRowsFor(probe, TILE_SIZE, bandBytes);
  }

  async floatMapping(): Promise<FloatMapping | null> {
    if (this.mapping === undefined)
      this.mapping = this.probe.sampleFormat === 'float' ? await floatRange(this.probe, this.bandRows) : null;
    return this.mapping;
  }

  /** With `recycle`, a band's memory is reused once the caller asks for the next band. */
  async *bands(recycle = false): AsyncGenerator<Band, void, undefined> {
    const mapping = await this.floatMapping();
    for await (const band of readBands(this.probe, this.bandRows, mapping, { recycle })) {
      throwIfCancelled(this.ctx.signal);
      yield band;
    }
  }

  /** The content hash of the whole page; bands are appended to `keep` when given. */
  async hashAll(message: string, keep: Band[] | null = null): Promise<string> {
    const hasher = new ContentHasher(this.probe.width, this.probe.height, this.probe.storedChannels, this.probe.storedBitsPerSample);
    this.ctx.progress(0, this.probe.height, message);
    for await (const band of this.bands(keep === null)) {
      hasher.update(band.samples);
      keep?.push(band);
      this.ctx.progress(band.top + band.rows, this.probe.height, message);
    }
    return hasher.digest();
  }
}

/**
 * How level 0 reaches its tiles, chosen for the first view and for memory:
 * - 'reread': uncompressed pages are read straight from the file twice, once for the coarse
 *   levels (the first view) and once for level 0's tiles, through a few reused band buffers;
 * - 'hold': compressed pages that fit in memory are decoded once and held, level 0's tiles
 *   written after the coarse levels;
 * - 'stream': larger ones write each band's level-0 tiles as it arrives (bounded memory).
 */
type Level0Route = 'reread' | 'hold' | 'stream';

interface BuildPlan {
  route: Level0Route;
  /** Bands already decoded (by the duplicate check, on the 'hold' route). */
  kept: Band[] | null;
  /** Already known (by the duplicate check). */
  contentHash: string | null;
}

async function buildPyramid(probe: TiffProbe, source: SourceBands, dir: string, ctx: JobContext, write: WriteFn, plan: BuildPlan): Promise<ImportResult> {
  const { width, height, storedChannels: channels, storedBitsPerSample: bits } = probe;
  const total = totalTileCount(width, height);
  let done = 0;
  ctx.progress(0, total, 'reading the image');
  const sink: PyramidSink = {
    writeTile: (level, col, row, data) => write(path.join(dir, tileRelativePath(level, col, row)), bytesOfSamples(data)),
    levelDone: async (level) => {
      // The marker first: from then on the tile store serves the level, and main may say so.
      await write(levelDoneMarker(dir, level), new Uint8Array(0));
      ctx.note?.({ kind: 'levelReady', level, levels: builder.levels });
    },
  };
  const builder = new PyramidBuilder(width, height, channels, bits, TILE_SIZE, sink, (n) => {
    done += n;
    ctx.progress(done, total, 'building tiles');
    if (ctx.signal.aborted) throw new JobCancelledError();
  });
  for (let level = 0; level < builder.levels; level++) await mkdir(path.join(dir, String(level)), { recursive: true });
  const info: PyramidInfo = { width, height, channels, bitsPerSample: bits, levels: builder.levels, tileSize: TILE_SIZE };
  await write(path.join(dir, PYRAMID_INFO_FILE), Buffer.from(JSON.stringify(info)));
  const mapping = await source.floatMapping();
  throwIfCancelled(ctx.signal);

  const hasher = plan.contentHash === null ? new ContentHasher(width, height, channels, bits) : null;
  const writeLevel0 = async (band: Band) => {
    for (let y = 0; y < band.rows; y += TILE_SIZE) {
      const n = Math.min(TILE_SIZE, band.rows - y);
      const rows = band.samples.subarray(y * width * channels, (y + n) * width * channels);
      await builder.writeTileRow(0, rows, width, n, (band.top + y) / TILE_SIZE);
    }
    hasher?.update(band.samples);
  };

  // Pass 1: every band through the reductions; coarse levels are complete after the last one.
  const held: Band[] = plan.kept ?? [];
  const stream = plan.route === 'stream';
  for await (const band of plan.kept ?? source.bands(plan.route === 'reread')) {
    throwIfCancelled(ctx.signal);
    if (plan.route === 'hold' && !plan.kept) held.push(band);
    if (stream) await writeLevel0(band);
    await builder.pushLevel0(band.samples, band.rows, false);
  }
  await writeThumbnail(builder, dir, write);
  // Pass 2 (first view already possible): level 0's tiles, from memory or from the file again.
  if (plan.route === 'hold') for (const band of held.splice(0)) await writeLevel0(band);
  if (plan.route === 'reread') for await (const band of source.bands(true)) await writeLevel0(band);
  await sink.levelDone(0);
  return {
    outcome: 'built', width, height, bitsPerSample: bits, channels, levels: builder.levels, tileSize: TILE_SIZE,
    pixelSizeNm: probe.pixelSizeNm, contentHash: plan.contentHash ?? hasher!.digest(),
    ...(mapping ? { floatMapping: mapping } : {}),
  };
}

async function writeThumbnail(builder: PyramidBuilder, dir: string, write: WriteFn): Promise<void> {
  const coarsest = builder.coarsest;
  if (!coarsest) throw new Error('pyramid finished without its coarsest level');
  const [w, h] = levelSize(builder.width, builder.height, builder.levels - 1);
  await write(path.join(dir, 'thumbnail.png'), await renderThumbnail(coarsest, w, h, builder.channels));
}

export const importJobHandler: JobHandler<ImportParams, ImportJobResult> = createImportJobHandler();

// The import job (compute process): probe → decode → pyramid into tiles/<id>.partial/ (each
// level marked done as it completes, coarse levels first) → thumbnail → rename to tiles/<id>/.
// Cancel or failure removes the partial pyramid; nothing half-imported is left behind.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { JobCancelledError, throwIfCancelled, type JobContext, type JobHandler } from '../jobs/jobContext';
import { ImageImportError, formatBytes, importErrorFromFs } from './importError';
import { PyramidBuilder, type PyramidSink } from './pyramidBuilder';
import { bytesOfSamples, type Samples } from './raster';
import { decodeRows, floatRange, type FloatMapping } from './sourceDecoder';
import { renderThumbnail } from './thumbnail';
import { TILE_SIZE, levelSize, totalTileCount } from './tileGrid';
import { PYRAMID_INFO_FILE, levelDoneMarker, partialTileDir, tileDir, tileRelativePath, type PyramidInfo } from './tileStore';
import { probeTiff, type TiffProbe } from './tiffProbe';

export const ImportParamsSchema = z.object({
  projectDir: z.string().min(1),
  imageId: z.number().int().positive(),
  sourcePath: z.string().min(1),
  page: z.number().int().nonnegative().optional(),
});
export type ImportParams = z.infer<typeof ImportParamsSchema>;

export const ImportResultSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitsPerSample: z.union([z.literal(8), z.literal(16)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  levels: z.number().int().positive(),
  tileSize: z.literal(TILE_SIZE),
  pixelSizeNm: z.number().positive().nullable(),
  /** sha256 of the stored level-0 samples (with their shape): same pixels, same hash, any encoding. */
  contentHash: z.string(),
  notice: z.string().nullable(),
  floatMapping: z.object({ min: z.number(), max: z.number() }).optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export interface ImportJobOptions {
  /** The tile-writer seam (tests inject ENOSPC here). */
  writeFile?: (filePath: string, data: Uint8Array) => Promise<void>;
  /** Images whose decoded level 0 fits in this many bytes are decoded in one libvips pass. */
  fullDecodeLimitBytes?: number;
  /** Larger images are decoded in horizontal bands of about this many bytes. */
  bandBytes?: number;
}

const DEFAULT_FULL_DECODE_LIMIT = 1024 ** 3;
const DEFAULT_BAND_BYTES = 64 * 1024 ** 2;

async function checkDiskSpace(projectDir: string, neededBytes: number, name: string): Promise<void> {
  const fsStats = await statfs(projectDir).catch(() => null);
  if (!fsStats) return;
  const free = fsStats.bavail * fsStats.bsize;
  if (free < neededBytes)
    throw new ImageImportError('disk-full', `Not enough disk space for ${name}: its tiles need about ${formatBytes(neededBytes)}, but only ${formatBytes(free)} is free.`);
}

export function createImportJobHandler(options: ImportJobOptions = {}): JobHandler<ImportParams, ImportResult> {
  const write = options.writeFile ?? ((p, d) => writeFile(p, d));
  const fullLimit = options.fullDecodeLimitBytes ?? DEFAULT_FULL_DECODE_LIMIT;
  const bandBytes = options.bandBytes ?? DEFAULT_BAND_BYTES;

  return {
    kind: 'import',
    params: ImportParamsSchema,
    async run(params: ImportParams, ctx: JobContext): Promise<ImportResult> {
      const name = `"${path.basename(params.sourcePath)}"`;
      const partial = partialTileDir(params.projectDir, params.imageId);
      const final = tileDir(params.projectDir, params.imageId);
      try {
        throwIfCancelled(ctx.signal);
        const probe = await probeTiff(params.sourcePath, params.page ?? 0);
        const bytesPerPixel = probe.storedChannels * (probe.storedBitsPerSample / 8);
        const decodedBytes = probe.width * probe.height * bytesPerPixel;
        await mkdir(path.dirname(partial), { recursive: true });
        await checkDiskSpace(params.projectDir, Math.ceil(decodedBytes * 1.34) + 1024 ** 2, name);
        await rm(partial, { recursive: true, force: true });
        const result = await buildPyramid(probe, partial, decodedBytes, ctx, write, fullLimit, bandBytes);
        throwIfCancelled(ctx.signal);
        await rm(final, { recursive: true, force: true });
        await rename(partial, final);
        return result;
      } catch (err) {
        await rm(partial, { recursive: true, force: true });
        if (err instanceof JobCancelledError || err instanceof ImageImportError) throw err;
        throw importErrorFromFs(err, name) ?? err;
      }
    },
  };
}

async function buildPyramid(
  probe: TiffProbe, dir: string, decodedBytes: number, ctx: JobContext,
  write: (filePath: string, data: Uint8Array) => Promise<void>, fullLimit: number, bandBytes: number,
): Promise<ImportResult> {
  const { width, height, storedChannels: channels, storedBitsPerSample: bits } = probe;
  const total = totalTileCount(width, height);
  let done = 0;
  ctx.progress(0, total, 'reading the image');
  const sink: PyramidSink = {
    writeTile: (level, col, row, data) => write(path.join(dir, tileRelativePath(level, col, row)), bytesOfSamples(data)),
    levelDone: (level) => write(levelDoneMarker(dir, level), new Uint8Array(0)),
  };
  const builder = new PyramidBuilder(width, height, channels, bits, TILE_SIZE, sink, (n) => {
    done += n;
    ctx.progress(done, total, 'building tiles');
    if (ctx.signal.aborted) throw new JobCancelledError();
  });
  for (let level = 0; level < builder.levels; level++) await mkdir(path.join(dir, String(level)), { recursive: true });
  const info: PyramidInfo = { width, height, channels, bitsPerSample: bits, levels: builder.levels, tileSize: TILE_SIZE };
  await write(path.join(dir, PYRAMID_INFO_FILE), Buffer.from(JSON.stringify(info)));

  const floatBandRows = Math.max(1, Math.floor(bandBytes / (width * 4)));
  const mapping: FloatMapping | null = probe.sampleFormat === 'float' ? await floatRange(probe, floatBandRows) : null;
  const hash = createHash('sha256').update(`${width}x${height}x${channels}x${bits}\n`);
  throwIfCancelled(ctx.signal);
  if (decodedBytes <= fullLimit) {
    // One libvips pass; coarse levels first (first view), then level 0 from the same buffer.
    const all = await decodeRows(probe, 0, height, mapping);
    throwIfCancelled(ctx.signal);
    await builder.pushLevel0(all, height, false);
    await writeThumbnail(builder, dir, write);
    for (let y = 0, tileRow = 0; y < height; y += TILE_SIZE, tileRow++) {
      const n = Math.min(TILE_SIZE, height - y);
      await builder.writeTileRow(0, all.subarray(y * width * channels, (y + n) * width * channels), width, n, tileRow);
    }
    hash.update(bytesOfSamples(all));
  } else {
    // Bounded memory: bands of whole tile rows; coarse levels complete with the last band.
    const rowBytes = width * channels * (bits / 8);
    const bandRows = TILE_SIZE * Math.max(1, Math.floor(bandBytes / (rowBytes * TILE_SIZE)));
    for (let top = 0; top < height; top += bandRows) {
      throwIfCancelled(ctx.signal);
      const rows = Math.min(bandRows, height - top);
      const band = await decodeRows(probe, top, rows, mapping);
      hash.update(bytesOfSamples(band));
      await builder.pushLevel0(band, rows, true);
    }
    await writeThumbnail(builder, dir, write);
  }
  await sink.levelDone(0);
  return {
    width, height, bitsPerSample: bits, channels, levels: builder.levels, tileSize: TILE_SIZE,
    pixelSizeNm: probe.pixelSizeNm, contentHash: hash.digest('hex'),
    notice: probe.imagePageCount > 1 ? `multi-page file: imported the first page of ${probe.imagePageCount}` : null,
    ...(mapping ? { floatMapping: mapping } : {}),
  };
}

async function writeThumbnail(builder: PyramidBuilder, dir: string, write: (p: string, d: Uint8Array) => Promise<void>): Promise<void> {
  const coarsest: Samples | null = builder.coarsest;
  if (!coarsest) throw new Error('pyramid finished without its coarsest level');
  const [w, h] = levelSize(builder.width, builder.height, builder.levels - 1);
  await write(path.join(dir, 'thumbnail.png'), await renderThumbnail(coarsest, w, h, builder.channels));
}

export const importJobHandler: JobHandler<ImportParams, ImportResult> = createImportJobHandler();

// probeTiff: everything the import needs to know about a TIFF, from its header and directory
// bytes only, plus every check that lets bad input fail fast with a specific message before
// libvips is asked to decode anything.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { checkBlockLayout } from './blockLayout';
import { ImageImportError, formatBytes, importErrorFromFs } from './importError';
import { resolvePixelSize, type PixelSizeSource } from './pixelSize';
import { isImagePage, NEW_SUBFILE_TYPE } from '../../../src-shared/tiffIfd';
import { TiffFile, type IfdTags, type MetadataRange, type TagValue } from './tiffIfd';

export type SampleFormat = 'uint' | 'float';

export interface TiffProbe {
  path: string;
  fileSize: number;
  bigTiff: boolean;
  littleEndian: boolean;
  /** Every directory in the main chain (including reduced-resolution pyramid pages). */
  pageCount: number;
  /** Pages that are full images (NewSubfileType without the reduced-resolution bit). */
  imagePageCount: number;
  /** Indices (in the main chain) of those full-image pages, in file order. */
  imagePages: number[];
  /** The page this probe describes (0-based). */
  page: number;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: 1 | 8 | 16 | 32;
  sampleFormat: SampleFormat;
  compression: number;
  compressionName: string;
  photometric: number;
  planarConfig: 1 | 2;
  predictor: number;
  tiled: boolean;
  /** File offsets and byte counts of every strip (or tile), as validated against the file size. */
  blockOffsets: number[];
  blockByteCounts: number[];
  /** ExtraSamples (tag 338): what samples beyond the colour ones are (alpha etc.). */
  extraSamples: number[];
  /** Tile size for tiled files; strip width × rows per strip for striped ones. */
  blockWidth: number;
  blockHeight: number;
  pixelSizeNm: number | null;
  pixelSizeSource: PixelSizeSource | null;
  description: string | null;
  /** What the pyramid stores: 1-bit → 8, float → 16; palette/YCbCr → RGB. */
  storedBitsPerSample: 8 | 16;
  storedChannels: 1 | 3;
}

export const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none', 2: 'CCITT RLE', 3: 'CCITT Group 3', 4: 'CCITT Group 4', 5: 'LZW', 6: 'old-style JPEG', 7: 'JPEG',
  8: 'Deflate', 32946: 'Deflate', 32773: 'PackBits', 34676: 'SGI LogLuv', 34712: 'JPEG 2000', 34887: 'LERC',
  34925: 'LZMA', 50000: 'Zstandard', 50001: 'WebP', 52546: 'JPEG XL',
};
const SUPPORTED_COMPRESSIONS = new Set([1, 5, 7, 8, 32946, 32773]);
const SUPPORTED_PHOTOMETRIC = new Set([0, 1, 2, 3, 6]);
/** Hard limits: beyond these no lab image exists and the declared size is damage or an attack. */
export const MAX_SIDE = 1_000_000;
export const MAX_PIXELS = 2 ** 34;
/** No codec here reaches this ratio of decoded to stored bytes (Deflate tops out near 1032:1). */
const MAX_COMPRESSION_RATIO = 5000;

function nums(tags: IfdTags, tag: number): number[] | null {
  const v: TagValue | undefined = tags.get(tag);
  return Array.isArray(v) ? v : null;
}
function first(tags: IfdTags, tag: number, fallback: number): number {
  return nums(tags, tag)?.[0] ?? fallback;
}
function text(tags: IfdTags, tag: number): string | null {
  const v = tags.get(tag);
  return typeof v === 'string' ? v : null;
}

export async function probeTiff(filePath: string, page = 0): Promise<TiffProbe> {
  const name = `"${path.basename(filePath)}"`;
  let fh;
  try {
    fh = await open(filePath, 'r');
  } catch (err) {
    throw importErrorFromFs(err, name) ?? err;
  }
  try {
    const size = (await fh.stat()).size;
    const tiff = await TiffFile.open(fh, size, name);
    const pages = await tiff.pageOffsets(name);
    if (page < 0 || page >= pages.length)
      throw new ImageImportError('page-out-of-range', `${name} has ${pages.length} page(s); page ${page + 1} does not exist.`);
    const imagePages: number[] = [];
    for (const [index, at] of pages.entries()) {
      const kind = pages.length === 1 ? 0 : first(await tiff.readTags(at, name, new Set([NEW_SUBFILE_TYPE])), NEW_SUBFILE_TYPE, 0);
      if (isImagePage(kind, pages.length)) imagePages.push(index);
    }
    const tags = await tiff.readTags(pages[page] ?? 0, name);
    const firstTags = page === 0 ? tags : await tiff.readTags(pages[0] ?? 0, name);
    return describe(filePath, name, size, tiff.header.bigTiff, tiff.header.littleEndian, pages.length, imagePages, page, tags, firstTags, tiff.metadata);
  } finally {
    await fh.close();
  }
}

function describe(
  filePath: string, name: string, fileSize: number, bigTiff: boolean, littleEndian: boolean,
  pageCount: number, imagePages: number[], page: number, tags: IfdTags, firstTags: IfdTags, metadata: readonly MetadataRange[],
): TiffProbe {
  const width = first(tags, 256, 0);
  const height = first(tags, 257, 0);
  if (width <= 0 || height <= 0 || !Number.isInteger(width) || !Number.isInteger(height))
    throw new ImageImportError('bad-dimensions', `${name} declares an image of ${width} × ${height} pixels; both sides must be at least 1.`);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS)
    throw new ImageImportError(
      'too-large',
      `${name} declares ${width} × ${height} pixels, beyond the supported maximum (${MAX_SIDE} px per side, ${(MAX_PIXELS / 1e9).toFixed(1)} gigapixels); the file is damaged or not a real image.`,
    );

  const compression = first(tags, 259, 1);
  const compressionName = COMPRESSION_NAMES[compression] ?? `code ${compression}`;
  if (!SUPPORTED_COMPRESSIONS.has(compression))
    throw new ImageImportError(
      'unsupported-compression',
      `${name} uses ${compressionName} compression, which Micra Studio cannot read. Supported: none, LZW, Deflate, PackBits, JPEG. Re-save it from Fiji or QuPath with one of these.`,
    );

  const spp = first(tags, 277, 1);
  const bitsList = nums(tags, 258) ?? [1];
  const bits = bitsList[0] ?? 1;
  const formatCode = first(tags, 339, 1);
  const sampleFormat: SampleFormat | null = formatCode === 3 ? 'float' : formatCode === 1 || formatCode === 4 ? 'uint' : null;
  const supportedDepth = sampleFormat === 'float' ? bits === 32 : bits === 1 || bits === 8 || bits === 16;
  if (sampleFormat === null || !supportedDepth || bitsList.some((b) => b !== bits)) {
    const kind = formatCode === 2 ? 'signed integer' : formatCode === 3 ? 'floating-point' : formatCode === 6 ? 'complex' : 'unsigned integer';
    throw new ImageImportError(
      'unsupported-sample-format',
      `${name} stores ${bitsList.join('/')}-bit ${kind} samples. Supported: 1, 8 and 16-bit unsigned integers and 32-bit float.`,
    );
  }

  const photometric = first(tags, 262, spp >= 3 ? 2 : 1);
  if (!SUPPORTED_PHOTOMETRIC.has(photometric) || (photometric === 6 && compression !== 7))
    throw new ImageImportError('unsupported-layout', `${name} uses photometric interpretation ${photometric} (e.g. CMYK or Lab), which Micra Studio cannot read. Supported: grayscale, RGB and palette.`);
  const colour = photometric === 2 || photometric === 6;
  if ((colour && spp < 3) || (!colour && spp < 1) || spp > (colour ? 4 : 2))
    throw new ImageImportError('unsupported-layout', `${name} has ${spp} samples per pixel, which does not fit its ${colour ? 'RGB' : 'grayscale'} interpretation.`);
  if (photometric === 3 && (bits !== 8 || !tags.has(320)))
    throw new ImageImportError('unsupported-layout', `${name} is a palette image without a usable 8-bit colour map.`);

  const planarConfig = first(tags, 284, 1) === 2 ? 2 : 1;
  const tiled = tags.has(322) && tags.has(323);
  const blockWidth = tiled ? first(tags, 322, 0) : width;
  const blockHeight = tiled ? first(tags, 323, 0) : Math.min(first(tags, 278, height), height);
  if (blockWidth <= 0 || blockHeight <= 0)
    throw new ImageImportError('bad-offsets', `${name} is damaged: it declares ${tiled ? 'tiles' : 'strips'} of ${blockWidth} × ${blockHeight} pixels.`);
  const offsets = nums(tags, tiled ? 324 : 273);
  const counts = nums(tags, tiled ? 325 : 279);
  const planes = planarConfig === 2 ? spp : 1;
  const blocks = Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight) * planes;
  const what = tiled ? 'tile' : 'strip';
  if (!offsets || !counts || offsets.length < blocks || counts.length < blocks)
    throw new ImageImportError(
      'bad-offsets',
      `${name} is damaged: it needs ${blocks} ${what} offsets and byte counts but declares ${offsets?.length ?? 0} and ${counts?.length ?? 0}.`,
    );
  let stored = 0;
  for (let i = 0; i < blocks; i++) {
    const off = offsets[i] ?? 0;
    const cnt = counts[i] ?? 0;
    if (off + cnt > fileSize)
      throw new ImageImportError(
        'truncated',
        `${name} is truncated: ${what} ${i + 1} of ${blocks} ends at byte ${off + cnt}, but the file has only ${fileSize} bytes.`,
      );
    stored += cnt;
  }
  checkBlockLayout(name, { what, offsets: offsets.slice(0, blocks), byteCounts: counts.slice(0, blocks), sharedBlocksAllowed: tiled }, metadata);
  const decoded = (width * height * spp * bits) / 8;
  if (compression === 1 && !tiled && stored < Math.floor(decoded) - 1)
    throw new ImageImportError('truncated', `${name} is truncated: ${width} × ${height} pixels need ${formatBytes(decoded)} but its strips hold ${formatBytes(stored)}.`);
  if (stored === 0 || decoded / stored > MAX_COMPRESSION_RATIO)
    throw new ImageImportError(
      'bad-dimensions',
      `${name} declares ${width} × ${height} pixels (${formatBytes(decoded)} of pixel data) but holds only ${formatBytes(stored)} of image data: the dimensions are wrong or the file is damaged.`,
    );

  const description = text(firstTags, 270);
  const pixel = resolvePixelSize({
    description,
    xResolution: nums(tags, 282)?.[0] ?? nums(firstTags, 282)?.[0] ?? null,
    resolutionUnit: nums(tags, 296)?.[0] ?? nums(firstTags, 296)?.[0] ?? null,
    zeissSem: text(tags, 34118) ?? text(firstTags, 34118),
    feiSem: text(tags, 34682) ?? text(firstTags, 34682),
  });
  return {
    path: filePath, fileSize, bigTiff, littleEndian, pageCount, imagePageCount: imagePages.length, imagePages, page, width, height,
    samplesPerPixel: spp, bitsPerSample: bits as 1 | 8 | 16 | 32, sampleFormat, compression, compressionName,
    photometric, planarConfig, predictor: first(tags, 317, 1), tiled, blockWidth, blockHeight,
    blockOffsets: offsets.slice(0, blocks), blockByteCounts: counts.slice(0, blocks), extraSamples: nums(tags, 338) ?? [],
    pixelSizeNm: pixel?.nm ?? null, pixelSizeSource: pixel?.source ?? null, description,
    storedBitsPerSample: bits === 16 || bits === 32 ? 16 : 8,
    storedChannels: photometric === 2 || photometric === 3 || photometric === 6 ? 3 : 1,
  };
}

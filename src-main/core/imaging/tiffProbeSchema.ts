// A TiffProbe as it crosses from main to the compute process in the import job's params: main
// probes a file once (to register the image and choose its pages) and hands the probe to the job,
// which would otherwise read every directory again. It crosses a process boundary, so the job
// checks its shape with this schema, and uses it only for the file it names at the size it had
// (importJob.ts); anything else is probed afresh.
import { z } from 'zod';
import { MAX_SIDE, type TiffProbe } from './tiffProbe';

const count = z.number().int().nonnegative();
const side = z.number().int().positive().max(MAX_SIDE);

export const TiffProbeSchema = z.object({
  path: z.string().min(1),
  fileSize: count,
  bigTiff: z.boolean(),
  littleEndian: z.boolean(),
  pageCount: count,
  imagePageCount: count,
  imagePages: z.array(count),
  page: count,
  width: side,
  height: side,
  samplesPerPixel: z.number().int().positive(),
  bitsPerSample: z.union([z.literal(1), z.literal(8), z.literal(16), z.literal(32)]),
  sampleFormat: z.enum(['uint', 'float']),
  compression: count,
  compressionName: z.string(),
  photometric: count,
  planarConfig: z.union([z.literal(1), z.literal(2)]),
  predictor: count,
  tiled: z.boolean(),
  blockOffsets: z.array(count),
  blockByteCounts: z.array(count),
  extraSamples: z.array(count),
  blockWidth: z.number().int().positive(),
  blockHeight: z.number().int().positive(),
  pixelSizeNm: z.number().positive().nullable(),
  pixelSizeSource: z.enum(['ome', 'imagej', 'sem', 'resolution']).nullable(),
  description: z.string().nullable(),
  storedBitsPerSample: z.union([z.literal(8), z.literal(16)]),
  storedChannels: z.union([z.literal(1), z.literal(3)]),
}) satisfies z.ZodType<TiffProbe>;

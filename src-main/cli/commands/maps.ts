// `micra maps`: runs MICRA-Net on one single-channel TIFF and writes its maps for the first
// class in the fixture's manifest + .f32 format: `logit`, `gradcam/<1a…4b>` (each block's
// native resolution), `pca_map`, `precise_raw`, `precise_mask`.
import sharp from 'sharp';
import { initBackend } from '../../core/ml/backend';
import { BLOCK_NAMES, SIZE_MULTIPLE } from '../../core/ml/model/architecture';
import { computeMaps } from '../../core/ml/explain/micranetMaps';
import { applyPreprocessing } from '../../core/ml/preprocess';
import { correctedCopyOfFile } from '../../core/imaging/lenientTiff';
import { loadMicraNetWeights } from '../../core/ml/weights/micranetWeights';
import { writeF32Manifest, type F32Array } from '../../core/ml/weights/f32Manifest';

/** Largest image `maps` takes whole: the activations of one crop grow with its area. */
const MAX_PIXELS = 4096 * 4096;

export interface GreyImage {
  /** Intensities: integer samples divided by the type's maximum, float samples as stored. */
  values: Float32Array;
  width: number;
  height: number;
  sampleType: 'uint8' | 'uint16' | 'float32';
}

/** An image libvips reads but maps does not take (channels, size, pixel type). */
class MapsInputError extends Error {}

/** Reads an 8/16-bit or float32 single-channel TIFF (first page) into model-range values. */
export async function readGreyTiff(file: string): Promise<GreyImage> {
  try {
    return await decodeGreyTiff(file, file);
  } catch (err) {
    if (err instanceof MapsInputError) throw err;
    // libvips refuses out-of-spec harmless tags (tifffile's ResolutionUnit 5): a corrected copy.
    const copy = await correctedCopyOfFile(file);
    if (!copy) throw new Error(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
    return decodeGreyTiff(file, copy);
  }
}

async function decodeGreyTiff(file: string, input: string | Buffer): Promise<GreyImage> {
  const { width, height, channels, depth } = await sharp(input, { failOn: 'error' }).metadata();
  if (!width || !height) throw new MapsInputError(`${file} has no image size`);
  if (channels !== 1) throw new MapsInputError(`${file} has ${channels} channels; maps needs a single-channel image`);
  if (width * height > MAX_PIXELS) throw new MapsInputError(`${file} is ${width}×${height}: too large for maps, crop it first`);
  const img = sharp(input, { failOn: 'error', limitInputPixels: false });
  const values = new Float32Array(width * height);
  let sampleType: GreyImage['sampleType'];
  if (depth === 'uchar') {
    const b = await img.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer();
    checkLength(file, b.byteLength, width * height);
    for (let i = 0; i < values.length; i++) values[i] = (b[i] as number) / 255;
    sampleType = 'uint8';
  } else if (depth === 'ushort') {
    const b = await img.toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer();
    checkLength(file, b.byteLength, width * height * 2);
    for (let i = 0; i < values.length; i++) values[i] = b.readUInt16LE(i * 2) / 65535;
    sampleType = 'uint16';
  } else if (depth === 'float') {
    const b = await img.toColourspace('b-w').raw({ depth: 'float' }).toBuffer();
    checkLength(file, b.byteLength, width * height * 4);
    for (let i = 0; i < values.length; i++) values[i] = b.readFloatLE(i * 4);
    if (!values.every(Number.isFinite)) throw new MapsInputError(`${file} holds NaN or infinite values`);
    sampleType = 'float32';
  } else {
    throw new MapsInputError(`${file} has pixel type '${depth}'; maps takes 8-bit, 16-bit or float32 images`);
  }
  return { values, width, height, sampleType };
}

function checkLength(file: string, got: number, want: number): void {
  if (got !== want) throw new MapsInputError(`${file} decoded to ${got} bytes instead of ${want}`);
}

export async function runMapsCommand(args: { weights: string; input: string; out: string }): Promise<void> {
  const backend = await initBackend();
  const { net, card } = await loadMicraNetWeights(args.weights);
  try {
    if (net.inChannels !== 1) throw new Error(`the model takes ${net.inChannels} channels; maps reads single-channel images`);
    const image = await readGreyTiff(args.input);
    if (image.width % SIZE_MULTIPLE !== 0 || image.height % SIZE_MULTIPLE !== 0) {
      throw new Error(`${args.input} is ${image.width}×${image.height}; MICRA-Net needs sides that are multiples of ${SIZE_MULTIPLE}`);
    }
    const pixels = applyPreprocessing(image.values, card.preprocessing);
    const maps = await computeMaps(net, pixels, image.width, image.height, 0);
    const arrays = new Map<string, F32Array>();
    arrays.set('logit', { data: maps.logits, shape: [maps.logits.length] });
    BLOCK_NAMES.forEach((block, i) => {
      arrays.set(`gradcam/${block}`, { data: maps.gradcam[i] as Float32Array, shape: maps.gradcamSizes[i] as [number, number] });
    });
    const hw = [image.height, image.width];
    arrays.set('pca_map', { data: maps.pca.data, shape: hw });
    arrays.set('precise_raw', { data: maps.preciseRaw.data, shape: hw });
    arrays.set('precise_mask', { data: Float32Array.from(maps.preciseMask.data), shape: hw });
    await writeF32Manifest(args.out, arrays, {
      maps: {
        input: args.input,
        weights: args.weights,
        class: card.classes[0],
        classIndex: 0,
        sampleType: image.sampleType,
        preprocessing: card.preprocessing,
        backend: backend.name,
      },
    });
  } finally {
    net.dispose();
  }
}

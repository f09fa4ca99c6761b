// Compute side: one crop's pixels from the tile store (level 0), as the model sees them:
// samples divided by the type's maximum, colour averaged to grey for a one-channel model,
// then the model card's preprocessing (inversion, normalisation).
import { readRegion } from '../../imaging/regionReader';
import { applyPreprocessing } from '../preprocess';
import type { Preprocessing } from '../weights/modelCard';
import type { DatasetImage } from './datasetSpec';

export async function readCropForModel(
  projectDir: string,
  image: DatasetImage,
  x: number,
  y: number,
  size: number,
  inChannels: number,
  pre: Preprocessing,
): Promise<Float32Array> {
  const raster = await readRegion(projectDir, image, 0, { x, y, width: size, height: size });
  return applyPreprocessing(toModelChannels(raster.data, image.channels, image.bitsPerSample, inChannels), pre);
}

export function toModelChannels(data: ArrayLike<number>, channels: number, bits: 8 | 16, inChannels: number): Float32Array {
  const scale = 1 / (bits === 16 ? 65535 : 255);
  const pixels = data.length / channels;
  const out = new Float32Array(pixels * inChannels);
  for (let p = 0; p < pixels; p++) {
    if (inChannels === channels) {
      for (let c = 0; c < channels; c++) out[p * channels + c] = (data[p * channels + c] as number) * scale;
    } else if (inChannels === 1) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += data[p * channels + c] as number;
      out[p] = (sum / channels) * scale;
    } else {
      // A grey image for a colour model: the grey value in every channel.
      const v = (data[p * channels] as number) * scale;
      for (let c = 0; c < inChannels; c++) out[p * inChannels + c] = v;
    }
  }
  return out;
}

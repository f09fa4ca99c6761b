// Turns a rectangle of the tile store into a model input: samples scaled to [0, 1] by the pixel
// type's maximum, converted to the model's channel count, padded to the crop size with the
// crop's mean when the image is smaller than one crop. Also the cheap background test.
import type { Raster } from '../../imaging/raster';

/** Values in [0, 1], size × size × channels (HWC). */
export function rasterToModelInput(raster: Raster, size: number, channels: number): Float32Array {
  const scale = raster.bitsPerSample === 16 ? 1 / 65535 : 1 / 255;
  const { width, height } = raster;
  const src = raster.data;
  const rc = raster.channels;
  const out = new Float32Array(size * size * channels);
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * rc;
      const d = (y * size + x) * channels;
      if (channels === rc) {
        for (let k = 0; k < rc; k++) out[d + k] = (src[s + k] as number) * scale;
      } else if (channels === 1) {
        // Colour image into a grey model: the mean of the channels.
        let v = 0;
        for (let k = 0; k < rc; k++) v += src[s + k] as number;
        out[d] = (v / rc) * scale;
      } else {
        for (let k = 0; k < channels; k++) out[d + k] = (src[s] as number) * scale;
      }
      for (let k = 0; k < channels; k++) sum += out[d + k] as number;
    }
  }
  if (width < size || height < size) {
    const mean = sum / Math.max(1, width * height * channels);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if (x >= width || y >= height) out.fill(mean, (y * size + x) * channels, (y * size + x + 1) * channels);
  }
  return out;
}

/** Standard deviation of the crop's samples, on the [0, 1] scale. */
export function rasterStdDev(raster: Raster): number {
  const scale = raster.bitsPerSample === 16 ? 1 / 65535 : 1 / 255;
  const data = raster.data;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = (data[i] as number) * scale;
    sum += v;
    sumSq += v * v;
  }
  const n = Math.max(1, data.length);
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
}

/** A crop this uniform (resin, empty slide, a blank border) holds nothing to find. */
export function isBackground(raster: Raster, minStdDev: number): boolean {
  return rasterStdDev(raster) < minStdDev;
}

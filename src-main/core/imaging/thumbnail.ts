// The image's thumbnail: the coarsest pyramid level (one tile), contrast-stretched to 8 bit when
// the samples are 16-bit (raw 16-bit data is often dark: 12-bit cameras, narrow ranges), then
// fitted within 256 px.
import sharp from 'sharp';
import type { Samples } from './raster';

export const THUMBNAIL_MAX_SIDE = 256;

/** Maps samples linearly so the 0.1 % and 99.9 % quantiles span 0–255. */
export function stretchTo8Bit(samples: Uint16Array): Uint8Array {
  const hist = new Uint32Array(65536);
  for (const v of samples) hist[v]!++;
  const cut = Math.floor(samples.length * 0.001);
  let lo = 0;
  for (let seen = 0; lo < 65535 && seen + hist[lo]! <= cut; lo++) seen += hist[lo]!;
  let hi = 65535;
  for (let seen = 0; hi > lo && seen + hist[hi]! <= cut; hi--) seen += hist[hi]!;
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((samples[i]! - lo) * scale)));
  return out;
}

export async function renderThumbnail(samples: Samples, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const bytes = samples instanceof Uint16Array ? stretchTo8Bit(samples) : samples;
  return sharp(bytes, { raw: { width, height, channels } })
    .resize({ width: THUMBNAIL_MAX_SIDE, height: THUMBNAIL_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .png()
    .toBuffer();
}

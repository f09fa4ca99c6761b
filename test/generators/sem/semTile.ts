// generateSemTile: a synthetic SEM image of neural tissue (8-bit grey) with sparse DAB-like
// markers and their ground truth (a 0/1 mask and one record per marker). The image is rendered
// in 512² tiles with a small margin for the blur, so working memory stays a few MB beyond the
// two output arrays (w·h bytes each) at any size, up to 10,240² and beyond.
//
// `style` sets the look (see semStyle.ts): omitted or 'classic' → the original fixed look (same
// bytes as before for a seed); 'varied' → the training family, a style drawn from the seed;
// 'heldout-crowded' | 'heldout-soft' | 'heldout-pale' → families training never draws from; or a
// SemStyle record. The tile reports the style it used.
import sharp from 'sharp';
import { hash3 } from './prng';
import { placeMarkers, type SemMarker } from './semMarkers';
import { MarkerIndex } from './semObjects';
import { renderRegion } from './semRender';
import { isIdentityTone, resolveSemStyle, type SemStyle, type SemStyleFamily } from './semStyle';

export type { SemMarker } from './semMarkers';

export interface SemTileOptions {
  width: number;
  height: number;
  seed: number;
  /** Exact number of markers wanted (fewer if they do not fit). Overrides markerDensity. */
  markerCount?: number;
  /** Markers per megapixel; default 0.4 (about 42 on a 10,240² tile). */
  markerDensity?: number;
  /** A style family name (drawn from `seed`) or a style; default 'classic'. */
  style?: SemStyleFamily | SemStyle;
}

export interface SemTile {
  width: number;
  height: number;
  /** Grey levels, row-major. */
  pixels: Uint8Array;
  /** 1 where a marker is, else 0. */
  mask: Uint8Array;
  markers: SemMarker[];
  /** The style the tile was drawn in. */
  style: SemStyle;
}

export const DEFAULT_MARKER_DENSITY = 0.4;
const TILE = 512;
// The style gives the Gaussian blur σ (the microscope's point spread) and the sensor noise σ in
// grey levels; the blur kernel's radius is 2 up to σ = 1 (classic), ⌈2.5σ⌉ above.
const MAX_SIDE = 65_536;

export function generateSemTile(options: SemTileOptions): SemTile {
  const { width, height, seed } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new RangeError(`SEM tile size must be integers in 1..${MAX_SIDE}, got ${width}×${height}`);
  }
  const count = options.markerCount ?? Math.round(((options.markerDensity ?? DEFAULT_MARKER_DENSITY) * width * height) / 1e6);
  const style = resolveSemStyle(options.style, seed);
  const shapes = placeMarkers(seed, width, height, count, style);
  const index = new MarkerIndex(shapes);
  const pixels = new Uint8Array(width * height);
  const mask = new Uint8Array(width * height);
  for (const s of shapes) {
    for (let j = 0; j < s.bh; j++) {
      for (let i = 0; i < s.bw; i++) if (s.bitmap[j * s.bw + i]) mask[(s.by + j) * width + s.bx + i] = 1;
    }
  }
  const radius = style.blurSigma <= 1 ? 2 : Math.ceil(2.5 * style.blurSigma);
  const margin = radius + 1;
  const kernel = gaussianKernel(style.blurSigma, radius);
  const noiseScale = (style.noiseSigma * Math.sqrt(6)) / 65536;
  const tone = isIdentityTone(style) ? null : style;
  for (let ty = 0; ty < height; ty += TILE) {
    for (let tx = 0; tx < width; tx += TILE) {
      const tw = Math.min(TILE, width - tx);
      const th = Math.min(TILE, height - ty);
      const region = { x0: tx - margin, y0: ty - margin, width: tw + 2 * margin, height: th + 2 * margin };
      const blurred = blurSeparable(renderRegion(seed, style, index, region), region.width, region.height, kernel);
      for (let j = 0; j < th; j++) {
        for (let i = 0; i < tw; i++) {
          const x = tx + i;
          const y = ty + j;
          // Sensor noise: a triangular variate from the two halves of one hash (σ ≈ noiseSigma).
          const h = hash3(seed, x, y, 57);
          const noise = ((h & 0xffff) + (h >>> 16) - 65535) * noiseScale;
          let v = (blurred[(j + margin) * region.width + i + margin] as number) + noise;
          if (tone) v = tone.offset + tone.gain * 255 * Math.pow(Math.max(v, 0) / 255, tone.gamma);
          pixels[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  return { width, height, pixels, mask, markers: shapes.map((s) => s.marker), style };
}

function gaussianKernel(sigma: number, radius: number): Float32Array {
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return k.map((v) => v / sum);
}

/** Separable blur; the outer `radius` pixels of the result are left unblurred (margin). */
function blurSeparable(src: Float32Array, w: number, h: number, kernel: Float32Array): Float32Array {
  const radius = (kernel.length - 1) / 2;
  const tmp = Float32Array.from(src);
  for (let y = 0; y < h; y++) {
    for (let x = radius; x < w - radius; x++) {
      let acc = 0;
      for (let t = -radius; t <= radius; t++) acc += (src[y * w + x + t] as number) * (kernel[t + radius] as number);
      tmp[y * w + x] = acc;
    }
  }
  const out = Float32Array.from(tmp);
  for (let y = radius; y < h - radius; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let t = -radius; t <= radius; t++) acc += (tmp[(y + t) * w + x] as number) * (kernel[t + radius] as number);
      out[y * w + x] = acc;
    }
  }
  return out;
}

/** Writes the tile's pixels as an 8-bit greyscale TIFF (LZW), tiled so large images stream. */
export async function writeSemTiff(path: string, tile: Pick<SemTile, 'width' | 'height' | 'pixels'>): Promise<void> {
  await sharp(tile.pixels, { raw: { width: tile.width, height: tile.height, channels: 1 }, limitInputPixels: false })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw', tile: true, tileWidth: 256, tileHeight: 256 })
    .toFile(path);
}

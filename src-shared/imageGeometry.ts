// What every reader of a stored image needs of it: its size, its samples and its pyramid. One
// type on both sides: main's region reader, sweeps, the background test, the dataset and crop
// scores (core/imaging/imageGeometry.ts checks it with a schema when it crosses to the compute
// process), and the renderer's viewer and crop grid.
import { levelSize } from './pyramidGeometry';

export interface ImageGeometry {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: 8 | 16;
  readonly channels: 1 | 3;
  readonly tileSize: number;
  /** Levels of its pyramid (pyramidGeometry.ts gives their sizes: levelSizeOf). */
  readonly levels: number;
}

/** The geometry of an image as the API describes it (ImageSummary: its levels by their sizes). */
export function geometryOfSummary(image: Omit<ImageGeometry, 'levels'> & { readonly levelSizes: readonly unknown[] }): ImageGeometry {
  const { id, width, height, bitsPerSample, channels, tileSize } = image;
  return { id, width, height, bitsPerSample, channels, tileSize, levels: image.levelSizes.length };
}

/** The size of one of the image's pyramid levels; an error for a level it does not have. */
export function levelSizeOf(image: ImageGeometry, level: number): [number, number] {
  if (!Number.isInteger(level) || level < 0 || level >= image.levels) throw new Error(`image ${image.id} has no level ${level}`);
  return levelSize(image.width, image.height, level);
}

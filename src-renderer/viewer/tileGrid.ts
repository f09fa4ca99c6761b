// Which tiles of a pyramid level cover a region of the image (in level-0 pixels, the viewer's
// space), and tile identities. The pyramid's layout itself is src-shared/pyramidGeometry's.
import { tileCountIn, tileSizeIn } from '../../src-shared/pyramidGeometry';
import type { TileKey } from '../api/tileSource';
import type { ImageRect } from './coords';
import { levelFactor } from './lod';

export const tileKeyString = (t: TileKey): string => `${t.level}/${t.col}/${t.row}`;

/** Size of one tile in its level's pixels: 512, or the remainder at the right/bottom edge. */
export function tileSizeAt(t: TileKey, levelSize: readonly [number, number], tileSize: number): [number, number] {
  return tileSizeIn(levelSize[0], levelSize[1], t.col, t.row, tileSize);
}

/** The rectangle a tile covers, in level-0 pixels. */
export function tileImageRect(t: TileKey, levelSize: readonly [number, number], tileSize: number): ImageRect {
  const f = levelFactor(t.level);
  const [w, h] = tileSizeAt(t, levelSize, tileSize);
  const x0 = t.col * tileSize * f;
  const y0 = t.row * tileSize * f;
  return { x0, y0, x1: x0 + w * f, y1: y0 + h * f };
}

/** Tiles of `level` that intersect `rect` (level-0 pixels), row-major. */
export function tilesCovering(
  rect: ImageRect,
  level: number,
  levelSize: readonly [number, number],
  tileSize: number,
): TileKey[] {
  const f = levelFactor(level);
  const { cols, rows } = tileCountIn(levelSize[0], levelSize[1], tileSize);
  const span = tileSize * f;
  const c0 = Math.max(0, Math.floor(rect.x0 / span));
  const r0 = Math.max(0, Math.floor(rect.y0 / span));
  const c1 = Math.min(cols - 1, Math.ceil(rect.x1 / span) - 1);
  const r1 = Math.min(rows - 1, Math.ceil(rect.y1 / span) - 1);
  const out: TileKey[] = [];
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) out.push({ level, col, row });
  }
  return out;
}

/** The tile of a coarser level that contains tile `t`. */
export function parentTile(t: TileKey, levelsUp = 1): TileKey {
  const d = 2 ** levelsUp;
  return { level: t.level + levelsUp, col: Math.floor(t.col / d), row: Math.floor(t.row / d) };
}

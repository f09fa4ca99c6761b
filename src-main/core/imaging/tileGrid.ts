// Pure geometry of the tile pyramid (the decided layout): level L is ceil(w/2^L) × ceil(h/2^L),
// cut into tileSize² tiles whose edge tiles hold exactly the remaining pixels; levels go down
// until both sides fit one tile.

export const TILE_SIZE = 512;

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function levelCount(width: number, height: number, tileSize = TILE_SIZE): number {
  let levels = 1;
  while (Math.ceil(Math.max(width, height) / 2 ** (levels - 1)) > tileSize) levels++;
  return levels;
}

export function levelSize(width: number, height: number, level: number): [number, number] {
  const f = 2 ** level;
  return [Math.ceil(width / f), Math.ceil(height / f)];
}

/** Sizes of every level, finest first (ImageSummary.levelSizes). */
export function levelSizes(width: number, height: number, tileSize = TILE_SIZE): [number, number][] {
  const n = levelCount(width, height, tileSize);
  return Array.from({ length: n }, (_, level) => levelSize(width, height, level));
}

export function tileCountAt(width: number, height: number, level: number, tileSize = TILE_SIZE): { cols: number; rows: number } {
  const [w, h] = levelSize(width, height, level);
  return { cols: Math.ceil(w / tileSize), rows: Math.ceil(h / tileSize) };
}

/** Total number of tiles over all levels. */
export function totalTileCount(width: number, height: number, tileSize = TILE_SIZE): number {
  let total = 0;
  for (let level = 0; level < levelCount(width, height, tileSize); level++) {
    const { cols, rows } = tileCountAt(width, height, level, tileSize);
    total += cols * rows;
  }
  return total;
}

/** The pixels tile (col,row) of `level` covers, in that level's coordinates; null when outside. */
export function tileRect(width: number, height: number, level: number, col: number, row: number, tileSize = TILE_SIZE): TileRect | null {
  const [w, h] = levelSize(width, height, level);
  const x = col * tileSize;
  const y = row * tileSize;
  if (!Number.isInteger(col) || !Number.isInteger(row) || col < 0 || row < 0 || x >= w || y >= h) return null;
  return { x, y, width: Math.min(tileSize, w - x), height: Math.min(tileSize, h - y) };
}

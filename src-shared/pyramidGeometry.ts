// Pure geometry of the tile pyramid (the decided layout): level L is ceil(w/2^L) × ceil(h/2^L),
// cut into tileSize² tiles whose edge tiles hold exactly the remaining pixels; levels go down
// until both sides fit one tile. Main builds, stores and reads pyramids by it; the viewer asks
// for tiles by it: one definition, so both always agree on which tiles exist and their sizes.

export const TILE_SIZE = 512;

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Number of levels: halve until both sides fit one tile. A loop of exact integer arithmetic, not
 * a log2, whose rounding could disagree at exact powers of two.
 */
export function levelCount(width: number, height: number, tileSize = TILE_SIZE): number {
  let levels = 1;
  while (Math.ceil(Math.max(width, height) / 2 ** (levels - 1)) > tileSize) levels++;
  return levels;
}

export function levelSize(width: number, height: number, level: number): [number, number] {
  const f = 2 ** level;
  return [Math.ceil(width / f), Math.ceil(height / f)];
}

/** Sizes of the first `levels` levels, finest first (a stored pyramid's level count). */
export function levelSizesOf(width: number, height: number, levels: number): [number, number][] {
  return Array.from({ length: levels }, (_, level) => levelSize(width, height, level));
}

/** Sizes of every level, finest first (ImageSummary.levelSizes). */
export function levelSizes(width: number, height: number, tileSize = TILE_SIZE): [number, number][] {
  return levelSizesOf(width, height, levelCount(width, height, tileSize));
}

/** Columns and rows of tiles over a level of `levelWidth × levelHeight` pixels. */
export function tileCountIn(levelWidth: number, levelHeight: number, tileSize = TILE_SIZE): { cols: number; rows: number } {
  return { cols: Math.ceil(levelWidth / tileSize), rows: Math.ceil(levelHeight / tileSize) };
}

export function tileCountAt(width: number, height: number, level: number, tileSize = TILE_SIZE): { cols: number; rows: number } {
  const [w, h] = levelSize(width, height, level);
  return tileCountIn(w, h, tileSize);
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

/** Size of tile (col,row) in its level's pixels: tileSize, or the remainder at the right/bottom edge. */
export function tileSizeIn(levelWidth: number, levelHeight: number, col: number, row: number, tileSize = TILE_SIZE): [number, number] {
  return [Math.min(tileSize, levelWidth - col * tileSize), Math.min(tileSize, levelHeight - row * tileSize)];
}

/** The pixels tile (col,row) of `level` covers, in that level's coordinates; null when outside. */
export function tileRect(width: number, height: number, level: number, col: number, row: number, tileSize = TILE_SIZE): TileRect | null {
  const [w, h] = levelSize(width, height, level);
  const x = col * tileSize;
  const y = row * tileSize;
  if (!Number.isInteger(col) || !Number.isInteger(row) || col < 0 || row < 0 || x >= w || y >= h) return null;
  const [tw, th] = tileSizeIn(w, h, col, row, tileSize);
  return { x, y, width: tw, height: th };
}

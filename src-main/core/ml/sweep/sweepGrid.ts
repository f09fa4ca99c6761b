// The crops a sweep visits: squares of the model's input size laid with a stride over level 0
// (non-overlapping when stride = size). The last crop of a row or column is shifted back to
// end at the image border, so every pixel is seen and no crop is padded unless the image
// itself is smaller than one crop.

export interface SweepGrid {
  cropSize: number;
  stride: number;
  /** Left edges of the columns, level-0 pixels. */
  xs: number[];
  /** Top edges of the rows. */
  ys: number[];
}

export interface GridCrop {
  col: number;
  row: number;
  x: number;
  y: number;
  /** The part of the crop inside the image (less than cropSize only for a tiny image). */
  width: number;
  height: number;
}

export function axisOrigins(length: number, size: number, stride: number): number[] {
  if (!(size > 0 && stride > 0)) throw new RangeError('crop size and stride must be positive');
  if (length <= size) return [0];
  const origins: number[] = [];
  for (let o = 0; o + size < length; o += stride) origins.push(o);
  const last = length - size;
  if (origins.at(-1) !== last) origins.push(last);
  return origins;
}

export function sweepGrid(width: number, height: number, cropSize: number, stride: number): SweepGrid {
  return { cropSize, stride, xs: axisOrigins(width, cropSize, stride), ys: axisOrigins(height, cropSize, stride) };
}

/** Every crop in row-major order (row by row, left to right). */
export function gridCrops(grid: SweepGrid, width: number, height: number): GridCrop[] {
  const crops: GridCrop[] = [];
  grid.ys.forEach((y, row) =>
    grid.xs.forEach((x, col) =>
      crops.push({ col, row, x, y, width: Math.min(grid.cropSize, width - x), height: Math.min(grid.cropSize, height - y) }),
    ),
  );
  return crops;
}

/** How coarse a lattice the crop lies on: the number of times both its column and row halve evenly. */
function latticeRank(c: GridCrop): number {
  let k = 0;
  while (k < 30 && (c.col | c.row) % 2 ** (k + 1) === 0) k++;
  return k;
}

/**
 * The order a sweep visits its crops: coarse lattice first (every 32nd crop of every 32nd row,
 * then the crops halfway between, and so on), row-major within a lattice. Every prefix covers
 * the whole image evenly, so the first suggestions, and the progress the expert watches, come
 * from all of it instead of from the top rows: in row-major order a sweep whose markers all lie
 * low in the image shows nothing for most of its run.
 */
export function spreadOrder(crops: readonly GridCrop[]): GridCrop[] {
  return crops
    .map((c) => ({ c, rank: latticeRank(c) }))
    .sort((a, b) => b.rank - a.rank || a.c.row - b.c.row || a.c.col - b.c.col)
    .map((e) => e.c);
}

// Builds every pyramid level from level-0 rows fed top to bottom, in one pass and bounded memory:
// each coarser level keeps only one tile row (tileSize rows) in a buffer; when it fills, its tiles
// are written and its 2 × 2 mean is pushed to the next level. Coarse levels therefore exist as
// soon as the last source rows are in, whether or not level 0's own tiles are written yet.
import { levelCount, levelSize } from '../../../src-shared/pyramidGeometry';
import { allocSamples, halveRows, type Samples } from './raster';

export interface PyramidSink {
  writeTile(level: number, col: number, row: number, data: Samples, width: number, height: number): Promise<void>;
  levelDone(level: number): Promise<void>;
}

interface LevelBuffer {
  level: number;
  width: number;
  height: number;
  rows: Samples; // one tile row
  filled: number; // rows filled in `rows`
  tileRow: number; // index of the tile row being filled
}

export class PyramidBuilder {
  readonly levels: number;
  private readonly buffers: LevelBuffer[] = [];
  private level0RowsIn = 0;
  /** One buffer per tile column, reused by every tile row of every level (no fresh memory per tile). */
  private readonly tileBuffers: Samples[] = [];
  /** The coarsest level's whole raster (it is one tile), kept for the thumbnail. */
  coarsest: Samples | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels: 1 | 3,
    readonly bitsPerSample: 8 | 16,
    readonly tileSize: number,
    private readonly sink: PyramidSink,
    private readonly onTiles: (count: number) => void = () => {},
  ) {
    this.levels = levelCount(width, height, tileSize);
    for (let level = 1; level < this.levels; level++) {
      const [w, h] = levelSize(width, height, level);
      this.buffers.push({ level, width: w, height: h, rows: allocSamples(bitsPerSample, w * tileSize * channels), filled: 0, tileRow: 0 });
    }
  }

  /** Writes the tiles of one tile row held in `rows` (its first row is tile row `tileRow`'s first). */
  async writeTileRow(level: number, rows: Samples, width: number, rowCount: number, tileRow: number): Promise<void> {
    const c = this.channels;
    const ts = this.tileSize;
    const cols = Math.ceil(width / ts);
    const writes: Promise<void>[] = [];
    for (let col = 0; col < cols; col++) {
      const tw = Math.min(ts, width - col * ts);
      // Each column has its own buffer: the writes of one row run concurrently, and all of them
      // have finished before the next row reuses the buffers.
      const tile = (this.tileBuffers[col] ??= allocSamples(this.bitsPerSample, ts * ts * c)).subarray(0, tw * rowCount * c);
      for (let y = 0; y < rowCount; y++) {
        const from = (y * width + col * ts) * c;
        tile.set(rows.subarray(from, from + tw * c), y * tw * c);
      }
      writes.push(this.sink.writeTile(level, col, tileRow, tile, tw, rowCount));
    }
    await Promise.all(writes);
    this.onTiles(cols);
  }

  /**
   * Feeds level-0 rows: `rowCount` rows starting at the next unfed row; must be whole tile rows
   * except at the end of the image. With `writeLevel0` false the caller writes level 0 later.
   */
  async pushLevel0(rows: Samples, rowCount: number, writeLevel0: boolean): Promise<void> {
    const ts = this.tileSize;
    const stride = this.width * this.channels;
    for (let y = 0; y < rowCount; y += ts) {
      const n = Math.min(ts, rowCount - y);
      const band = rows.subarray(y * stride, (y + n) * stride);
      const tileRow = (this.level0RowsIn + y) / ts;
      if (writeLevel0) await this.writeTileRow(0, band, this.width, n, tileRow);
      await this.pushReduced(0, band, this.width, n);
    }
    this.level0RowsIn += rowCount;
    if (this.levels === 1 && this.level0RowsIn >= this.height) this.coarsest = rows.slice(0, this.width * this.height * this.channels);
  }

  /** Reduces `rowCount` rows of `level` into the buffer of level + 1, flushing it when full. */
  private async pushReduced(level: number, rows: Samples, width: number, rowCount: number): Promise<void> {
    const next = this.buffers[level];
    if (!next) return;
    const c = this.channels;
    const reducedRows = Math.ceil(rowCount / 2);
    halveRows(rows, width, rowCount, c, next.rows.subarray(next.filled * next.width * c));
    next.filled += reducedRows;
    const rowsLeft = next.height - next.tileRow * this.tileSize;
    if (next.filled === this.tileSize || next.filled >= rowsLeft) await this.flush(next);
  }

  private async flush(buf: LevelBuffer): Promise<void> {
    await this.writeTileRow(buf.level, buf.rows, buf.width, buf.filled, buf.tileRow);
    const last = (buf.tileRow + 1) * this.tileSize >= buf.height;
    if (buf.level === this.levels - 1) this.coarsest = buf.rows.slice(0, buf.width * buf.filled * this.channels);
    await this.pushReduced(buf.level, buf.rows, buf.width, buf.filled);
    buf.filled = 0;
    buf.tileRow++;
    if (last) await this.sink.levelDone(buf.level);
  }
}

// Splits a tile batch's byte stream (records: uint32 status, uint32 length, bytes; see
// src-shared/tileBatch.ts) into tiles, whatever the chunk boundaries the network chose.
import { TILE_FOUND, TILE_RECORD_HEADER_BYTES } from '../../src-shared/tileBatch';

/** Larger than any tile (512² × 3 channels × 2 bytes): a length above it means a broken stream. */
const MAX_TILE_BYTES = 8 * 1024 * 1024;

export class TileRecordReader {
  private readonly header = new Uint8Array(TILE_RECORD_HEADER_BYTES);
  private headerFilled = 0;
  private body: Uint8Array | null = null;
  private bodyFilled = 0;
  private found = false;

  /** The tiles completed by this chunk, in order: their bytes, or null for "no such tile". */
  push(chunk: Uint8Array): (ArrayBuffer | null)[] {
    const out: (ArrayBuffer | null)[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.body === null) {
        const n = Math.min(TILE_RECORD_HEADER_BYTES - this.headerFilled, chunk.length - at);
        this.header.set(chunk.subarray(at, at + n), this.headerFilled);
        this.headerFilled += n;
        at += n;
        if (this.headerFilled < TILE_RECORD_HEADER_BYTES) break;
        const view = new DataView(this.header.buffer);
        this.found = view.getUint32(0, true) === TILE_FOUND;
        const length = view.getUint32(4, true);
        if (length > MAX_TILE_BYTES) throw new Error(`tile batch record of ${length} bytes: the stream is corrupt`);
        this.body = new Uint8Array(length);
        this.bodyFilled = 0;
      }
      const n = Math.min(this.body.length - this.bodyFilled, chunk.length - at);
      this.body.set(chunk.subarray(at, at + n), this.bodyFilled);
      this.bodyFilled += n;
      at += n;
      if (this.bodyFilled === this.body.length) {
        out.push(this.found ? (this.body.buffer as ArrayBuffer) : null);
        this.body = null;
        this.headerFilled = 0;
      }
    }
    return out;
  }
}

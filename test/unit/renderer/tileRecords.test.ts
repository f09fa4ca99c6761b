import { describe, expect, it } from 'vitest';
import { TileRecordReader } from '../../../src-renderer/api/tileRecords';

function record(status: number, bytes: number[]): number[] {
  const header = new DataView(new ArrayBuffer(8));
  header.setUint32(0, status, true);
  header.setUint32(4, bytes.length, true);
  return [...new Uint8Array(header.buffer), ...bytes];
}

const stream = [...record(0, [1, 2, 3]), ...record(1, []), ...record(0, [9]), ...record(0, [])];
const asArrays = (tiles: (ArrayBuffer | null)[]): (number[] | null)[] => tiles.map((b) => b && [...new Uint8Array(b)]);

describe('TileRecordReader', () => {
  it('reads the same tiles whatever the chunk boundaries', () => {
    for (let size = 1; size <= stream.length; size++) {
      const reader = new TileRecordReader();
      const tiles: (ArrayBuffer | null)[] = [];
      for (let at = 0; at < stream.length; at += size) tiles.push(...reader.push(Uint8Array.from(stream.slice(at, at + size))));
      expect(asArrays(tiles), `chunks of ${size}`).toEqual([[1, 2, 3], null, [9], []]);
    }
  });

  it('gives each tile its own buffer (safe to hand to a texture)', () => {
    const tiles = new TileRecordReader().push(Uint8Array.from(stream));
    expect(tiles[0]!.byteLength).toBe(3);
    expect(tiles[0]).not.toBe(tiles[2]);
  });

  it('refuses a record longer than any tile', () => {
    const header = new DataView(new ArrayBuffer(8));
    header.setUint32(4, 0xffffffff, true);
    expect(() => new TileRecordReader().push(new Uint8Array(header.buffer))).toThrow(/corrupt/);
  });
});

// Decoding a page in bands (strips cut out of the file, uncompressed rows read directly, two bands
// decoding at once) gives exactly the samples of one libvips pass over the whole page.
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { readBands } from '../../../src-main/core/imaging/bandReader';
import { canCutStrips, canReadRowsDirectly } from '../../../src-main/core/imaging/stripBands';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { pattern16, pattern8 } from '../../generators/tiff/tiffVariants';
import { writeTestTiff, type TestPage } from '../../generators/tiff/tiffWriter';
import { maxAbsDiff, tempDir } from './importTestKit';

const tmp = tempDir('micra-bands-');
afterAll(() => tmp.cleanup());

const [W, H] = [613, 1500];

async function bandsOf(file: string, bandRows: number): Promise<number[]> {
  const probe = await probeTiff(file);
  const out: number[] = [];
  let expectedTop = 0;
  for await (const band of readBands(probe, bandRows, null)) {
    expect(band.top).toBe(expectedTop);
    expectedTop += band.rows;
    for (const v of band.samples) out.push(v);
  }
  expect(expectedTop).toBe(H);
  return out;
}

const cases: [string, TestPage, boolean, boolean][] = [
  ['16-bit big-endian, uncompressed, 7 rows per strip', { width: W, height: H, channels: 1, bits: 16, samples: pattern16(W, H, 1), rowsPerStrip: 7 }, false, true],
  ['8-bit RGB, uncompressed, 100 rows per strip', { width: W, height: H, channels: 3, bits: 8, samples: pattern8(W, H, 3), rowsPerStrip: 100 }, true, true],
  ['16-bit big-endian, LZW + predictor, 100 rows per strip', { width: W, height: H, channels: 1, bits: 16, samples: pattern16(W, H, 1), rowsPerStrip: 100, compression: 'lzw', predictor: 2 }, false, false],
  ['8-bit, Deflate, 3 rows per strip', { width: W, height: H, channels: 1, bits: 8, samples: pattern8(W, H, 1), rowsPerStrip: 3, compression: 'deflate' }, true, false],
];

describe('band decoding', () => {
  cases.forEach(([name, page, littleEndian, direct], i) => {
    it(name, async () => {
      const file = path.join(tmp.dir, `case-${i}.tif`);
      writeTestTiff(file, [page], { littleEndian });
      const probe = await probeTiff(file);
      expect(canCutStrips(probe)).toBe(true);
      expect(canReadRowsDirectly(probe)).toBe(direct);
      const sixteen = page.bits === 16;
      const whole = await sharp(file)
        .toColourspace(page.channels === 3 ? (sixteen ? 'rgb16' : 'srgb') : sixteen ? 'grey16' : 'b-w')
        .raw({ depth: sixteen ? 'ushort' : 'uchar' })
        .toBuffer();
      const reference = sixteen ? new Uint16Array(whole.buffer, whole.byteOffset, whole.length / 2) : whole;
      expect(maxAbsDiff(reference, page.samples as ArrayLike<number>)).toBe(0);
      // Bands of 512 rows start inside strips (7 and 100 do not divide 512); 1500 rows end in a partial band.
      expect(maxAbsDiff(await bandsOf(file, 512), reference)).toBe(0);
    });
  });
});

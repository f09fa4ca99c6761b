import { describe, expect, it } from 'vitest';
import { cursorReadout, formatSamples } from '../../../src-renderer/viewer/cursorReadout';
import { samplesAt } from '../../../src-renderer/viewer/tilePixels';

describe('cursor readout', () => {
  it('says the pixel, its centre in µm when calibrated, and nothing physical otherwise', () => {
    expect(cursorReadout(100.7, 50.2, 500)).toEqual({ pixel: 'x 100, y 50', physical: 'x 50.25 µm, y 25.25 µm' });
    expect(cursorReadout(3.2, 4.9, null)).toEqual({ pixel: 'x 3, y 4', physical: null });
  });

  it('reads the stored samples of 8-bit, 16-bit (little-endian) and RGB tiles', () => {
    const gray8 = Uint8Array.from({ length: 6 }, (_, i) => i * 10).buffer;
    expect(samplesAt(gray8, { width: 3, height: 2, bitsPerSample: 8, channels: 1 }, 2, 1)).toEqual([50]);
    const gray16 = new ArrayBuffer(8);
    new DataView(gray16).setUint16(6, 54321, true);
    expect(samplesAt(gray16, { width: 2, height: 2, bitsPerSample: 16, channels: 1 }, 1, 1)).toEqual([54321]);
    const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6]).buffer;
    expect(formatSamples(samplesAt(rgb, { width: 2, height: 1, bitsPerSample: 8, channels: 3 }, 1, 0))).toBe('RGB 4 5 6');
    expect(samplesAt(gray8, { width: 3, height: 2, bitsPerSample: 8, channels: 1 }, 3, 0)).toBeNull();
    expect(samplesAt(gray8, { width: 4, height: 2, bitsPerSample: 8, channels: 1 }, 0, 0)).toBeNull();
  });
});

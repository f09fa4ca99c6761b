import { describe, expect, it } from 'vitest';
import { pixelSizeFromImageJ, pixelSizeFromOme, pixelSizeFromResolution, pixelSizeFromSem, resolvePixelSize } from '../../../src-main/core/imaging/pixelSize';

describe('pixel size', () => {
  it('reads OME-XML PhysicalSizeX with its unit (µm by default)', () => {
    expect(pixelSizeFromOme('<OME><Image><Pixels PhysicalSizeX="0.25" PhysicalSizeXUnit="µm" SizeX="4"/></Image></OME>')).toBeCloseTo(250);
    expect(pixelSizeFromOme('<OME><Image><Pixels PhysicalSizeX="0.5"/></Image></OME>')).toBeCloseTo(500);
    expect(pixelSizeFromOme('<OME><Image><Pixels SizeX="4"/></Image></OME>')).toBeNull();
  });
  it('reads ImageJ unit= with 1/XResolution', () => {
    expect(pixelSizeFromImageJ('ImageJ=1.54\nunit=micron\n', 100)).toBeCloseTo(10);
    expect(pixelSizeFromImageJ('ImageJ=1.54\nunit=nm\n', 0.5)).toBeCloseTo(2);
    expect(pixelSizeFromImageJ('ImageJ=1.54\nunit=pixel\n', 1)).toBeNull();
  });
  it('reads FEI and Zeiss SEM tags', () => {
    expect(pixelSizeFromSem(null, '[Scan]\nPixelWidth=2.5e-09\n')).toBeCloseTo(2.5);
    expect(pixelSizeFromSem('AP_PIXEL_SIZE\nImage Pixel Size = 7.4 nm\n', null)).toBeCloseTo(7.4);
  });
  it('reads resolution tags, ignoring screen defaults', () => {
    expect(pixelSizeFromResolution(10_000, 3)).toBeCloseTo(1000);
    expect(pixelSizeFromResolution(254_000, 2)).toBeCloseTo(100);
    expect(pixelSizeFromResolution(72, 2)).toBeNull();
    expect(pixelSizeFromResolution(5, 1)).toBeNull();
  });
  it('prefers OME over resolution tags', () => {
    const r = resolvePixelSize({ description: '<OME><Pixels PhysicalSizeX="3" PhysicalSizeXUnit="nm"/></OME>', xResolution: 10_000, resolutionUnit: 3, zeissSem: null, feiSem: null });
    expect(r).toEqual({ nm: 3, source: 'ome' });
  });
});

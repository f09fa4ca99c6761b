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
  it("reads tifffile's millimetre (4) and micrometre (5) resolution units", () => {
    expect(pixelSizeFromResolution(1 / 0.0042, 5)).toBeCloseTo(4.2, 9); // 0.0042 µm per pixel
    expect(pixelSizeFromResolution(250, 5)).toBeCloseTo(4, 9); // 250 px/µm
    expect(pixelSizeFromResolution(200_000, 4)).toBeCloseTo(5, 9); // 200,000 px/mm
    // Their values are physical whatever the number: no screen-dpi default applies to them.
    expect(pixelSizeFromResolution(72, 5)).toBeCloseTo(1e3 / 72, 9);
    expect(resolvePixelSize({ description: null, xResolution: 100, resolutionUnit: 5, zeissSem: null, feiSem: null })).toEqual({ nm: 10, source: 'resolution' });
  });
  it('gives no pixel size for units outside the specification and its extensions, or for absurd resolutions', () => {
    for (const unit of [0, 6, 7, 65535]) expect(pixelSizeFromResolution(1000, unit)).toBeNull();
    expect(pixelSizeFromResolution(0, 5)).toBeNull();
    expect(pixelSizeFromResolution(-3, 5)).toBeNull();
    expect(pixelSizeFromResolution(Number.NaN, 3)).toBeNull();
    expect(pixelSizeFromResolution(Infinity, 5)).toBeNull();
  });
  it('prefers OME over resolution tags', () => {
    const r = resolvePixelSize({ description: '<OME><Pixels PhysicalSizeX="3" PhysicalSizeXUnit="nm"/></OME>', xResolution: 10_000, resolutionUnit: 3, zeissSem: null, feiSem: null });
    expect(r).toEqual({ nm: 3, source: 'ome' });
  });
});

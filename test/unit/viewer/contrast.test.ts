import { describe, expect, it } from 'vitest';
import { autoWindow, defaultDisplay, displayValue, shaderWindow } from '../../../src-renderer/viewer/contrast';
import { scaleBarFor } from '../../../src-renderer/viewer/scaleBar';

describe('contrast', () => {
  it('identity settings map every 8-bit value to itself', () => {
    const { low, high } = shaderWindow(defaultDisplay(8), 8);
    for (let v = 0; v < 256; v++) expect(Math.round(displayValue(v / 255, low, high, 1, false) * 255)).toBe(v);
  });
  it('inverts and applies gamma', () => {
    expect(displayValue(0.25, 0, 1, 1, true)).toBeCloseTo(0.75);
    expect(displayValue(0.25, 0, 1, 2, false)).toBeCloseTo(0.5);
    expect(displayValue(0.6, 0.2, 0.4, 1, false)).toBe(1);
  });
  it('auto window clips 0.5 % at each end of the histogram', () => {
    // 8-bit: 1000 samples; 2 at 0, 996 spread over bins 50..99, 2 at 255.
    const h = new Array<number>(256).fill(0);
    h[0] = 2;
    h[255] = 2;
    for (let i = 50; i < 100; i++) h[i] = 996 / 50 | 0;
    h[50] = (h[50] as number) + (996 - (996 / 50 | 0) * 50);
    const w = autoWindow({ histogram: h, min: 0, max: 255 }, 8);
    expect(w.min).toBe(50);
    expect(w.max).toBe(99);
  });
  it('auto window on 16-bit uses bin width 256', () => {
    const h = new Array<number>(256).fill(0);
    h[10] = 500;
    h[20] = 500;
    const w = autoWindow({ histogram: h, min: 2600, max: 5300 }, 16);
    expect(w.min).toBe(2600); // bin 10 starts at 2560, clamped to the data minimum
    expect(w.max).toBe(5300); // bin 20 ends at 5375, clamped to the data maximum
  });
});

describe('scale bar', () => {
  it('picks 1/2/5 lengths in nm or µm and hides without a pixel size', () => {
    expect(scaleBarFor(null, 1)).toBeNull();
    const bar = scaleBarFor(5, 1, 120); // 600 nm target → 500 nm
    expect(bar).toEqual({ widthPx: 100, label: '500 nm' });
    const coarse = scaleBarFor(5, 0.01, 120); // 60 µm target → 50 µm
    expect(coarse?.label).toBe('50 µm');
    expect(coarse?.widthPx).toBeCloseTo(100);
  });
});

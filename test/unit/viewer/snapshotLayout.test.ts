import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../../src-renderer/viewer/coords';
import { SNAPSHOT_MAX_PIXELS, snapRect, snapshotFileName, snapshotScaleBar, snapshotSize, viewRect } from '../../../src-renderer/viewer/snapshotLayout';
import { isSnapshotKey } from '../../../src-renderer/viewer/snapshot';

describe('snapshot geometry', () => {
  it('clips a rectangle to the image and grows it to whole pixels', () => {
    expect(snapRect({ x0: -5.5, y0: 10.2, x1: 99.1, y1: 20 }, 90, 100)).toEqual({ x0: 0, y0: 10, x1: 90, y1: 20 });
    expect(snapRect({ x0: 120, y0: 0, x1: 130, y1: 10 }, 100, 100)).toBeNull();
  });

  it('takes the part of the image the view shows', () => {
    // 400 × 300 canvas at 2× centred on (100, 50): image x 0..200, y -25..125 → clipped to y 0..100.
    const vp = { center: imagePoint(100, 50), scale: 2, width: 400, height: 300, pixelRatio: 1 };
    expect(viewRect(vp, 1000, 100)).toEqual({ x0: 0, y0: 0, x1: 200, y1: 100 });
  });

  it('sizes a screen snapshot in device pixels and a full one in level-0 pixels', () => {
    const rect = { x0: 100, y0: 200, x1: 1100, y1: 700 };
    expect(snapshotSize(rect, 'screen', { scale: 0.25, pixelRatio: 2 })).toEqual({ scale: 0.5, width: 500, height: 250, capped: false });
    expect(snapshotSize(rect, 'full', { scale: 0.25, pixelRatio: 2 })).toEqual({ scale: 1, width: 1000, height: 500, capped: false });
  });

  it('scales a full-resolution snapshot down to the caps, and says so', () => {
    const long = snapshotSize({ x0: 0, y0: 0, x1: 20000, y1: 100 }, 'full', { scale: 0.1, pixelRatio: 1 });
    expect(long.capped).toBe(true);
    expect(long.width).toBe(8192);
    const big = snapshotSize({ x0: 0, y0: 0, x1: 8000, y1: 8000 }, 'full', { scale: 0.1, pixelRatio: 1 });
    expect(big.capped).toBe(true);
    expect(big.width * big.height).toBeLessThanOrEqual(SNAPSHOT_MAX_PIXELS);
    expect(big.width).toBeGreaterThan(6000);
  });

  it('places a scale bar whose length in pixels is its label at the output scale', () => {
    // 5 nm per image pixel at 1 px per image pixel: 1000 px wide → target 200 px = 1000 nm → "1 µm".
    const l = snapshotScaleBar(1000, 600, 5, 1)!;
    expect(l.bar.label).toBe('1 µm');
    expect(l.barRect.width).toBe(200);
    // Inside the picture, at the bottom left, on its panel.
    expect(l.panel.x).toBeGreaterThan(0);
    expect(l.panel.y + l.panel.height).toBeLessThan(600);
    expect(l.barRect.x).toBeGreaterThan(l.panel.x);
    expect(l.barRect.y + l.barRect.height).toBeLessThan(l.panel.y + l.panel.height);
    // Twice the output scale: the same label is twice as long.
    expect(snapshotScaleBar(1000, 600, 5, 2)!.bar.label).toBe('500 nm');
  });

  it('has no scale bar without a pixel size, or on a picture too small for it', () => {
    expect(snapshotScaleBar(1000, 600, null, 1)).toBeNull();
    expect(snapshotScaleBar(30, 10, 5, 1)).toBeNull();
  });

  it('names the file after the image and the region', () => {
    expect(snapshotFileName('section a.tif', { x0: 10, y0: 20, x1: 110, y1: 70 }, 'full')).toBe('section_a_x10_y20_100x50_full.png');
    expect(snapshotFileName('b.tiff', { x0: 0, y0: 0, x1: 5, y1: 5 }, 'screen')).toBe('b_x0_y0_5x5.png');
  });

  it('takes C alone, outside text fields, as the snapshot key', () => {
    const key = (k: string, o: { tagName?: string; ctrlKey?: boolean } = {}) => ({
      key: k,
      target: o.tagName ? ({ tagName: o.tagName } as unknown as EventTarget) : null,
      ctrlKey: o.ctrlKey ?? false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
    });
    expect(isSnapshotKey(key('c'))).toBe(true);
    expect(isSnapshotKey(key('c', { ctrlKey: true }))).toBe(false);
    expect(isSnapshotKey(key('c', { tagName: 'INPUT' }))).toBe(false);
    expect(isSnapshotKey(key('v'))).toBe(false);
  });
});

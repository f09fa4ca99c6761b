import { describe, expect, it } from 'vitest';
import {
  fitViewport, imagePoint, imageToScreen, panBy, screenOrigin, screenPoint, screenToImage, visibleImageRect, zoomAround,
} from '../../../src-renderer/viewer/coords';
import type { Viewport } from '../../../src-renderer/viewer/coords';

const vp: Viewport = { center: imagePoint(1000, 500), scale: 1, width: 801, height: 600, pixelRatio: 1 };

describe('viewport math', () => {
  it('snaps the image origin to whole device pixels', () => {
    // 801/2 - 1000 = -599.5 → -600: image pixel 1000 lands on screen pixel floor(801 / 2) = 400.
    expect(screenOrigin(vp)).toEqual({ x: -600, y: -200 });
    expect(screenOrigin({ ...vp, pixelRatio: 2 })).toEqual({ x: -599.5, y: -200 });
  });
  it('round-trips image ↔ screen', () => {
    const p = imagePoint(1234.5, 321.25);
    const s = imageToScreen({ ...vp, scale: 0.37 }, p);
    const back = screenToImage({ ...vp, scale: 0.37 }, s);
    expect(back.x).toBeCloseTo(p.x, 9);
    expect(back.y).toBeCloseTo(p.y, 9);
  });
  it('zooms around the cursor: the point under it stays put', () => {
    const anchor = screenPoint(100, 50);
    const before = screenToImage(vp, anchor);
    const zoomed = zoomAround(vp, anchor, 2.5, { min: 0.01, max: 32 });
    expect(zoomed.scale).toBe(2.5);
    const after = screenToImage(zoomed, anchor);
    expect(Math.abs(after.x - before.x)).toBeLessThan(1 / zoomed.scale); // within origin snapping
    expect(Math.abs(after.y - before.y)).toBeLessThan(1 / zoomed.scale);
  });
  it('clamps zoom to its limits', () => {
    expect(zoomAround(vp, screenPoint(0, 0), 1000, { min: 0.1, max: 8 }).scale).toBe(8);
    expect(zoomAround(vp, screenPoint(0, 0), 1e-6, { min: 0.1, max: 8 }).scale).toBe(0.1);
  });
  it('pans in screen pixels', () => {
    const moved = panBy({ ...vp, scale: 2 }, 100, -40);
    expect(moved.center).toEqual({ x: 950, y: 520 });
  });
  it('fits the whole image and reports the visible rectangle', () => {
    const fit = fitViewport(10240, 5120, 1024, 1024);
    expect(fit.scale).toBe(0.1);
    const r = visibleImageRect(fit);
    expect(r.x0).toBeCloseTo(0, 6);
    expect(r.x1).toBeCloseTo(10240, 6);
    expect(r.y0).toBeCloseTo(-2560, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { panBy, screenToImage, zoomAround, type Viewport } from '../../../src-renderer/viewer/coords';
import { imagePoint, screenPoint } from '../../../src-renderer/viewer/coords';
import { pinchStep } from '../../../src-renderer/viewer/pinch';

const vp: Viewport = { center: imagePoint(500, 400), scale: 1, width: 800, height: 600, pixelRatio: 1 };
const limits = { min: 0.01, max: 64 };

describe('pinchStep', () => {
  it('zooms by the ratio of finger distances around their midpoint', () => {
    const step = pinchStep(
      { a: screenPoint(300, 300), b: screenPoint(500, 300) },
      { a: screenPoint(200, 300), b: screenPoint(600, 300) },
    );
    expect(step).toEqual({ panX: 0, panY: 0, factor: 2, anchor: screenPoint(400, 300) });
  });

  it('keeps the image point under each finger under it (pan, then zoom)', () => {
    const before = { a: screenPoint(300, 250), b: screenPoint(420, 330) };
    const after = { a: screenPoint(280, 200), b: screenPoint(520, 360) };
    const grabbedA = screenToImage(vp, before.a);
    const grabbedB = screenToImage(vp, before.b);
    const step = pinchStep(before, after);
    const next = zoomAround(panBy(vp, step.panX, step.panY), step.anchor, step.factor, limits);
    const nowA = screenToImage(next, after.a);
    const nowB = screenToImage(next, after.b);
    // Uniform zoom keeps distances only up to the fingers' rotation: the midpoint is exact.
    expect((nowA.x + nowB.x) / 2).toBeCloseTo((grabbedA.x + grabbedB.x) / 2, 0);
    expect((nowA.y + nowB.y) / 2).toBeCloseTo((grabbedA.y + grabbedB.y) / 2, 0);
    expect(Math.hypot(nowA.x - nowB.x, nowA.y - nowB.y)).toBeCloseTo(Math.hypot(grabbedA.x - grabbedB.x, grabbedA.y - grabbedB.y), 0);
  });

  it('pans only when the fingers touch the same spot', () => {
    const step = pinchStep({ a: screenPoint(10, 10), b: screenPoint(10, 10) }, { a: screenPoint(20, 15), b: screenPoint(20, 15) });
    expect(step.factor).toBe(1);
    expect([step.panX, step.panY]).toEqual([10, 5]);
  });
});

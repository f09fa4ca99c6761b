import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../src-renderer/viewer/annotationShapes';
import { annotationOverlay, boxFromDrag, cornerAt, hitTest, parseHexColor, pixelAt, translateGeometry } from '../../../src-renderer/viewer/annotationShapes';
import { imagePoint } from '../../../src-renderer/viewer/coords';

const ann = (id: number, geometry: Annotation['geometry']): Annotation => ({ id, imageId: 1, classId: 1, geometry, decisionId: id, actor: 'expert', updatedAt: '' });

describe('boxFromDrag', () => {
  it('covers every pixel the drag touches, in either direction', () => {
    expect(boxFromDrag(imagePoint(100.25, 120.25), imagePoint(299.75, 259.75), 1000, 1000)).toEqual([100, 120, 200, 140]);
    expect(boxFromDrag(imagePoint(299.75, 259.75), imagePoint(100.25, 120.25), 1000, 1000)).toEqual([100, 120, 200, 140]);
    // Within one pixel: that pixel.
    expect(boxFromDrag(imagePoint(5.2, 5.2), imagePoint(5.4, 5.3), 1000, 1000)).toEqual([5, 5, 1, 1]);
  });

  it('clamps to the image and refuses a drag wholly outside it', () => {
    expect(boxFromDrag(imagePoint(-20, -5), imagePoint(10.5, 3.5), 100, 100)).toEqual([0, 0, 11, 4]);
    expect(boxFromDrag(imagePoint(90, 90), imagePoint(130, 140), 100, 100)).toEqual([90, 90, 10, 10]);
    expect(boxFromDrag(imagePoint(120, 10), imagePoint(130, 20), 100, 100)).toBeNull();
  });
});

describe('pixelAt / cornerAt', () => {
  it('maps image points to the pixel under them and to the nearest corner', () => {
    expect(pixelAt(imagePoint(3.99, 0), 10, 10)).toEqual({ x: 3, y: 0 });
    expect(pixelAt(imagePoint(10, 0), 10, 10)).toBeNull();
    expect(pixelAt(imagePoint(-0.01, 0), 10, 10)).toBeNull();
    expect(cornerAt(imagePoint(3.4, 3.6), 10, 10)).toEqual([3, 4]);
    expect(cornerAt(imagePoint(12, -3), 10, 10)).toEqual([10, 0]);
  });
});

describe('translateGeometry', () => {
  it('moves by whole pixels and stops at the image border', () => {
    expect(translateGeometry({ shape: 'box', box: [10, 10, 20, 20] }, 5.4, -3.6, 100, 100)).toEqual({ shape: 'box', box: [15, 6, 20, 20] });
    expect(translateGeometry({ shape: 'box', box: [10, 10, 20, 20] }, 500, -500, 100, 100)).toEqual({ shape: 'box', box: [80, 0, 20, 20] });
    expect(translateGeometry({ shape: 'point', x: 98, y: 1 }, 10, 0, 100, 100)).toEqual({ shape: 'point', x: 99, y: 1 });
    expect(translateGeometry({ shape: 'polygon', points: [[0, 0], [10, 0], [5, 8]] }, 2, 3, 100, 100)).toEqual({
      shape: 'polygon',
      points: [[2, 3], [12, 3], [7, 11]],
    });
  });
});

describe('hitTest', () => {
  const list = [
    ann(1, { shape: 'box', box: [0, 0, 100, 100] }),
    ann(2, { shape: 'polygon', points: [[200, 200], [300, 200], [200, 300]] }),
    ann(3, { shape: 'point', x: 50, y: 50 }),
  ];
  it('finds the topmost (newest) shape under the point', () => {
    expect(hitTest(list, imagePoint(50.5, 50.5), 2)?.id).toBe(3);
    expect(hitTest(list, imagePoint(10, 10), 2)?.id).toBe(1);
    expect(hitTest(list, imagePoint(210, 210), 2)?.id).toBe(2);
  });
  it('misses outside polygons (inside their bounds) and outside the tolerance', () => {
    expect(hitTest(list, imagePoint(290, 290), 2)).toBeNull();
    expect(hitTest(list, imagePoint(103, 50), 2)).toBeNull();
    expect(hitTest(list, imagePoint(101.5, 50), 2)?.id).toBe(1);
  });
});

describe('annotationOverlay', () => {
  it('draws each shape on its layer in image coordinates, the selection highlighted', () => {
    const shapes = annotationOverlay(
      [ann(1, { shape: 'box', box: [100, 120, 200, 140] }), ann(2, { shape: 'point', x: 4, y: 5 }), ann(3, { shape: 'polygon', points: [[0, 0], [4, 0], [0, 4]] })],
      2,
      () => 0x123456,
    );
    expect(shapes.boxes).toEqual([{ id: '1', status: 'manual', color: 0x123456, rect: { x0: 100, y0: 120, x1: 300, y1: 260 } }]);
    expect(shapes.points).toEqual([{ id: '2', status: 'selected', x: 4, y: 5 }]);
    expect(shapes.polygons[0]?.points).toEqual([[0, 0], [4, 0], [0, 4]]);
  });
});

describe('parseHexColor', () => {
  it('reads CSS hex colours and refuses the rest', () => {
    expect(parseHexColor('#38bdf8')).toBe(0x38bdf8);
    expect(parseHexColor('FF0000')).toBe(0xff0000);
    expect(parseHexColor('red')).toBeNull();
    expect(parseHexColor('#fff')).toBeNull();
  });
});

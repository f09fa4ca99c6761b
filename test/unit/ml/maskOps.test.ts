import { describe, expect, it } from 'vitest';
import type { BinaryMask } from '../../../src-main/core/ml/explain/scalarMap';
import { labelComponents } from '../../../src-main/core/ml/postprocess/connectedComponents';
import { fillSmallHoles } from '../../../src-main/core/ml/postprocess/fillHoles';
import { extractObjects } from '../../../src-main/core/ml/postprocess/extractObjects';

function mask(rows: string[]): BinaryMask {
  const height = rows.length;
  const width = (rows[0] as string).length;
  const data = new Uint8Array(width * height);
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * width + x] = c === '#' ? 1 : 0)));
  return { data, width, height };
}

function render(m: BinaryMask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.height; y++) rows.push([...m.data.subarray(y * m.width, (y + 1) * m.width)].map((v) => (v ? '#' : '.')).join(''));
  return rows;
}

describe('labelComponents', () => {
  const diagonal = mask(['#..', '.#.', '..#']);
  it('joins diagonal neighbours with 8-connectivity only', () => {
    expect(labelComponents(diagonal, 8).count).toBe(1);
    const four = labelComponents(diagonal, 4);
    expect(four.count).toBe(3);
    expect(Array.from(four.sizes.slice(1))).toEqual([1, 1, 1]);
  });
  it('labels background components when asked', () => {
    const bg = labelComponents(diagonal, 4, 0);
    expect(bg.count).toBe(2);
    expect(Array.from(bg.sizes.slice(1))).toEqual([3, 3]);
  });
});

describe('fillSmallHoles', () => {
  it('fills background components smaller than the limit, 4-connected, border ones included', () => {
    const m = mask(['#####...', '#..##...', '#####.#.', '.####...']);
    // Holes: the 2-px one inside (filled), the 1-px one at the bottom-left corner (filled),
    // the 11-px region on the right (kept at limit 11, since it is not smaller).
    expect(render(fillSmallHoles(m, 11))).toEqual(['#####...', '#####...', '#####.#.', '#####...']);
    expect(render(fillSmallHoles(m, 12))).toEqual(['########', '########', '########', '########']);
    expect(render(fillSmallHoles(m, 1))).toEqual(render(m));
  });
});

describe('extractObjects', () => {
  it('gives box, area, centroid and mean score of each 8-connected region', () => {
    const m = mask(['##....', '.#..#.', '....##', '....#.']);
    const score = { data: new Float32Array(24).map((_, i) => i), width: 6, height: 4 };
    const objects = extractObjects(m, score);
    expect(objects).toHaveLength(2);
    expect(objects[0]).toEqual({ box: [0, 0, 2, 2], area: 3, centroid: [2 / 3, 1 / 3], meanScore: (0 + 1 + 7) / 3 });
    expect(objects[1]).toEqual({ box: [4, 1, 2, 3], area: 4, centroid: [(4 + 4 + 5 + 4) / 4, (1 + 2 + 2 + 3) / 4], meanScore: (10 + 16 + 17 + 22) / 4 });
  });
  it('rejects a score map of another size', () => {
    expect(() => extractObjects(mask(['#']), { data: new Float32Array(2), width: 2, height: 1 })).toThrow(/differ/);
  });
});

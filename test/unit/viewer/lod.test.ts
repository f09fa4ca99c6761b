import { describe, expect, it } from 'vitest';
import { selectLevel } from '../../../src-renderer/viewer/lod';

describe('selectLevel', () => {
  it('uses level 0 at 1:1 and when magnified', () => {
    expect(selectLevel(1, 6)).toBe(0);
    expect(selectLevel(4, 6)).toBe(0);
  });
  it('picks the finest level not coarser than the screen pixel', () => {
    expect(selectLevel(0.75, 6)).toBe(0); // screen px = 1.33 image px: level 1 (2 px) would be coarser
    expect(selectLevel(0.5, 6)).toBe(1); // exact power of two
    expect(selectLevel(0.3, 6)).toBe(1);
    expect(selectLevel(0.25, 6)).toBe(2);
    expect(selectLevel(1 / 40, 6)).toBe(5);
  });
  it('clamps to the coarsest level that exists', () => {
    expect(selectLevel(1 / 1000, 3)).toBe(2);
    expect(selectLevel(0.01, 1)).toBe(0);
  });
});

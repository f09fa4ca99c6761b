import { describe, expect, it } from 'vitest';
import { frameForArrival, progressiveDelay, PROGRESSIVE_FRAME_MS } from '../../../src-renderer/viewer/arrivalFrames';
import type { ImageRect } from '../../../src-renderer/viewer/coords';

const view: ImageRect = { x0: 1000, y0: 1000, x1: 1800, y1: 1800 };
const rect = (x0: number, y0: number, size: number): ImageRect => ({ x0, y0, x1: x0 + size, y1: y0 + size });

describe('frameForArrival', () => {
  it('draws at once when the last visible tile of the view level arrives', () => {
    expect(frameForArrival({ level: 1, col: 1, row: 1 }, { level: 1, view, tileRect: rect(1024, 1024, 1024), stillMissing: 0 })).toBe('now');
  });

  it('groups the arrivals before the last one', () => {
    expect(frameForArrival({ level: 1, col: 1, row: 1 }, { level: 1, view, tileRect: rect(1024, 1024, 1024), stillMissing: 3 })).toBe('soon');
  });

  it('draws nothing for prefetch: a finer level, or a tile off the screen', () => {
    expect(frameForArrival({ level: 0, col: 2, row: 2 }, { level: 1, view, tileRect: rect(1024, 1024, 512), stillMissing: 3 })).toBe('none');
    expect(frameForArrival({ level: 1, col: 3, row: 1 }, { level: 1, view, tileRect: rect(3072, 1024, 1024), stillMissing: 3 })).toBe('none');
    // Touching the view's edge is not overlapping it.
    expect(frameForArrival({ level: 1, col: 0, row: 1 }, { level: 1, view, tileRect: rect(0, 1000, 1000), stillMissing: 1 })).toBe('none');
  });

  it('draws a coarser tile only while it stands in for a missing one', () => {
    expect(frameForArrival({ level: 3, col: 0, row: 0 }, { level: 1, view, tileRect: rect(0, 0, 4096), stillMissing: 2 })).toBe('soon');
    expect(frameForArrival({ level: 3, col: 0, row: 0 }, { level: 1, view, tileRect: rect(0, 0, 4096), stillMissing: 0 })).toBe('none');
  });
});

describe('progressiveDelay', () => {
  it('waits out the interval since the last frame, never less than nothing', () => {
    expect(progressiveDelay(1000, 1040)).toBe(PROGRESSIVE_FRAME_MS - 40);
    expect(progressiveDelay(1000, 1000 + PROGRESSIVE_FRAME_MS + 5)).toBe(0);
    expect(progressiveDelay(-Infinity, 5)).toBe(0);
    expect(progressiveDelay(0, 10, 50)).toBe(40);
  });
});

// The labelling keyboard and the tile cache behind the grid.
import { describe, expect, it } from 'vitest';
import { cycledClass, labelActionFor, LABEL_KEY_LEGEND, movedFocus } from '../../../src-renderer/training/labelKeys';
import { TileBodyCache } from '../../../src-renderer/training/tileBodyCache';

describe('label keys', () => {
  it('maps one key to each decision', () => {
    expect(labelActionFor({ key: 'y' })).toEqual({ type: 'label', value: 'present' });
    expect(labelActionFor({ key: '1' })).toEqual({ type: 'label', value: 'present' });
    expect(labelActionFor({ key: 'N' })).toEqual({ type: 'label', value: 'absent' });
    expect(labelActionFor({ key: '0' })).toEqual({ type: 'label', value: 'absent' });
    expect(labelActionFor({ key: 's' })).toEqual({ type: 'label', value: 'skip' });
    expect(labelActionFor({ key: 'z' })).toEqual({ type: 'undo' });
    expect(labelActionFor({ key: 'Backspace' })).toEqual({ type: 'undo' });
    expect(labelActionFor({ key: 'z', ctrlKey: true })).toEqual({ type: 'undo' });
  });

  it('moves, switches class and pages; leaves browser shortcuts alone', () => {
    expect(labelActionFor({ key: 'ArrowDown' })).toEqual({ type: 'move', dx: 0, dy: 1 });
    expect(labelActionFor({ key: 'Tab' })).toEqual({ type: 'class', delta: 1 });
    expect(labelActionFor({ key: 'Tab', shiftKey: true })).toEqual({ type: 'class', delta: -1 });
    expect(labelActionFor({ key: 'PageDown' })).toEqual({ type: 'page', delta: 1 });
    expect(labelActionFor({ key: 'y', ctrlKey: true })).toBeNull();
    expect(labelActionFor({ key: 'n', altKey: true })).toBeNull();
    expect(labelActionFor({ key: 'q' })).toBeNull();
  });

  it('lists every decision key in the on-screen legend', () => {
    const shown = LABEL_KEY_LEGEND.flatMap((e) => e.keys);
    for (const k of ['Y', '1', 'N', '0', 'S', 'Z', 'Tab']) expect(shown).toContain(k);
  });

  it('moves focus inside the page and reports leaving it', () => {
    // 4 columns, 10 cells: rows [0..3] [4..7] [8, 9].
    expect(movedFocus(3, 1, 0, 4, 10)).toBe(4);
    expect(movedFocus(1, 0, 1, 4, 10)).toBe(5);
    expect(movedFocus(7, 0, 1, 4, 10)).toBeNull();
    expect(movedFocus(0, -1, 0, 4, 10)).toBeNull();
    expect(movedFocus(9, 1, 0, 4, 10)).toBeNull();
  });

  it('cycles classes both ways', () => {
    expect(cycledClass(2, 1, 3)).toBe(0);
    expect(cycledClass(0, -1, 3)).toBe(2);
    expect(cycledClass(0, 1, 0)).toBe(0);
  });
});

describe('tile body cache', () => {
  it('fetches a tile once for concurrent and later requests, and evicts the least recently used', async () => {
    const calls: string[] = [];
    const cache = new TileBodyCache(async (imageId, key) => {
      calls.push(`${imageId}:${key.col}`);
      await new Promise((r) => setTimeout(r, 5));
      return key.col === 9 ? null : new ArrayBuffer(100);
    }, 250);
    const a = { level: 0, col: 0, row: 0 };
    const b = { level: 0, col: 1, row: 0 };
    const c = { level: 0, col: 2, row: 0 };
    const [x, y] = await Promise.all([cache.get(1, a), cache.get(1, a)]);
    expect(x).toBe(y);
    expect(calls).toEqual(['1:0']);
    await cache.get(1, b);
    await cache.get(1, a); // a is now the most recent
    await cache.get(1, c); // 300 bytes > 250: b goes
    expect(cache.cachedBytes).toBe(200);
    await cache.get(1, a);
    await cache.get(1, b);
    expect(calls).toEqual(['1:0', '1:1', '1:2', '1:1']);
    const many = await cache.getMany(2, [a, { level: 0, col: 9, row: 0 }]);
    expect([...many.keys()]).toEqual(['0/0/0']);
  });
});

import { describe, expect, it } from 'vitest';
import { ByteBudgetLru } from '../../../src-renderer/viewer/textureCache';

class FakeTexture {
  destroyed = 0;
  destroy(): void {
    this.destroyed++;
  }
}

describe('ByteBudgetLru', () => {
  it('evicts least recently used entries past the budget and destroys them', () => {
    const lru = new ByteBudgetLru<FakeTexture>(300);
    const a = new FakeTexture();
    const b = new FakeTexture();
    const c = new FakeTexture();
    const d = new FakeTexture();
    lru.set('a', a, 100);
    lru.set('b', b, 100);
    lru.set('c', c, 100);
    expect(lru.get('a')).toBe(a); // a becomes most recent; b is now the oldest
    lru.set('d', d, 100);
    expect(lru.has('b')).toBe(false);
    expect(b.destroyed).toBe(1);
    expect([a.destroyed, c.destroyed, d.destroyed]).toEqual([0, 0, 0]);
    expect(lru.bytes).toBe(300);
    expect(lru.size).toBe(3);
  });
  it('never exceeds the budget over many insertions', () => {
    const lru = new ByteBudgetLru<FakeTexture>(1000);
    const all: FakeTexture[] = [];
    for (let i = 0; i < 500; i++) {
      const t = new FakeTexture();
      all.push(t);
      lru.set(`k${i}`, t, 64 + (i % 7) * 10);
      expect(lru.bytes).toBeLessThanOrEqual(1000);
    }
    const live = all.filter((t) => t.destroyed === 0).length;
    expect(live).toBe(lru.size);
    expect(all.every((t) => t.destroyed <= 1)).toBe(true);
  });
  it('replacing a key destroys the old value; clear destroys everything', () => {
    const lru = new ByteBudgetLru<FakeTexture>(1000);
    const old = new FakeTexture();
    const next = new FakeTexture();
    lru.set('k', old, 10);
    lru.set('k', next, 20);
    expect(old.destroyed).toBe(1);
    expect(lru.bytes).toBe(20);
    lru.clear();
    expect(next.destroyed).toBe(1);
    expect(lru.bytes).toBe(0);
  });
  it('keeps a single entry larger than the budget (it must still be drawable)', () => {
    const lru = new ByteBudgetLru<FakeTexture>(100);
    const small = new FakeTexture();
    const big = new FakeTexture();
    lru.set('small', small, 50);
    lru.set('big', big, 500);
    expect(small.destroyed).toBe(1);
    expect(lru.peek('big')).toBe(big);
  });
});

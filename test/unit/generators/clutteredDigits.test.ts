import { describe, expect, it } from 'vitest';
import { DISC_RADIUS, generateClutteredDigits, loadMnist, poolIndices } from '../../generators/digits';

const mnist = loadMnist();

describe('loadMnist', () => {
  it('reads the 10,000 test digits with the documented class counts', () => {
    expect([mnist.count, mnist.rows, mnist.cols]).toEqual([10_000, 28, 28]);
    const perClass = new Array<number>(10).fill(0);
    for (const l of mnist.labels) perClass[l] = (perClass[l] as number) + 1;
    expect(perClass).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('splits the digits into disjoint pools that cover the set', () => {
    const train = poolIndices(mnist, 'train');
    const test = poolIndices(mnist, 'test');
    expect(train.length + test.length).toBe(10_000);
    const all = new Set([...train, ...test]);
    expect(all.size).toBe(10_000);
  });
});

describe('generateClutteredDigits', () => {
  const fields = Array.from({ length: 12 }, (_, seed) => generateClutteredDigits({ seed, pool: 'train', mnist }));

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateClutteredDigits({ seed: 3, pool: 'train', mnist });
    expect(Buffer.from(again.pixels.buffer).equals(Buffer.from((fields[3]?.pixels ?? new Float32Array()).buffer))).toBe(true);
    expect(again.instances).toEqual(fields[3]?.instances);
    expect(Buffer.from(fields[4]?.pixels.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(again.pixels.buffer))).toBe(false);
  });

  it('places 1–20 digits at least the disc radius apart, rotated within ±30°', () => {
    for (const f of fields) {
      expect(f.instances.length).toBeGreaterThanOrEqual(1);
      expect(f.instances.length).toBeLessThanOrEqual(20);
      for (const a of f.instances) {
        expect(Math.abs(a.angleDeg)).toBeLessThanOrEqual(30);
        for (const b of f.instances) if (a !== b) expect(Math.hypot(a.cx - b.cx, a.cy - b.cy)).toBeGreaterThanOrEqual(DISC_RADIUS);
      }
      expect(f.blurSigma).toBeGreaterThanOrEqual(0);
      expect(f.blurSigma).toBeLessThan(2);
    }
  });

  it('caps the count at what fits', () => {
    const f = generateClutteredDigits({ seed: 1, pool: 'test', mnist, count: 500 });
    expect(f.instances.length).toBeGreaterThan(20);
    expect(f.instances.length).toBeLessThan(80);
    expect(generateClutteredDigits({ seed: 1, pool: 'test', mnist, count: 5 }).instances).toHaveLength(5);
  });

  it('has labels, class masks and instance mask that agree with the placed digits', () => {
    for (const f of fields) {
      const present = new Set(f.instances.map((i) => i.digit));
      for (let c = 0; c < 10; c++) {
        const maskPixels = (f.classMasks[c] as Uint8Array).reduce((s, v) => s + v, 0);
        expect(f.labels[c]).toBe(present.has(c) ? 1 : 0);
        expect(maskPixels > 0).toBe(present.has(c));
      }
      for (let p = 0; p < f.instanceMask.length; p++) {
        const id = f.instanceMask[p] as number;
        if (id === 0) continue;
        const digit = f.instances[id - 1]?.digit as number;
        expect(f.classMasks[digit]?.[p]).toBe(1);
      }
      for (const inst of f.instances) expect(f.labels[inst.digit]).toBe(1);
    }
  });

  it('draws digits bright on a dark, noisy field', () => {
    for (const f of fields.slice(0, 4)) {
      let inSum = 0;
      let inN = 0;
      let outSum = 0;
      let outN = 0;
      const union = new Uint8Array(f.size * f.size);
      for (const m of f.classMasks) for (let p = 0; p < m.length; p++) union[p] = (union[p] as number) | (m[p] as number);
      for (let p = 0; p < union.length; p++) {
        if (union[p]) {
          inSum += f.pixels[p] as number;
          inN++;
        } else {
          outSum += f.pixels[p] as number;
          outN++;
        }
      }
      expect(inSum / inN).toBeGreaterThan(0.4);
      expect(outSum / outN).toBeLessThan(0.1);
      expect(Math.max(...f.pixels)).toBeLessThanOrEqual(1);
    }
  });

  it('draws training fields only from the training pool and test fields only from the test pool', () => {
    const used = (pool: 'train' | 'test') =>
      new Set(Array.from({ length: 30 }, (_, seed) => generateClutteredDigits({ seed, pool, mnist }).instances.map((i) => i.mnistIndex)).flat());
    const train = used('train');
    const test = used('test');
    for (const i of train) expect(i % 2).toBe(0);
    for (const i of test) expect(i % 2).toBe(1);
    expect([...train].filter((i) => test.has(i))).toEqual([]);
  });

  it('makes smaller fields for reduced-scale runs, digits kept inside', () => {
    const f = generateClutteredDigits({ seed: 2, pool: 'train', mnist, size: 64, count: 20 });
    expect(f.size).toBe(64);
    expect(f.pixels).toHaveLength(64 * 64);
    expect(f.classMasks.every((m) => m.length === 64 * 64)).toBe(true);
    expect(f.instances.length).toBeGreaterThanOrEqual(1);
    expect(f.instances.length).toBeLessThan(20);
    for (const i of f.instances) for (const c of [i.cx, i.cy]) expect(c >= 14 && c <= 50).toBe(true);
    expect(() => generateClutteredDigits({ seed: 2, pool: 'train', mnist, size: 20 })).toThrow(RangeError);
  });
});

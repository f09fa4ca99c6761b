import { describe, expect, it } from 'vitest';
import { formatPixelSize, parsePixelSize, preferredUnit, valueInUnit } from '../../../src-renderer/lib/pixelSize';

describe('pixel size as typed and read', () => {
  it('reads µm and nm per pixel into nm, with a decimal comma', () => {
    expect(parsePixelSize('0.5', 'µm')).toEqual({ ok: true, nm: 500 });
    expect(parsePixelSize(' 3,5 ', 'nm')).toEqual({ ok: true, nm: 3.5 });
    expect(parsePixelSize('2e-3', 'µm')).toEqual({ ok: true, nm: 2 });
  });
  it('refuses empty, non-numbers, zero, negatives and absurd sizes with a reason', () => {
    for (const [text, reason] of [['', /type a pixel size/], ['abc', /not a number/], ['1.2.3', /not a number/], ['0', /greater than zero/], ['-4', /not a number/], ['2e6', /at most 1 m/]] as const) {
      const r = parsePixelSize(text, 'µm');
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toMatch(reason);
    }
  });
  it('shows sizes in the unit that reads best, without float noise', () => {
    expect(formatPixelSize(null)).toBe('unknown');
    expect(formatPixelSize(3.5)).toBe('3.5 nm/px');
    expect(formatPixelSize(1250)).toBe('1.25 µm/px');
    expect(formatPixelSize(500)).toBe('0.5 µm/px');
    expect(preferredUnit(99)).toBe('nm');
    expect(valueInUnit(300.00000000000006, 'nm')).toBe('300');
    expect(valueInUnit(100, 'µm')).toBe('0.1');
  });
});

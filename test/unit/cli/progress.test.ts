import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../../src-main/cli/progress';

function stream(isTTY: boolean): { isTTY: boolean; out: string[]; write: (s: string) => boolean } {
  const out: string[] = [];
  return { isTTY, out, write: (s: string) => (out.push(s), true) };
}

describe('CLI progress', () => {
  it('redraws one line on a terminal and ends it with a newline', () => {
    const s = stream(true);
    const p = progressReporter({ quiet: false, stream: s });
    p.update('image 1: 1/4 crops');
    p.update('image 1: 2/4 crops');
    p.end();
    expect(s.out.join('')).toBe('\rimage 1: 1/4 crops\x1b[K\rimage 1: 2/4 crops\x1b[K\n');
  });

  it('writes one line per update elsewhere, no carriage return, at most one a second and always the last', () => {
    const s = stream(false);
    let t = 0;
    const p = progressReporter({ quiet: false, stream: s, now: () => t });
    p.update('image 1: 1/4 crops');
    t = 300;
    p.update('image 1: 2/4 crops'); // held back: under a second since the last line
    t = 1000;
    p.update('image 1: 3/4 crops');
    p.update('image 1: 3/4 crops'); // the same again: not repeated
    t = 1200;
    p.update('image 1: 4/4 crops');
    p.end();
    expect(s.out).toEqual(['image 1: 1/4 crops\n', 'image 1: 3/4 crops\n', 'image 1: 4/4 crops\n']);
    expect(s.out.join('')).not.toContain('\r');
  });

  it('writes nothing with --quiet, on a terminal or not', () => {
    for (const tty of [true, false]) {
      const s = stream(tty);
      const p = progressReporter({ quiet: true, stream: s });
      p.update('image 1: 1/4 crops');
      p.end();
      expect(s.out).toEqual([]);
    }
  });
});

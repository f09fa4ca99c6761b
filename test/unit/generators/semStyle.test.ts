import { describe, expect, it } from 'vitest';
import { generateSemCrops, generateSemTile } from '../../generators/sem';
import { CLASSIC_STYLE, drawSemStyle, HELD_OUT_STYLE_FAMILIES, MARKER_AREA_RANGE, type SemStyle } from '../../generators/sem/semStyle';

const meanOf = (p: Uint8Array): number => p.reduce((s, v) => s + v, 0) / p.length;

describe('SEM styles', () => {
  it("keeps the classic look by default: no style and 'classic' give the same bytes", () => {
    const a = generateSemTile({ width: 600, height: 500, seed: 7, markerCount: 2 });
    const b = generateSemTile({ width: 600, height: 500, seed: 7, markerCount: 2, style: 'classic' });
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(a.style).toEqual(CLASSIC_STYLE);
  });

  it("draws a different, reproducible style per seed in the 'varied' family", () => {
    const s1 = drawSemStyle('varied', 1);
    expect(drawSemStyle('varied', 1)).toEqual(s1);
    expect(drawSemStyle('varied', 2)).not.toEqual(s1);
    const t1 = generateSemTile({ width: 512, height: 512, seed: 1, markerCount: 2, style: 'varied' });
    const t2 = generateSemTile({ width: 512, height: 512, seed: 1, markerCount: 2, style: 'varied' });
    expect(Buffer.from(t1.pixels).equals(Buffer.from(t2.pixels))).toBe(true);
    expect(t1.style).toEqual(s1);
  });

  it('spreads marker areas over 1,500–20,000 px², with a mask that matches the markers', () => {
    const areas: number[] = [];
    for (let seed = 1; seed <= 4; seed++) {
      const t = generateSemTile({ width: 1200, height: 1200, seed, markerCount: 14, style: 'varied' });
      let maskTotal = 0;
      for (const v of t.mask) maskTotal += v;
      expect(maskTotal).toBe(t.markers.reduce((s, m) => s + m.area, 0));
      areas.push(...t.markers.map((m) => m.area));
    }
    expect(areas.length).toBeGreaterThan(40);
    // Rasterised areas stray a little from the nominal disc areas (wobble, stretch, pixels).
    for (const a of areas) {
      expect(a).toBeGreaterThan(MARKER_AREA_RANGE[0] * 0.8);
      expect(a).toBeLessThan(MARKER_AREA_RANGE[1] * 1.25);
    }
    expect(areas.filter((a) => a < 3000).length).toBeGreaterThan(5);
    expect(areas.filter((a) => a > 10000).length).toBeGreaterThan(5);
  });

  it('draws the held-out families outside the training ranges on the parameters that define them', () => {
    const varied = Array.from({ length: 300 }, (_, i) => drawSemStyle('varied', i));
    const range = (styles: SemStyle[], f: (s: SemStyle) => number): [number, number] => [Math.min(...styles.map(f)), Math.max(...styles.map(f))];
    const defining: Record<string, Array<(s: SemStyle) => number>> = {
      'heldout-crowded': [(s) => s.myelinDensity, (s) => s.cellSize, (s) => s.vesicleDensity],
      'heldout-soft': [(s) => s.blurSigma, (s) => s.noiseSigma, (s) => s.gain, (s) => s.gamma],
      'heldout-pale': [(s) => s.offset, (s) => s.gamma, (s) => s.markerGray[0], (s) => s.markerRim],
    };
    for (const family of HELD_OUT_STYLE_FAMILIES) {
      const held = Array.from({ length: 100 }, (_, i) => drawSemStyle(family, i));
      for (const f of defining[family] ?? []) {
        const [vlo, vhi] = range(varied, f);
        const [hlo, hhi] = range(held, f);
        expect(hhi < vlo || hlo > vhi, `${family}: [${hlo}, ${hhi}] overlaps training [${vlo}, ${vhi}]`).toBe(true);
      }
    }
  });

  it('renders the held-out looks: soft is darker and flatter, pale brighter than classic', () => {
    const opts = { width: 512, height: 512, seed: 3, markerCount: 1 };
    const classic = meanOf(generateSemTile(opts).pixels);
    expect(meanOf(generateSemTile({ ...opts, style: 'heldout-soft' }).pixels)).toBeLessThan(classic - 20);
    expect(meanOf(generateSemTile({ ...opts, style: 'heldout-pale' }).pixels)).toBeGreaterThan(classic + 20);
  });

  it('cuts labelled crops from many styles', () => {
    const crops = generateSemCrops({ seed: 4, cropSize: 256, count: 24, positiveFraction: 0.35, style: 'varied' });
    expect(crops).toHaveLength(24);
    expect(crops.filter((c) => c.label === 1)).toHaveLength(8);
    expect(new Set(crops.map((c) => c.source.tile)).size).toBeGreaterThan(4);
    for (const c of crops) expect(c.source.x === 0 || c.source.x === 256).toBe(true);
  });
});

// The export writers on hand-made objects: per-object and summary CSV (values, units, quoting),
// QuPath GeoJSON (one feature per object, outline area = mask pixels, measurements) and COCO
// (RLE decodes to the mask, category, attributes).
import { describe, expect, it } from 'vitest';
import { decodeCocoRle } from '../../../src-main/core/export/cocoRle';
import { cocoOf } from '../../../src-main/core/export/exportCoco';
import { objectsCsv, OBJECTS_CSV_HEADER, summaryCsv } from '../../../src-main/core/export/exportCsv';
import { geoJsonOf } from '../../../src-main/core/export/exportGeoJson';
import { labelsInImage, totalsByImageAndClass, type ProjectObject } from '../../../src-main/core/export/projectObjects';
import { inMicrometres, measureRegion } from '../../../src-main/core/metrics/objectMeasurements';
import type { ClassRow } from '../../../src-main/core/project/classesRepo';
import type { ImageRow } from '../../../src-main/core/project/imagesRepo';
import type { MaskRegion } from '../../../src-main/core/review/maskRegion';

function image(id: number, name: string, pixelSizeNm: number | null): ImageRow {
  return {
    id, name, width: 64, height: 48, bits_per_sample: 8, channels: 1, tile_size: 512, levels: 1, pixel_size_nm: pixelSizeNm, status: 'ready',
    source_path: name, source_page: 0, content_hash: null, notice: null, created_at: '', updated_at: '',
  };
}

const classes: ClassRow[] = [
  { id: 1, name: 'marker', color: '#00ff00', position: 0, created_at: '' },
  { id: 2, name: '=cmd', color: '#0000ff', position: 1, created_at: '' },
];

function square(x: number, y: number, side: number): MaskRegion {
  return { x, y, width: side, height: side, mask: new Uint8Array(side * side).fill(1) };
}

function object(img: ImageRow, id: number, region: MaskRegion, o: Partial<ProjectObject> = {}): ProjectObject {
  const pixel = measureRegion(region);
  return {
    kind: 'suggestion', id, image: img, classId: 1, className: 'marker', color: '#00ff00', score: 0.9, decision: 'accepted',
    decidedBy: 'expert', decidedAt: '2026-01-01T00:00:00.000Z', region, pixel, physical: inMicrometres(pixel, img.pixel_size_nm), ...o,
  };
}

/** RFC 4180 rows (quotes, doubled quotes, commas inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

const imgA = image(3, 'a, "b".tif', 5);
const imgB = image(4, 'plain.tif', null);
// A 10×10 square with a 2×2 hole; a 4×4 square; an added region of class 2 on image B.
const holed = square(10, 12, 10);
for (const [x, y] of [[4, 4], [5, 4], [4, 5], [5, 5]] as const) holed.mask[y * 10 + x] = 0;
const objects = [
  object(imgA, 11, holed),
  object(imgA, 12, square(40, 30, 4), { decision: 'pending', score: 0.4, decidedBy: null, decidedAt: null }),
  object(imgB, 7, square(0, 0, 3), { kind: 'annotation', decision: 'added', classId: 2, className: '=cmd', score: null }),
];
const labels = labelsInImage(objects);

describe('export writers', () => {
  it('writes one CSV row per object with px and µm measurements, labels per image, quoting and formula guard', () => {
    const rows = parseCsv(objectsCsv(objects, labels));
    expect(rows[0]).toEqual(OBJECTS_CSV_HEADER);
    expect(rows).toHaveLength(4);
    const col = (r: string[], name: string) => r[OBJECTS_CSV_HEADER.indexOf(name)]!;
    const [a, b, c] = [rows[1]!, rows[2]!, rows[3]!];
    expect(col(a, 'image_name')).toBe('a, "b".tif');
    expect([col(a, 'object_id'), col(a, 'label'), col(b, 'label'), col(c, 'label')]).toEqual(['11', '1', '2', '1']);
    expect(Number(col(a, 'area_px2'))).toBe(96);
    expect(Number(col(a, 'area_um2'))).toBeCloseTo(96 * 0.005 ** 2, 9);
    expect(Number(col(a, 'centroid_x_px'))).toBeCloseTo(15, 6);
    expect(Number(col(a, 'centroid_x_um'))).toBeCloseTo(15 * 0.005, 6);
    expect(Number(col(a, 'perimeter_px'))).toBeCloseTo(objects[0]!.pixel.perimeterPx, 5);
    expect([col(a, 'bbox_x'), col(a, 'bbox_y'), col(a, 'bbox_width'), col(a, 'bbox_height')]).toEqual(['10', '12', '10', '10']);
    expect([col(b, 'decision'), col(b, 'decided_by'), col(b, 'decided_at')]).toEqual(['pending', '', '']);
    expect([col(c, 'object_kind'), col(c, 'decision'), col(c, 'score'), col(c, 'area_um2'), col(c, 'pixel_size_nm')]).toEqual(['annotation', 'added', '', '', '']);
    expect(col(c, 'class')).toBe("'=cmd");
  });

  it('writes per image and class counts and areas, every class listed', () => {
    const accepted = objects.filter((o) => o.decision !== 'pending');
    const rows = parseCsv(summaryCsv(totalsByImageAndClass([imgA, imgB], classes, accepted)));
    expect(rows[0]).toEqual(['image_id', 'image_name', 'class', 'count', 'total_area_px2', 'total_area_um2', 'mean_area_px2', 'mean_area_um2', 'pixel_size_nm']);
    expect(rows.slice(1)).toEqual([
      ['3', 'a, "b".tif', 'marker', '1', '96', '0.0024', '96', '0.0024', '5'],
      ['3', 'a, "b".tif', "'=cmd", '0', '0', '0', '0', '0', '5'],
      ['4', 'plain.tif', 'marker', '0', '0', '', '0', '', ''],
      ['4', 'plain.tif', "'=cmd", '1', '9', '', '9', '', ''],
    ]);
  });

  it('writes QuPath GeoJSON: outlines covering exactly the mask, class, measurements', () => {
    const geo = geoJsonOf(objects.slice(0, 2), labels) as { type: string; features: Array<{ id: string; geometry: { type: string; coordinates: number[][][] }; properties: { objectType: string; classification: { name: string; color: number[] }; measurements: Record<string, number>; micra: { label: number; decision: string } } }> };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.map((f) => f.id)).toEqual(['suggestion-11', 'suggestion-12']);
    const [f] = geo.features;
    expect(f!.geometry.type).toBe('Polygon');
    const ringArea = (ring: number[][]) => Math.abs(ring.slice(0, -1).reduce((s, p, i) => s + p[0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * p[1]!, 0) / 2);
    expect(ringArea(f!.geometry.coordinates[0]!) - ringArea(f!.geometry.coordinates[1]!)).toBe(96);
    expect(f!.properties.objectType).toBe('annotation');
    expect(f!.properties.classification).toEqual({ name: 'marker', color: [0, 255, 0] });
    expect(f!.properties.measurements['Area px^2']).toBe(96);
    expect(f!.properties.measurements['Area µm^2']).toBeCloseTo(96 * 25e-6, 9);
    expect(f!.properties.measurements.Score).toBe(0.9);
    expect(f!.properties.micra).toMatchObject({ label: 1, decision: 'accepted' });
  });

  it('writes COCO with RLE masks that decode to the object, its category and attributes', () => {
    const coco = cocoOf([imgA, imgB], classes, objects, labels);
    expect(coco.categories).toEqual([{ id: 1, name: 'marker' }, { id: 2, name: '=cmd' }]);
    expect(coco.images.map((i) => [i.id, i.pixel_size_nm])).toEqual([[3, 5], [4, null]]);
    expect(coco.annotations.map((a) => [a.id, a.image_id, a.category_id, a.area, a.attributes.object_id, a.attributes.label])).toEqual([
      [1, 3, 1, 96, 11, 1],
      [2, 3, 1, 16, 12, 2],
      [3, 4, 2, 9, 7, 1],
    ]);
    const full = decodeCocoRle(coco.annotations[0]!.segmentation);
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 64; x++) {
        const inBox = x >= 10 && y >= 12 && x < 20 && y < 22;
        expect(full[y * 64 + x]).toBe(inBox ? holed.mask[(y - 12) * 10 + x - 10] : 0);
      }
    expect(coco.annotations[0]!.bbox).toEqual([10, 12, 10, 10]);
    expect(coco.annotations[2]!.score).toBeUndefined();
  });
});

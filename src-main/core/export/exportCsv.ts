// The two CSV exports (RFC 4180 quoting, one header line):
//   objects: one row per object with its measurements (px and, when the pixel size is known, µm;
//            empty cells otherwise) and its label in the label-mask TIFF of its image;
//   summary: per image and class, count and total/mean area of the exported objects;
//   overview: per image, its size, latest sweep, review counts and accepted area (projectOverview.ts).
// Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe:
// image and class names come from files and users, and a CSV is opened in Excel.
import type { ClassTotals, ProjectObject } from './projectObjects';
import type { ImageOverview } from './projectOverview';

export const OBJECTS_CSV_HEADER = [
  'image_id', 'image_name', 'object_kind', 'object_id', 'label', 'class', 'score', 'decision', 'decided_by', 'decided_at',
  'area_px2', 'area_um2', 'perimeter_px', 'perimeter_um', 'equivalent_diameter_px', 'equivalent_diameter_um',
  'centroid_x_px', 'centroid_y_px', 'centroid_x_um', 'centroid_y_um', 'bbox_x', 'bbox_y', 'bbox_width', 'bbox_height', 'pixel_size_nm',
];

export const SUMMARY_CSV_HEADER = ['image_id', 'image_name', 'class', 'count', 'total_area_px2', 'total_area_um2', 'mean_area_px2', 'mean_area_um2', 'pixel_size_nm'];

type Cell = string | number | null;

function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function quote(value: Cell): string {
  if (value === null) return '';
  const s = typeof value === 'number' ? String(value) : text(value);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Ten significant digits: far below a pixel's or a nanometre's worth, without float noise. */
export function round(v: number): number {
  return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(10));
}

const opt = (v: number | undefined): number | null => (v === undefined ? null : round(v));

function lines(header: readonly string[], rows: readonly Cell[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
}

/** `labels`: each object's label in its image's label TIFF (projectObjects.labelsInImage). */
export function objectsCsv(objects: readonly ProjectObject[], labels: ReadonlyMap<ProjectObject, number>): string {
  return lines(
    OBJECTS_CSV_HEADER,
    objects.map((o) => [
      o.image.id, o.image.name, o.kind, o.id, labels.get(o) ?? null, o.className, o.score === null ? null : round(o.score), o.decision, o.decidedBy, o.decidedAt,
      o.pixel.areaPx, opt(o.physical?.areaUm2), round(o.pixel.perimeterPx), opt(o.physical?.perimeterUm),
      round(o.pixel.equivalentDiameterPx), opt(o.physical?.equivalentDiameterUm),
      round(o.pixel.centroidX), round(o.pixel.centroidY), opt(o.physical?.centroidXUm), opt(o.physical?.centroidYUm),
      o.region.x, o.region.y, o.region.width, o.region.height, o.image.pixel_size_nm,
    ]),
  );
}

export function summaryCsv(totals: readonly ClassTotals[]): string {
  return lines(
    SUMMARY_CSV_HEADER,
    totals.map((t) => [
      t.image.id, t.image.name, t.className, t.count, t.totalAreaPx, t.totalAreaUm2 === null ? null : round(t.totalAreaUm2),
      t.count > 0 ? round(t.totalAreaPx / t.count) : 0, t.totalAreaUm2 === null ? null : t.count > 0 ? round(t.totalAreaUm2 / t.count) : 0,
      t.image.pixel_size_nm,
    ]),
  );
}

export const OVERVIEW_CSV_HEADER = [
  'image_id', 'image_name', 'status', 'width_px', 'height_px', 'pixel_size_nm', 'model', 'sweep_status', 'crops_done', 'crops_total',
  'cluster_plan', 'cluster_collected_run',
  'suggestions', 'reviewed', 'accepted', 'declined', 'later', 'pending', 'added', 'accepted_area_px2', 'accepted_area_um2',
];

export function overviewCsv(rows: readonly ImageOverview[]): string {
  return lines(
    OVERVIEW_CSV_HEADER,
    rows.map((r) => [
      r.image.id, r.image.name, r.image.status, r.image.width, r.image.height, r.image.pixel_size_nm,
      r.sweep?.modelName ?? null, r.sweep?.status ?? 'none', r.sweep?.cropsDone ?? 0, r.sweep?.cropsTotal ?? 0,
      r.cluster?.planId ?? null, r.cluster?.collectedRunId ?? null,
      r.suggestions, r.reviewed, r.accepted, r.declined, r.later, r.pending, r.added,
      r.acceptedAreaPx, r.acceptedAreaUm2 === null ? null : round(r.acceptedAreaUm2),
    ]),
  );
}

// Per-image, per-class counts and areas of the accepted regions, as CSV (RFC 4180 quoting).
// Areas are in µm² when the image's pixel size is known, else in px².
import type { ImageRow } from '../project/imagesRepo';
import { maskArea } from '../review/maskRegion';
import type { AcceptedRegion } from '../review/acceptedRegions';

export const CSV_HEADER = ['image_id', 'image_name', 'class', 'count', 'total_area', 'mean_area', 'area_unit', 'pixel_size_nm'];

function quote(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Pixel area → the unit the row reports. */
export function areaIn(image: Pick<ImageRow, 'pixel_size_nm'>, pixels: number): number {
  return image.pixel_size_nm === null ? pixels : pixels * (image.pixel_size_nm / 1000) ** 2;
}

export function csvOf(images: ReadonlyArray<{ image: ImageRow; regions: readonly AcceptedRegion[]; classNames: readonly string[] }>): string {
  const lines = [CSV_HEADER.join(',')];
  for (const { image, regions, classNames } of images) {
    const names = new Set([...classNames, ...regions.map((r) => r.className)]);
    for (const name of names) {
      const of = regions.filter((r) => r.className === name);
      const total = areaIn(image, of.reduce((s, r) => s + maskArea(r.region.mask), 0));
      const row = [
        image.id,
        image.name,
        name,
        of.length,
        round(total),
        of.length > 0 ? round(total / of.length) : 0,
        image.pixel_size_nm === null ? 'px^2' : 'um^2',
        image.pixel_size_nm,
      ];
      lines.push(row.map(quote).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

// `micra export`: the review results of a project's images in one of four formats.
//   csv      PATH is a file: per image and class, counts and areas.
//   coco     PATH is a file: COCO JSON, RLE masks.
//   geojson  PATH is a folder: <imageId>_<name>.geojson per image (QuPath import).
//   masks    PATH is a folder: <imageId>_<name>_labels.tif per image, 16-bit instance ids
//            (1…n in the order of the COCO/GeoJSON export, 0 = background).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeTiffFile } from '../imaging/tiffWriter';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import { acceptedRegions, type AcceptedRegion } from '../review/acceptedRegions';
import { cocoOf } from './exportCoco';
import { csvOf } from './exportCsv';
import { geoJsonOf } from './exportGeoJson';

export const EXPORT_FORMATS = ['csv', 'geojson', 'coco', 'masks'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOutcome {
  files: string[];
  images: number;
  regions: number;
}

function safeName(image: ImageRow): string {
  const base = image.name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${image.id}_${base || 'image'}`;
}

/** A 16-bit label image: region k (1-based, in the given order) paints its mask pixels k. */
export function labelImage(image: Pick<ImageRow, 'width' | 'height'>, regions: readonly AcceptedRegion[]): Uint16Array {
  if (regions.length > 65535) throw new Error('more than 65535 regions do not fit a 16-bit label image');
  const labels = new Uint16Array(image.width * image.height);
  regions.forEach((r, i) => {
    const { x, y, width, height, mask } = r.region;
    for (let j = 0; j < height; j++)
      for (let k = 0; k < width; k++) if (mask[j * width + k]) labels[(y + j) * image.width + x + k] = i + 1;
  });
  return labels;
}

export async function exportProject(store: ProjectStore, format: ExportFormat, out: string, imageIds?: readonly number[]): Promise<ExportOutcome> {
  const images = store.images
    .list()
    .filter((i) => i.status === 'ready' && (!imageIds || imageIds.includes(i.id)))
    .map((image) => ({ image, regions: acceptedRegions(store, image.id) }));
  const regions = images.reduce((n, i) => n + i.regions.length, 0);
  const files: string[] = [];
  switch (format) {
    case 'csv': {
      const names = store.classes.list().map((c) => c.name);
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, csvOf(images.map((i) => ({ ...i, classNames: names }))));
      files.push(out);
      break;
    }
    case 'coco':
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, JSON.stringify(cocoOf(images, store.classes.list())));
      files.push(out);
      break;
    case 'geojson':
      await mkdir(out, { recursive: true });
      for (const { image, regions: rs } of images) {
        const file = path.join(out, `${safeName(image)}.geojson`);
        await writeFile(file, JSON.stringify(geoJsonOf(rs)));
        files.push(file);
      }
      break;
    case 'masks':
      await mkdir(out, { recursive: true });
      for (const { image, regions: rs } of images) {
        const file = path.join(out, `${safeName(image)}_labels.tif`);
        await writeTiffFile(file, { data: labelImage(image, rs), width: image.width, height: image.height, channels: 1, bitsPerSample: 16 });
        files.push(file);
      }
      break;
  }
  return { files, images: images.length, regions };
}

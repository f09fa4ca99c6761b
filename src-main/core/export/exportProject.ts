// The one export core behind `micra export`, Electron's save dialog and serve mode's download:
// the objects of a project (accepted only, or all with their decisions) in five formats, and the
// project overview (one row per image).
//   objects-csv  one row per object, measurements in px and µm (exportCsv.ts)
//   summary-csv  per image and class, count and total / mean area
//   overview-csv per image: size, pixel size, latest sweep, review counts, accepted area
//   coco         COCO JSON, RLE masks, every image in one file
//   geojson      per image: QuPath GeoJSON
//   masks        per image: label TIFF, deflate-compressed, pixel size in the resolution tags
// A file is built in memory as chunks (the label TIFF's strips are compressed, so even a
// 10,240² image is small) and then written or streamed.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { EXPORT_FORMATS, PER_IMAGE_FORMATS, type ExportFormat } from '../../api/channels/measurementChannels';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import { cocoOf } from './exportCoco';
import { objectsCsv, overviewCsv, summaryCsv } from './exportCsv';
import { geoJsonOf } from './exportGeoJson';
import { labelTiff } from './labelTiff';
import { labelsInImage, projectObjects, queriedImages, totalsByImageAndClass, type ObjectSelection, type ProjectObject } from './projectObjects';
import { projectOverview } from './projectOverview';
import { DomainError } from '../../api/domainError';

export { EXPORT_FORMATS, PER_IMAGE_FORMATS, type ExportFormat };

export interface ExportOptions {
  /** Default 'accepted'. */
  objects?: ObjectSelection;
  /** Default every ready image. */
  imageIds?: readonly number[];
}

export interface ExportFile {
  /** A safe file name ([A-Za-z0-9._-]). */
  fileName: string;
  contentType: string;
  chunks: Buffer[];
  bytes: number;
  /** Objects it holds. */
  objects: number;
}

function safe(text: string): string {
  return text.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'project';
}

export function imageFileStem(image: Pick<ImageRow, 'id' | 'name'>): string {
  return `${image.id}_${safe(image.name)}`;
}

function file(fileName: string, contentType: string, chunks: Buffer[], objects: number): ExportFile {
  return { fileName, contentType, chunks, bytes: chunks.reduce((n, c) => n + c.length, 0), objects };
}

const CSV = 'text/csv; charset=utf-8';
const JSON_TYPE = 'application/json';

/** The export's files: one for the CSVs and COCO, one per image for GeoJSON and label masks. */
export function buildExport(store: ProjectStore, format: ExportFormat, options: ExportOptions = {}): ExportFile[] {
  const which = options.objects ?? 'accepted';
  const images = queriedImages(store, options.imageIds);
  const missing = options.imageIds?.filter((id) => !images.some((i) => i.id === id)) ?? [];
  if (missing.length > 0) throw new DomainError('bad-request', `no ready image ${missing.join(', ')} in this project`);
  // One image named: the project-wide files are named after it.
  const stem = images.length === 1 && options.imageIds ? imageFileStem(images[0] as ImageRow) : safe(basename(store.dir));
  if (format === 'overview-csv') {
    // Every image the query names or, without one, every image of the project (one still
    // importing or failed is a row too), counting the accepted objects whatever `objects` says.
    const rows = projectOverview(store, options.imageIds);
    return [file(`${stem}_overview.csv`, CSV, [Buffer.from(overviewCsv(rows))], rows.reduce((n, r) => n + r.accepted + r.added, 0))];
  }
  const objects = projectObjects(store, { imageIds: images.map((i) => i.id), which });
  const labels = labelsInImage(objects);
  const classes = store.classes.list();
  const suffix = which === 'all' ? '_all' : '';
  const ofImage = (image: ImageRow): ProjectObject[] => objects.filter((o) => o.image.id === image.id);
  switch (format) {
    case 'objects-csv':
      return [file(`${stem}_objects${suffix}.csv`, CSV, [Buffer.from(objectsCsv(objects, labels))], objects.length)];
    case 'summary-csv':
      return [file(`${stem}_summary${suffix}.csv`, CSV, [Buffer.from(summaryCsv(totalsByImageAndClass(images, classes, objects)))], objects.length)];
    case 'coco':
      return [file(`${stem}_coco${suffix}.json`, JSON_TYPE, [Buffer.from(JSON.stringify(cocoOf(images, classes, objects, labels)))], objects.length)];
    case 'geojson':
      return images.map((image) => {
        const of = ofImage(image);
        return file(`${imageFileStem(image)}${suffix}.geojson`, 'application/geo+json', [Buffer.from(JSON.stringify(geoJsonOf(of, labels)))], of.length);
      });
    case 'masks':
      return images.map((image) => {
        const of = ofImage(image);
        const chunks = labelTiff({ width: image.width, height: image.height, pixelSizeNm: image.pixel_size_nm, regions: of.map((o) => o.region) });
        return file(`${imageFileStem(image)}_labels${suffix}.tif`, 'image/tiff', chunks, of.length);
      });
  }
}

/** Exactly one file: what a save dialog or a download delivers. */
export function buildSingleExport(store: ProjectStore, request: { format: ExportFormat; objects?: ObjectSelection; imageId?: number }): ExportFile {
  if (PER_IMAGE_FORMATS.includes(request.format) && request.imageId === undefined) throw new DomainError('bad-request', `a ${request.format} export is per image: choose an image`);
  const [only, ...more] = buildExport(store, request.format, {
    objects: request.objects ?? 'accepted',
    ...(request.imageId === undefined ? {} : { imageIds: [request.imageId] }),
  });
  if (!only || more.length > 0) throw new DomainError('bad-request', 'the export does not make exactly one file');
  return only;
}

export async function writeExportFile(exported: ExportFile, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(exported.chunks), createWriteStream(path));
}

export interface ExportOutcome {
  files: string[];
  images: number;
  objects: number;
}

/**
 * `micra export`: `out` is the file for the CSVs and COCO, a folder for the per-image formats
 * (one `<imageId>_<name>.geojson` or `<imageId>_<name>_labels.tif` per image).
 */
export async function exportProject(store: ProjectStore, format: ExportFormat, out: string, options: ExportOptions = {}): Promise<ExportOutcome> {
  const exported = buildExport(store, format, options);
  const perImage = PER_IMAGE_FORMATS.includes(format);
  const files: string[] = [];
  for (const f of exported) {
    const path = perImage ? join(out, f.fileName) : out;
    await writeExportFile(f, path);
    files.push(path);
  }
  return { files, images: queriedImages(store, options.imageIds).length, objects: exported.reduce((n, f) => n + f.objects, 0) };
}

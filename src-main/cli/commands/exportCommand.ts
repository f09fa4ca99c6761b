// `micra export --project DIR --format objects-csv|summary-csv|overview-csv|coco|geojson|masks --out PATH
//   [--objects accepted|all] [--image ID]…`: the project's objects, through the same core as the
// app's export buttons (core/export/exportProject.ts). PATH is a file for the CSVs and COCO, a
// folder for GeoJSON and label masks (one file per image). Prints one JSON line: the files
// written and the counts.
import { resolve } from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { DomainError } from '../../api/domainError';
import { EXPORT_FORMATS, exportProject, type ExportFormat } from '../../core/export/exportProject';
import { openProjectStore } from '../../core/project/projectStore';
import { resolveUserPath } from '../../core/project/userPath';

export async function runExportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    objects: { type: 'string' },
    image: { type: 'string', multiple: true },
  });
  const projectDir = resolveUserPath(requiredString(values.project, 'project'));
  const format = requiredString(values.format, 'format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const objects = values.objects ?? 'accepted';
  if (objects !== 'accepted' && objects !== 'all') throw new UsageError('--objects must be accepted or all');
  const out = resolve(requiredString(values.out, 'out'));
  const imageIds = values.image?.map((v) => nonNegativeInt(v, 'image'));
  const store = openProjectStore(projectDir, { create: false });
  try {
    const outcome = await exportProject(store, format as ExportFormat, out, { objects, ...(imageIds ? { imageIds } : {}) });
    console.log(JSON.stringify(outcome));
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(err.message);
    throw err;
  } finally {
    store.close();
  }
  return 0;
}

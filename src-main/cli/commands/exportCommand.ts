// `micra export --project DIR --format csv|geojson|coco|masks --out PATH [--image ID]`:
// the accepted review regions (see core/export/exportProject.ts for what PATH is per format).
// Prints one JSON line: the files written and the counts.
import { resolve } from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { EXPORT_FORMATS, exportProject, type ExportFormat } from '../../core/export/exportProject';
import { openProjectStore } from '../../core/project/projectStore';

export async function runExportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    image: { type: 'string' },
  });
  const projectDir = resolve(requiredString(values.project, 'project'));
  const format = requiredString(values.format, 'format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const out = resolve(requiredString(values.out, 'out'));
  const store = openProjectStore(projectDir, { create: false });
  try {
    const imageIds = values.image === undefined ? undefined : [nonNegativeInt(values.image, 'image')];
    const outcome = await exportProject(store, format as ExportFormat, out, imageIds);
    console.log(JSON.stringify(outcome));
  } finally {
    store.close();
  }
  return 0;
}

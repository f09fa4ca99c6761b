// `micra import --project DIR [--pages all|first] [--skip-duplicates] FILE...`: one JSON line per
// imported image (or skipped duplicate page) on stdout, one line per bad file on stderr,
// non-zero exit when any file failed. The same images.importPaths request the app sends.
// Imports a killed run left unfinished are finished first (their lines say resumed: true).
import { basename, resolve } from 'node:path';
import type { ImageSummary, RequestResult } from '../../api/types';
import type { MicraApp } from '../../core/app/micraApp';
import { dispatchRequest } from '../../core/app/requestDispatcher';
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';
import { resolveUserPath } from '../../core/project/userPath';

type Outcome = RequestResult<'images.importPaths'>[number];
type SkippedDuplicate = Extract<Outcome, { skippedDuplicateOf: number }>;

/** --pages all|first → the API's page choice ('each' | 'first'). */
export function pagesOption(value: string | boolean | undefined): 'each' | 'first' {
  if (value === undefined || value === 'first') return 'first';
  if (value === 'all') return 'each';
  throw new UsageError('--pages must be all or first');
}

interface ImageLineExtras {
  duplicateOf: number | null;
  /** The image was left 'importing' by an interrupted import and has now been finished. */
  resumed?: true;
}

function imageLine(file: string, image: ImageSummary, extras: ImageLineExtras): string {
  return JSON.stringify({
    id: image.id,
    file,
    name: image.name,
    width: image.width,
    height: image.height,
    bitsPerSample: image.bitsPerSample,
    channels: image.channels,
    levels: image.levelSizes.length,
    pixelSizeNm: image.pixelSizeNm,
    duplicateOf: extras.duplicateOf,
    notice: image.notice,
    ...(extras.resumed ? { resumed: true } : {}),
  });
}

function skippedLine(outcome: SkippedDuplicate): string {
  return JSON.stringify({ file: outcome.file, skippedDuplicateOf: outcome.skippedDuplicateOf, page: outcome.page, message: outcome.error });
}

/**
 * Imports `positionals` into the open project after finishing the imports a killed run left
 * 'importing'. A file whose pixels are those of a just-finished image is that interrupted import
 * retried: it is reported as the resumed image (resumed: true), not imported a second time. So
 * the duplicate check runs whenever something was resumed; a duplicate of any other image is
 * then imported anyway unless --skip-duplicates asked to skip it, as without resumption.
 */
async function importAll(app: MicraApp, positionals: string[], pages: 'each' | 'first', skipDuplicates: boolean): Promise<number> {
  const { store } = app.requireProject();
  const interrupted = store.images.listByStatus('importing');
  await app.resumingImports;
  const resumed = new Map<number, ImageSummary>();
  let failures = 0;
  for (const row of interrupted) {
    const now = store.images.get(row.id);
    if (now?.status === 'ready') resumed.set(row.id, store.imageSummary(now));
    else if (now?.status === 'failed') console.error(`image ${row.id} ("${row.name}"): ${now.notice ?? 'its interrupted import failed'}`);
  }
  const reported = new Set<number>();
  const request = (file: string, page?: number) =>
    dispatchRequest(app.handlers, 'images.importPaths', {
      paths: [resolve(file)],
      pages,
      ...(page === undefined ? { skipDuplicates: skipDuplicates || resumed.size > 0 } : { page, skipDuplicates: false }),
    });
  const report = async (file: string, answer: Awaited<ReturnType<typeof request>>): Promise<void> => {
    if (!answer.ok) {
      failures++;
      console.error(`${file}: ${answer.error.message}`);
      return;
    }
    for (const outcome of answer.result as Outcome[]) {
      if ('skippedDuplicateOf' in outcome) {
        const finished = resumed.get(outcome.skippedDuplicateOf);
        if (finished && !reported.has(finished.id)) {
          reported.add(finished.id);
          console.log(imageLine(outcome.file, finished, { duplicateOf: null, resumed: true }));
        } else if (skipDuplicates) console.log(skippedLine(outcome));
        else await report(file, await request(file, outcome.page));
      } else if (outcome.ok) {
        console.log(imageLine(outcome.file, outcome.image, { duplicateOf: outcome.duplicateOf }));
      } else {
        failures++;
        // A page of a multi-page file says which page it was.
        console.error(`${file}: ${outcome.file === basename(file) ? '' : `${outcome.file}: `}${outcome.error}`);
      }
    }
  };
  for (const file of positionals) await report(file, await request(file));
  // Finished imports that no file on the command line asked for again.
  for (const image of resumed.values())
    if (!reported.has(image.id)) console.log(imageLine(image.name, image, { duplicateOf: null, resumed: true }));
  return failures;
}

export async function runImportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    pages: { type: 'string' },
    'skip-duplicates': { type: 'boolean' },
  });
  const projectDir = resolveUserPath(requiredString(values.project, 'project'));
  const pages = pagesOption(values.pages);
  const skipDuplicates = values['skip-duplicates'] === true;
  if (positionals.length === 0) throw new UsageError('no FILE to import');
  const app = createNodeApp('cli');
  try {
    await app.openProject(projectDir, true);
    return (await importAll(app, positionals, pages, skipDuplicates)) > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

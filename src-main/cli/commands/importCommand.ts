// `micra import --project DIR [--pages all|first] [--skip-duplicates] FILE...`: one JSON line per
// imported image (or skipped duplicate page) on stdout, one line per bad file on stderr,
// non-zero exit when any file failed. The same images.importPaths request the app sends.
import { basename, resolve } from 'node:path';
import type { RequestResult } from '../../api/types';
import { dispatchRequest } from '../../core/app/requestDispatcher';
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';

type Outcome = RequestResult<'images.importPaths'>[number];

/** --pages all|first → the API's page choice ('each' | 'first'). */
export function pagesOption(value: string | boolean | undefined): 'each' | 'first' {
  if (value === undefined || value === 'first') return 'first';
  if (value === 'all') return 'each';
  throw new UsageError('--pages must be all or first');
}

function outcomeLine(outcome: Outcome): string | null {
  if ('skippedDuplicateOf' in outcome)
    return JSON.stringify({ file: outcome.file, skippedDuplicateOf: outcome.skippedDuplicateOf, page: outcome.page, message: outcome.error });
  if (!outcome.ok) return null;
  const { image } = outcome;
  return JSON.stringify({
    id: image.id,
    file: outcome.file,
    name: image.name,
    width: image.width,
    height: image.height,
    bitsPerSample: image.bitsPerSample,
    channels: image.channels,
    levels: image.levelSizes.length,
    pixelSizeNm: image.pixelSizeNm,
    duplicateOf: outcome.duplicateOf,
    notice: image.notice,
  });
}

export async function runImportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    pages: { type: 'string' },
    'skip-duplicates': { type: 'boolean' },
  });
  const projectDir = resolve(requiredString(values.project, 'project'));
  const pages = pagesOption(values.pages);
  const skipDuplicates = values['skip-duplicates'] === true;
  if (positionals.length === 0) throw new UsageError('no FILE to import');
  const app = createNodeApp('serve');
  let failures = 0;
  try {
    await app.openProject(projectDir, true);
    for (const file of positionals) {
      const answer = await dispatchRequest(app.handlers, 'images.importPaths', { paths: [resolve(file)], pages, skipDuplicates });
      if (!answer.ok) {
        failures++;
        console.error(`${file}: ${answer.error.message}`);
        continue;
      }
      for (const outcome of answer.result as Outcome[]) {
        const line = outcomeLine(outcome);
        if (line !== null) console.log(line);
        else if (!outcome.ok) {
          failures++;
          // A page of a multi-page file says which page it was.
          console.error(`${file}: ${outcome.file === basename(file) ? '' : `${outcome.file}: `}${outcome.error}`);
        }
      }
    }
  } finally {
    await app.close();
  }
  return failures > 0 ? 1 : 0;
}

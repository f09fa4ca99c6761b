// The questions an import asks, in order, whatever the transport: (1) a dropped file has
// several pages: every page as its own image, or the first only? (2) some pages hold pixels the
// project already has (found by content hash before any pyramid is built): skip them, or
// import them anyway? The dialogs and the transport are injected, so this runs under unit
// tests with fakes.
import type { ImageSummary } from '../../src-main/api/types';
import type { ImportChoices, ImportPathOutcome } from '../api/importFiles';

export type PagesAnswer = 'each' | 'first' | null;
export type DuplicatesAnswer = 'skip' | 'import';
export type SkippedOutcome = Extract<ImportPathOutcome, { skippedDuplicateOf: number }>;

export interface MultiPageFile {
  readonly name: string;
  readonly pages: number;
}

export interface DuplicatePage {
  /** The page as the import named it, e.g. "stack.tif · page 2/5". */
  readonly name: string;
  readonly duplicateOf: number;
}

export interface ImportFlowDeps<F extends { readonly name: string }> {
  countPages(file: F): Promise<number | null>;
  importFile(file: F, choices: ImportChoices): Promise<ImportPathOutcome[]>;
  /** null: the user cancelled the whole drop. */
  askPages(files: MultiPageFile[]): Promise<PagesAnswer>;
  askDuplicates(pages: DuplicatePage[]): Promise<DuplicatesAnswer>;
}

export interface ImportFlowResult {
  imported: ImageSummary[];
  /** One line per page that failed, e.g. "broken.tif: not a TIFF file". */
  errors: string[];
  /** One line per page left out because the project has it already (the user chose to skip). */
  skipped: string[];
  cancelled: boolean;
}

const isSkipped = (o: ImportPathOutcome): o is SkippedOutcome => 'skippedDuplicateOf' in o;

export async function runImportFlow<F extends { readonly name: string }>(deps: ImportFlowDeps<F>, files: readonly F[]): Promise<ImportFlowResult> {
  const result: ImportFlowResult = { imported: [], errors: [], skipped: [], cancelled: false };
  if (files.length === 0) return result;
  const counts = await Promise.all(files.map((f) => deps.countPages(f).catch(() => null)));
  const multi = files.flatMap((f, i) => ((counts[i] ?? 1) > 1 ? [{ name: f.name, pages: counts[i] ?? 1 }] : []));
  let pages: 'each' | 'first' = 'first';
  if (multi.length > 0) {
    const answer = await deps.askPages(multi);
    if (answer === null) return { ...result, cancelled: true };
    pages = answer;
  }

  const skipped: { file: F; outcomes: SkippedOutcome[]; all: boolean }[] = [];
  const collect = (outcomes: ImportPathOutcome[]): void => {
    for (const o of outcomes) {
      if (o.ok) result.imported.push(o.image);
      else if (!isSkipped(o)) result.errors.push(`${o.file}: ${o.error}`);
    }
  };
  // One file at a time: the import is sequential anyway, and uploads keep memory flat.
  for (const file of files) {
    const outcomes = await deps.importFile(file, { pages, skipDuplicates: true });
    collect(outcomes);
    const dupes = outcomes.filter(isSkipped);
    if (dupes.length > 0) skipped.push({ file, outcomes: dupes, all: dupes.length === outcomes.length });
  }
  if (skipped.length === 0) return result;

  const answer = await deps.askDuplicates(skipped.flatMap((s) => s.outcomes.map((o) => ({ name: o.file, duplicateOf: o.skippedDuplicateOf }))));
  if (answer === 'skip') {
    result.skipped.push(...skipped.flatMap((s) => s.outcomes.map((o) => `${o.file}: ${o.error}`)));
    return result;
  }
  for (const { file, outcomes, all } of skipped) {
    // Every page of the file was a duplicate: one more pass over it; otherwise page by page.
    if (all) collect(await deps.importFile(file, { pages, skipDuplicates: false }));
    else for (const o of outcomes) collect(await deps.importFile(file, { page: o.page, skipDuplicates: false }));
  }
  return result;
}

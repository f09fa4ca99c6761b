// The import's questions in order: pages first (only when a file has several), then duplicates
// (only when some page was skipped), and what each answer imports.
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../src-main/api/types';
import type { ImportChoices, ImportPathOutcome } from '../../../src-renderer/api/importFiles';
import { runImportFlow, type DuplicatePage, type DuplicatesAnswer, type MultiPageFile, type PagesAnswer } from '../../../src-renderer/lib/importFlow';

interface FakeFile {
  name: string;
  pages: number;
  /** Ordinals of pages the project already holds (as image 1). */
  duplicates: number[];
}

function summary(id: number, name: string): ImageSummary {
  return { id, name, width: 8, height: 8, bitsPerSample: 8, channels: 1, tileSize: 512, levelSizes: [[8, 8]], pixelSizeNm: null, status: 'ready', sourcePath: name, sourceMissing: false, notice: null, createdAt: '' };
}

function harness(pagesAnswer: PagesAnswer, duplicatesAnswer: DuplicatesAnswer) {
  const calls: { file: string; choices: ImportChoices }[] = [];
  const asked: { pages: MultiPageFile[][]; duplicates: DuplicatePage[][] } = { pages: [], duplicates: [] };
  let nextId = 10;
  const deps = {
    countPages: async (f: FakeFile) => (f.name.endsWith('.txt') ? null : f.pages),
    importFile: async (f: FakeFile, choices: ImportChoices): Promise<ImportPathOutcome[]> => {
      calls.push({ file: f.name, choices });
      if (f.name.endsWith('.txt')) return [{ ok: false, file: f.name, error: 'not a TIFF file' }];
      const ordinals = choices.page !== undefined ? [choices.page] : choices.pages === 'each' ? [...Array(f.pages).keys()] : [0];
      return ordinals.map((k): ImportPathOutcome => {
        const name = f.pages > 1 ? `${f.name} · page ${k + 1}/${f.pages}` : f.name;
        if (choices.skipDuplicates && f.duplicates.includes(k)) return { ok: false, file: name, error: 'already in this project as image 1: skipped', skippedDuplicateOf: 1, page: k };
        return { ok: true, file: name, image: summary(nextId++, name), duplicateOf: null };
      });
    },
    askPages: async (files: MultiPageFile[]) => (asked.pages.push(files), pagesAnswer),
    askDuplicates: async (pages: DuplicatePage[]) => (asked.duplicates.push(pages), duplicatesAnswer),
  };
  return { deps, calls, asked };
}

describe('runImportFlow', () => {
  it('asks nothing for single-page files without duplicates, and reports bad files', async () => {
    const h = harness('each', 'skip');
    const r = await runImportFlow(h.deps, [{ name: 'a.tif', pages: 1, duplicates: [] }, { name: 'notes.txt', pages: 1, duplicates: [] }]);
    expect(h.asked).toEqual({ pages: [], duplicates: [] });
    expect(h.calls.map((c) => c.choices)).toEqual([{ pages: 'first', skipDuplicates: true }, { pages: 'first', skipDuplicates: true }]);
    expect(r.imported.map((i) => i.name)).toEqual(['a.tif']);
    expect(r.errors).toEqual(['notes.txt: not a TIFF file']);
  });

  it('asks about multi-page files and imports every page on "each"', async () => {
    const h = harness('each', 'skip');
    const r = await runImportFlow(h.deps, [{ name: 'stack.tif', pages: 3, duplicates: [] }, { name: 'a.tif', pages: 1, duplicates: [] }]);
    expect(h.asked.pages).toEqual([[{ name: 'stack.tif', pages: 3 }]]);
    expect(r.imported.map((i) => i.name)).toEqual(['stack.tif · page 1/3', 'stack.tif · page 2/3', 'stack.tif · page 3/3', 'a.tif']);
  });

  it('imports first pages only on "first", and nothing on cancel', async () => {
    const first = harness('first', 'skip');
    expect((await runImportFlow(first.deps, [{ name: 's.tif', pages: 3, duplicates: [] }])).imported.map((i) => i.name)).toEqual(['s.tif · page 1/3']);
    const cancel = harness(null, 'skip');
    const r = await runImportFlow(cancel.deps, [{ name: 's.tif', pages: 3, duplicates: [] }]);
    expect(r.cancelled).toBe(true);
    expect(cancel.calls).toEqual([]);
  });

  it('on "skip" leaves duplicate pages out and says so', async () => {
    const h = harness('each', 'skip');
    const r = await runImportFlow(h.deps, [{ name: 's.tif', pages: 3, duplicates: [1] }]);
    expect(h.asked.duplicates).toEqual([[{ name: 's.tif · page 2/3', duplicateOf: 1 }]]);
    expect(r.imported.map((i) => i.name)).toEqual(['s.tif · page 1/3', 's.tif · page 3/3']);
    expect(r.skipped).toEqual(['s.tif · page 2/3: already in this project as image 1: skipped']);
    expect(h.calls).toHaveLength(1);
  });

  it('on "import anyway" imports the skipped page alone, or the whole file again when every page was skipped', async () => {
    const h = harness('each', 'import');
    const r = await runImportFlow(h.deps, [
      { name: 's.tif', pages: 3, duplicates: [1] },
      { name: 'dup.tif', pages: 1, duplicates: [0] },
    ]);
    expect(h.calls.slice(2).map((c) => [c.file, c.choices])).toEqual([
      ['s.tif', { page: 1, skipDuplicates: false }],
      ['dup.tif', { pages: 'each', skipDuplicates: false }],
    ]);
    expect(r.imported.map((i) => i.name)).toEqual(['s.tif · page 1/3', 's.tif · page 3/3', 's.tif · page 2/3', 'dup.tif']);
    expect(r.skipped).toEqual([]);
  });
});

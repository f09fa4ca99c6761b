// Where a page's strips (or tiles) lie must make sense before a single one is decoded: a block
// whose bytes are the header or a directory, or that shares bytes with another block, is damage
// or a crafted file, and importing it would store the file's own structure as pixels (a file
// whose every StripOffset is 0 imported as "complete", its pixels the header).
import { ImageImportError } from './importError';
import type { MetadataRange } from './tiffIfd';

export interface BlockLayout {
  /** 'strip' or 'tile', for messages. */
  what: 'strip' | 'tile';
  offsets: readonly number[];
  byteCounts: readonly number[];
  /**
   * Whether two blocks may be the very same bytes (same offset, same count): some writers store one
   * copy of identical (e.g. empty) tiles. Strips, one per band of rows, never repeat.
   */
  sharedBlocksAllowed: boolean;
}

interface Span {
  start: number;
  end: number;
  /** Index of the block, or -1 for a metadata range. */
  block: number;
  what: string;
}

/**
 * Throws ImageImportError('bad-offsets') when a block with data starts inside the header, overlaps
 * a directory or tag values, or overlaps another block (beyond an allowed exact repeat). Blocks of
 * 0 bytes hold nothing (sparse files) and are not checked. Offsets past the end of the file are
 * checked before this (tiffProbe).
 */
export function checkBlockLayout(name: string, layout: BlockLayout, metadata: readonly MetadataRange[]): void {
  const { what, offsets, byteCounts } = layout;
  const total = offsets.length;
  const label = (block: number) => `${what} ${block + 1} of ${total}`;
  const spans: Span[] = metadata.filter((m) => m.end > m.start).map((m) => ({ ...m, block: -1 }));
  for (let i = 0; i < total; i++) {
    const count = byteCounts[i] ?? 0;
    if (count > 0) spans.push({ start: offsets[i] ?? 0, end: (offsets[i] ?? 0) + count, block: i, what: label(i) });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  // Any two overlapping spans are found as the later one against the span reaching furthest so far.
  let cover: Span | null = null;
  for (const span of spans) {
    if (cover !== null && span.start < cover.end && (span.block >= 0 || cover.block >= 0)) {
      const sameBytes = span.start === cover.start && span.end === cover.end;
      if (!(sameBytes && span.block >= 0 && cover.block >= 0 && layout.sharedBlocksAllowed)) throw overlapError(name, span, cover);
    }
    if (cover === null || span.end > cover.end) cover = span;
  }
}

function overlapError(name: string, span: Span, cover: Span): ImageImportError {
  const block = span.block >= 0 ? span : cover;
  const other = block === span ? cover : span;
  const where = `bytes ${block.start}–${block.end}`;
  if (other.block < 0)
    return new ImageImportError(
      'bad-offsets',
      `${name} is damaged: its ${block.what} lies at ${where}, inside ${other.what}, so its pixels would be the file's own structure.`,
    );
  const repeat = block.start === other.start && block.end === other.end;
  return new ImageImportError(
    'bad-offsets',
    repeat
      ? `${name} is damaged: ${other.what} and ${block.what} point at the same bytes (${where}); each must hold its own pixels.`
      : `${name} is damaged: ${other.what} and ${block.what} overlap (${block.what} lies at ${where}).`,
  );
}

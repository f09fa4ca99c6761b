// How many images a dropped TIFF holds, read in the browser from its directory chain only (a
// few hundred bytes per page, whatever the file's size), so the UI can ask "every page, or the
// first?" before anything is uploaded. The walk and the rule of what counts as an image are the
// import probe's own (src-shared/tiffIfd.ts): a page is an image unless its NewSubfileType marks
// it a reduced-resolution copy. The import stays the judge of the file: anything this reader
// cannot follow answers null, and the import reports what is wrong.
// Why not a TIFF library such as utif: UTIF.decode needs the whole file as one ArrayBuffer (a
// dropped microscopy TIFF can be many gigabytes), reads no BigTIFF (it answers one garbage
// directory for a two-page BigTIFF), and follows a directory chain that loops back on itself
// forever.
import { ifdChain, ifdEntries, ifdLayout, isImagePage, NEW_SUBFILE_TYPE, parseTiffHeader, tiffValue, type TiffHeader } from '../../src-shared/tiffIfd';

const ONLY_SUBFILE_TYPE: ReadonlySet<number> = new Set([NEW_SUBFILE_TYPE]);

async function bytesAt(blob: Blob, offset: number, length: number): Promise<DataView | null> {
  if (offset < 0 || offset + length > blob.size) return null;
  return new DataView(await blob.slice(offset, offset + length).arrayBuffer());
}

/** NewSubfileType of the directory whose entry table is `table` (0 when absent), or null when its value cannot be read. */
async function subfileType(blob: Blob, header: TiffHeader, table: DataView, count: number, tableAt: number): Promise<number | null> {
  const entry = ifdEntries(table, count, tableAt, header, ONLY_SUBFILE_TYPE)[0];
  if (!entry) return 0;
  const values = entry.inlineAt === null ? await bytesAt(blob, entry.valueOffset, entry.byteLength) : table;
  if (!values) return null;
  return tiffValue(values, entry.inlineAt ?? 0, entry.type, header.littleEndian);
}

/** Image pages (not reduced-resolution copies) in a TIFF, or null when it is not one this reader can follow. */
export async function countTiffImagePages(blob: Blob): Promise<number | null> {
  const head = await bytesAt(blob, 0, Math.min(16, blob.size));
  const parsed = head && parseTiffHeader(head);
  if (!parsed?.ok) return null;
  const { header } = parsed;
  const { entrySize } = ifdLayout(header.bigTiff);
  const kinds: number[] = [];
  // A damaged chain ends where this reader can go no further, as in the probe.
  for await (const dir of ifdChain(header, { read: (offset, length) => bytesAt(blob, offset, length) })) {
    if (dir.count === 0 || dir.count > 10_000) break;
    const table = await bytesAt(blob, dir.tableAt, dir.count * entrySize);
    const kind = table && (await subfileType(blob, header, table, dir.count, dir.tableAt));
    if (kind === null) break;
    kinds.push(kind);
  }
  if (kinds.length === 0) return null;
  return kinds.filter((k) => isImagePage(k, kinds.length)).length;
}

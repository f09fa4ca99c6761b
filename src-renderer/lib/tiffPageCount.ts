// How many images a dropped TIFF holds, read in the browser from its directory chain only (a
// few hundred bytes per page, whatever the file's size), so the UI can ask "every page, or the
// first?" before anything is uploaded. It follows the rule of the import's own probe
// (core/imaging/tiffProbe): a page is an image unless its NewSubfileType marks it a
// reduced-resolution copy. The import stays the judge of the file: anything this reader cannot
// follow answers null, and the import reports what is wrong.
// Why not a TIFF library such as utif: UTIF.decode needs the whole file as one ArrayBuffer (a
// dropped microscopy TIFF can be many gigabytes; this reads a few hundred bytes per page), reads
// no BigTIFF (it answers one garbage directory for a two-page BigTIFF), and follows a directory
// chain that loops back on itself forever. The core's reader (core/imaging/tiffIfd) reads
// through a Node file handle, which the browser does not have.

/** As many pages as the import's probe follows. */
const MAX_PAGES = 100_000;
const NEW_SUBFILE_TYPE = 254;

async function bytesAt(blob: Blob, offset: number, length: number): Promise<DataView | null> {
  if (offset < 0 || offset + length > blob.size) return null;
  return new DataView(await blob.slice(offset, offset + length).arrayBuffer());
}

function unsigned(view: DataView, at: number, size: 2 | 4 | 8, le: boolean): number {
  if (size === 2) return view.getUint16(at, le);
  if (size === 4) return view.getUint32(at, le);
  return Number(view.getBigUint64(at, le));
}

/** NewSubfileType of one directory entry (SHORT, LONG or LONG8), 0 for other types. */
function subfileValue(view: DataView, at: number, big: boolean, le: boolean): number {
  const type = view.getUint16(at + 2, le);
  const valueAt = at + (big ? 12 : 8);
  if (type === 3) return view.getUint16(valueAt, le);
  if (type === 4) return view.getUint32(valueAt, le);
  if (type === 16 && big) return Number(view.getBigUint64(valueAt, le));
  return 0;
}

/** Image pages (not reduced-resolution copies) in a TIFF, or null when it is not one this reader can follow. */
export async function countTiffImagePages(blob: Blob): Promise<number | null> {
  const header = await bytesAt(blob, 0, Math.min(16, blob.size));
  if (!header || header.byteLength < 8) return null;
  const order = header.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const le = order === 0x4949;
  const magic = header.getUint16(2, le);
  if (magic !== 42 && magic !== 43) return null;
  const big = magic === 43;
  if (big && header.byteLength < 16) return null;
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const offsetSize = big ? 8 : 4;

  const kinds: number[] = [];
  const seen = new Set<number>();
  let offset = big ? unsigned(header, 8, 8, le) : unsigned(header, 4, 4, le);
  while (offset !== 0 && !seen.has(offset) && kinds.length < MAX_PAGES) {
    seen.add(offset);
    const countView = await bytesAt(blob, offset, countSize);
    if (!countView) break;
    const count = unsigned(countView, 0, countSize, le);
    if (count === 0 || count > 10_000) break;
    const dir = await bytesAt(blob, offset + countSize, count * entrySize);
    if (!dir) break;
    let kind = 0;
    for (let i = 0; i < count; i++) {
      if (dir.getUint16(i * entrySize, le) === NEW_SUBFILE_TYPE) kind = subfileValue(dir, i * entrySize, big, le);
    }
    kinds.push(kind);
    // A damaged chain ends here, as in the probe.
    const next = await bytesAt(blob, offset + countSize + count * entrySize, offsetSize);
    if (!next) break;
    offset = unsigned(next, 0, offsetSize, le);
  }
  if (kinds.length === 0) return null;
  // A lone page is an image whatever it says (the probe's rule too).
  if (kinds.length === 1) return 1;
  return kinds.filter((k) => (k & 1) === 0).length;
}

// The interchange format of the reference fixture: a manifest.json listing named arrays, each
// stored as a raw little-endian float32 file in row-major order. Used for model weights and for
// the maps `micra maps` writes. Readers check every size so a truncated file is an error, never
// a silently short (or zero-filled) array.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const ArrayEntrySchema = z.object({
  file: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  byteOrder: z.literal('little'),
});
export type ArrayEntry = z.infer<typeof ArrayEntrySchema>;

/** The manifest: arrays plus any other top-level keys (model, card, cases…), kept as they are. */
export const F32ManifestSchema = z.looseObject({
  arrays: z.record(z.string(), ArrayEntrySchema),
});
export type F32Manifest = z.infer<typeof F32ManifestSchema>;

export interface F32Array {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export async function readF32Manifest(manifestPath: string): Promise<F32Manifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    throw new Error(`cannot read manifest ${manifestPath}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`manifest ${manifestPath} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = F32ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`manifest ${manifestPath} is malformed: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Reads one named array of a manifest; `dir` is the manifest's folder. */
export async function readF32Array(manifest: F32Manifest, dir: string, name: string): Promise<F32Array> {
  const entry = manifest.arrays[name];
  if (!entry) throw new Error(`array '${name}' is missing from the manifest in ${dir}`);
  const file = path.resolve(dir, entry.file);
  if (path.relative(dir, file).startsWith('..')) throw new Error(`array '${name}' points outside ${dir}: ${entry.file}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`cannot read array '${name}' (${file}): ${(e as Error).message}`);
  }
  const expected = shapeSize(entry.shape) * 4;
  if (bytes.byteLength !== expected) {
    throw new Error(
      `array '${name}' (${file}) holds ${bytes.byteLength} bytes, expected ${expected} for shape [${entry.shape.join(', ')}]`,
    );
  }
  const data = new Float32Array(expected / 4);
  // Explicit little-endian reads: correct on any host, and independent of the Buffer's alignment.
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
  return { data, shape: [...entry.shape] };
}

/** Turns an array name into a file name the way the fixture does ("a/b" → "a__b.f32"). */
export function fileNameForArray(name: string): string {
  const safe = name.replaceAll('/', '__');
  if (!/^[A-Za-z0-9_.-]+$/.test(safe)) throw new Error(`array name '${name}' has characters not allowed in a file name`);
  return `${safe}.f32`;
}

const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';

/** The values as little-endian float32 bytes (a copy: the caller may reuse its array). */
function littleEndianBytes(data: Float32Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const buf = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) buf.writeFloatLE(data[i] as number, i * 4);
  return buf;
}

/**
 * Writes arrays + manifest.json into `dir`. Extra top-level manifest keys go in `meta`.
 * The manifest is written last (via a temporary name) so a reader never sees a manifest that
 * refers to files not yet written.
 */
export async function writeF32Manifest(
  dir: string,
  arrays: ReadonlyMap<string, F32Array>,
  meta: Record<string, unknown> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const entries: Record<string, ArrayEntry> = {};
  const writes: Promise<void>[] = [];
  for (const [name, arr] of arrays) {
    if (arr.data.length !== shapeSize(arr.shape)) {
      throw new Error(`array '${name}' has ${arr.data.length} values but shape [${arr.shape.join(', ')}]`);
    }
    const file = fileNameForArray(name);
    writes.push(writeFile(path.join(dir, file), littleEndianBytes(arr.data)));
    entries[name] = { file, shape: [...arr.shape], dtype: 'float32', byteOrder: 'little' };
  }
  // All at once: a training checkpoint is ~100 files, and one write at a time waits a thread-pool
  // round trip each (measured: 0.3 s per epoch of a fine-tuning run whose epochs take 0.06 s).
  await Promise.all(writes);
  const manifestPath = path.join(dir, 'manifest.json');
  const tmp = `${manifestPath}.tmp`;
  await writeFile(tmp, JSON.stringify({ ...meta, arrays: entries }, null, 1));
  await rename(tmp, manifestPath);
  return manifestPath;
}

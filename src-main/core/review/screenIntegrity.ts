// Whether a model's sweep screen can be loaded, checked in main before a sweep uses it (without
// TensorFlow.js): a screen whose manifest or weights files are damaged (a copy interrupted
// mid-write, a bad disk; the model folder is untrusted input) would fail every engine worker at
// start, and with it the sweep. Such a sweep scores every crop with the full model instead.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readF32Manifest, shapeSize } from '../ml/weights/f32Manifest';

/** Why the screen whose manifest is `manifest` cannot be loaded, or null when its files are whole. */
export async function screenDefect(manifest: string): Promise<string | null> {
  try {
    const m = await readF32Manifest(manifest);
    const dir = path.dirname(manifest);
    for (const [name, entry] of Object.entries(m.arrays)) {
      const file = path.resolve(dir, entry.file);
      if (path.relative(dir, file).startsWith('..')) return `array '${name}' points outside ${dir}: ${entry.file}`;
      const expected = shapeSize(entry.shape) * 4;
      const { size } = await stat(file);
      if (size !== expected) return `array '${name}' (${file}) holds ${size} bytes, expected ${expected}`;
    }
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

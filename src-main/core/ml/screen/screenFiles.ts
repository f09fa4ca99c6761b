// Where a model's screen lives, without TensorFlow.js (main resolves it before a sweep starts).
import path from 'node:path';

/** Where a distilled screen is written, relative to the model's manifest folder. */
export const SCREEN_MANIFEST = 'screen/manifest.json';

/** The screen manifest named by a model card (`file`, relative to the model's manifest folder). */
export function screenManifestPath(modelManifest: string, file = SCREEN_MANIFEST): string {
  const dir = path.dirname(path.resolve(modelManifest));
  const resolved = path.resolve(dir, file);
  // The card is untrusted input: its screen stays inside the model's folder.
  const rel = path.relative(dir, resolved);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`the model card's screen file ${file} lies outside the model's folder`);
  return resolved;
}

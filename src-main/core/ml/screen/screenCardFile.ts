// Writes a screen's card (threshold, recall, pass rate, provenance) into the model's manifest,
// beside everything else there, via a temporary file and a rename: a reader sees the old manifest
// or the new one, never half of one. The screen's own manifest must already be written.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { ScreenCardSchema, type ScreenCard } from '../weights/modelCard';

export async function writeScreenCard(modelManifest: string, screen: ScreenCard | null): Promise<void> {
  const json = JSON.parse(await readFile(modelManifest, 'utf8')) as Record<string, unknown>;
  const card = { ...((json['card'] as Record<string, unknown> | undefined) ?? {}) };
  if (screen) card['screen'] = ScreenCardSchema.parse(screen);
  else delete card['screen'];
  const tmp = `${modelManifest}.tmp`;
  await writeFile(tmp, JSON.stringify({ ...json, card }, null, 1));
  await rename(tmp, modelManifest);
}

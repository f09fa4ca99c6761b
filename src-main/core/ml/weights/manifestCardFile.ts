// Rewrites the card inside a weights manifest, beside everything else there (the arrays, other
// fields), via a temporary file and a rename: a reader sees the old manifest or the new one,
// never half of one. One way for every writer of a card after the weights exist (the screen's
// card, a class threshold the user sets, the threshold scripts/sweepThreshold.ts chooses).
import { readFile, rename, writeFile } from 'node:fs/promises';

export type StoredCard = Record<string, unknown>;

export async function updateManifestCard(manifestPath: string, update: (card: StoredCard) => StoredCard): Promise<void> {
  const json = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  const card = update({ ...((json['card'] as StoredCard | undefined) ?? {}) });
  const tmp = `${manifestPath}.tmp`;
  await writeFile(tmp, JSON.stringify({ ...json, card }, null, 1));
  await rename(tmp, manifestPath);
}

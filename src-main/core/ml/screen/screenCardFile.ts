// Writes a screen's card (threshold, recall, pass rate, provenance) into the model's manifest,
// beside everything else there (weights/manifestCardFile.ts: temp file and rename). The screen's
// own manifest must already be written.
import { updateManifestCard } from '../weights/manifestCardFile';
import { ScreenCardSchema, type ScreenCard } from '../weights/modelCard';

export async function writeScreenCard(modelManifest: string, screen: ScreenCard | null): Promise<void> {
  await updateManifestCard(modelManifest, (card) => {
    if (screen) card['screen'] = ScreenCardSchema.parse(screen);
    else delete card['screen'];
    return card;
  });
}

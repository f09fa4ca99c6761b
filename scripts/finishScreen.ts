// `npx tsx scripts/finishScreen.ts --model models/default/manifest.json --data DIR [--heldout heldout]`:
// sets a distilled screen's thresholds with the app's own engine and threshold rule, and writes
// them into the model card. The screen (DIR's crops distilled by scripts/distillScreenTorch.py into
// <model folder>/screen/) scores the held-out crops (exportSweepCrops.ts --name heldout) on the
// engine; the full model's logits of the same crops come from DIR/heldout.teacher.f32 (written by
// distillScreenTorch.py --teacher-only heldout: PyTorch, the same weights); a crop is one of the
// crops the screen must keep when the full model's probability reaches the card's class threshold,
// or the second look's floor when lower (screenThreshold.ts keepFromScore). Prints the card. Run
// again alone, it re-derives the thresholds and keeps the screen's distillation date.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src-main/core/ml/backend';
import { applyPreprocessing } from '../src-main/core/ml/preprocess';
import { screenLogits } from '../src-main/core/ml/screen/distillScreen';
import { writeScreenCard } from '../src-main/core/ml/screen/screenCardFile';
import { chooseScreenThreshold, keepFromScore, TARGET_RECALL } from '../src-main/core/ml/screen/screenThreshold';
import { SECOND_LOOK_FLOOR } from '../src-main/core/ml/sweep/secondLook';
import { loadScreen, SCREEN_MANIFEST, screenManifestPath } from '../src-main/core/ml/screen/screenWeights';
import { readModelCard } from '../src-main/core/review/sweepModel';
import { weightsDigest } from '../src-main/core/ml/weights/weightsDigest';
import { sigmoid } from '../src-main/core/ml/sigmoid';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/default/manifest.json' }, data: { type: 'string' }, heldout: { type: 'string', default: 'heldout' } } });
if (!values.data) throw new Error('--data DIR is required');
const modelManifest = path.resolve(values.model ?? '');
const card = await readModelCard(modelManifest);
const size = card.inputSize;
const backend = await initBackend();
const screenFile = screenManifestPath(modelManifest, SCREEN_MANIFEST);
const screen = await loadScreen(screenFile);
const screenMeta = JSON.parse(readFileSync(screenFile, 'utf8')) as {
  distillation?: { crops?: number; seed?: number; trainer?: string; backend?: string; distilledAt?: string };
};
// Re-deriving only the thresholds (a new class threshold, a new second-look floor) keeps the
// screen's own date: the weights' manifest records it (older ones: the file's time).
const distilledAt = screenMeta.distillation?.distilledAt ?? statSync(screenFile).mtime.toISOString();

const bytes = readFileSync(path.join(values.data, `${values.heldout}.u8`));
const count = bytes.length / (size * size);
const crops: Float32Array[] = [];
for (let n = 0; n < count; n++) {
  const crop = new Float32Array(size * size);
  for (let i = 0; i < crop.length; i++) crop[i] = (bytes[n * size * size + i] as number) / 255;
  crops.push(applyPreprocessing(crop, card.preprocessing));
}
// The teacher logits must be this model's: distillScreenTorch.py stamps them with the digest of the
// weights they came from (an older default's logits would set a wrong threshold without a sound).
const teacherStamp = path.join(values.data, `${values.heldout}.teacher.json`);
const stamped = existsSync(teacherStamp) ? (JSON.parse(readFileSync(teacherStamp, 'utf8')) as { model?: unknown }).model : undefined;
if (stamped !== (await weightsDigest(modelManifest))) {
  throw new Error(`${teacherStamp} does not name this model's weights: run distillScreenTorch.py --model ${path.dirname(modelManifest)} --teacher-only ${values.heldout} first`);
}
const teacherBytes = readFileSync(path.join(values.data, `${values.heldout}.teacher.f32`));
const classes = card.classes.length;
if (teacherBytes.length !== count * classes * 4) throw new Error(`teacher logits hold ${teacherBytes.length / 4} values for ${count} crops × ${classes} classes`);
const teacher = (k: number, c: number): number => teacherBytes.readFloatLE((k * classes + c) * 4);
const logits = await screenLogits(screen, crops, size, card.inChannels);

const choices = card.classes.map((_, c) => {
  const probs = logits.map((l) => sigmoid(l[c] as number));
  const positive = probs.map((_, k) => sigmoid(teacher(k, c)) >= keepFromScore(card.classThresholds[c] as number, SECOND_LOOK_FLOOR));
  const choice = chooseScreenThreshold(probs, positive, TARGET_RECALL);
  if (!choice) throw new Error(`no held-out crop is positive for class ${card.classes[c]}: nothing to set the threshold on`);
  return choice;
});
const screenCard = {
  file: SCREEN_MANIFEST,
  thresholds: choices.map((c) => c.threshold),
  targetRecall: TARGET_RECALL,
  keepFrom: card.classThresholds.map((t) => keepFromScore(t, SECOND_LOOK_FLOOR)),
  recall: choices.map((c) => c.recall),
  passRate: choices.map((c) => c.passRate),
  heldOutCrops: count,
  heldOutPositives: choices.map((c) => c.positives),
  distilledOn: screenMeta.distillation?.crops ?? 0,
  trainer: `${screenMeta.distillation?.trainer ?? 'unknown'} (${screenMeta.distillation?.backend ?? '?'}); thresholds: scripts/finishScreen.ts on ${backend.name}`,
  seed: screenMeta.distillation?.seed ?? 0,
  distilledAt,
  thresholdsSetAt: new Date().toISOString(),
};
await writeScreenCard(modelManifest, screenCard);
console.log(JSON.stringify(screenCard, null, 1));

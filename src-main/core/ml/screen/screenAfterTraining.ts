// Main side of the automatic distillation: after a training run leaves a model ready, its sweep
// screen is distilled from the project's own images ('screenDistill' job in the compute process)
// and the card the project keeps for the model is refreshed with the screen's thresholds. Skipped
// when the project's "screen crops first" setting is off or it has no ready image. A failed or
// cancelled distillation leaves the model as it was: sweeps then score every crop in full.
import { readFileSync } from 'node:fs';
import type { AppEvents } from '../../app/appEvents';
import type { JobRunner } from '../../jobs/jobRunner';
import type { ProjectStore } from '../../project/projectStore';
import { imageGeometry } from '../../project/imageSummary';
import type { TrainingRepo } from '../../project/trainingRepo';
import type { DistillScreenParams } from './distillJob';

export function distillScreenAfterTraining(
  deps: { store: ProjectStore; runner: JobRunner; events: AppEvents },
  training: TrainingRepo,
  modelId: number,
  weightsManifest: string,
  seed: number,
): number | null {
  const { store, runner, events } = deps;
  if (!store.settings.sweepScreen()) return null;
  const images = store.images.listByStatus('ready');
  if (images.length === 0) return null;
  const params: DistillScreenParams = {
    projectDir: store.dir,
    weightsManifest,
    images: images.map((row) => {
      const { levels: _levels, ...geometry } = imageGeometry(row);
      return geometry;
    }),
    seed,
  };
  const job = runner.run('screenDistill', params);
  job.result.then(
    () => {
      const card = (JSON.parse(readFileSync(weightsManifest, 'utf8')) as { card?: unknown }).card;
      if (card) training.setModelCard(modelId, card);
      events.emit('models.changed', { modelId });
    },
    (err: unknown) => console.error(`model ${modelId}: the sweep screen was not distilled:`, err instanceof Error ? err.message : err),
  );
  return job.jobId;
}

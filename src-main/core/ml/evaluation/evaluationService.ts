// Main side of evaluation.run: the model's split of the project's labelled crops, scored in the
// compute process ('evaluate' job); resolves with the job's result.
import path from 'node:path';
import type { JobRunner } from '../../jobs/jobRunner';
import { resolveStoredPath } from '../../project/projectLayout';
import type { ProjectStore } from '../../project/projectStore';
import type { DatasetSplit } from '../../project/trainingRepo';
import { buildDataset } from '../dataset/buildDataset';
import { EvaluateParamsSchema, EvaluateResultSchema, type EvaluateResult } from './evaluateJobSchema';
import { DomainError } from '../../../api/domainError';

export async function runEvaluation(
  deps: { store: ProjectStore; runner: JobRunner },
  modelId: number,
  split: DatasetSplit,
): Promise<EvaluateResult & { jobId: number; modelId: number; split: DatasetSplit }> {
  const { store, runner } = deps;
  const model = store.models.get(modelId);
  if (!model || model.status !== 'ready') throw new DomainError('bad-request', `model ${modelId} does not exist or is not ready`);
  const card = model.card as { classes?: unknown; inputSize?: unknown };
  if (!Array.isArray(card.classes) || typeof card.inputSize !== 'number') throw new DomainError('bad-request', `model ${modelId} has no usable card`);
  const classIds = card.classes.map((name) => (typeof name === 'string' ? store.classes.findByName(name)?.id : undefined));
  if (!classIds.every((id): id is number => id !== undefined)) {
    throw new DomainError('bad-request', `the project lacks some of model ${modelId}'s classes (${card.classes.join(', ')})`);
  }
  const { spec } = buildDataset(store, { cropSize: card.inputSize, puRatio: 0, classIds });
  const onSplit = spec.items.filter((it) => it.split === split);
  if (onSplit.length === 0) throw new DomainError('bad-request', `no labelled ${card.inputSize}² crops in the ${split} split`);
  const params = EvaluateParamsSchema.parse({ projectDir: store.dir, modelManifest: path.join(resolveStoredPath(store.dir, model.dir), 'manifest.json'), dataset: { ...spec, items: onSplit }, split });
  const started = runner.run('evaluate', params);
  const result = EvaluateResultSchema.parse(await started.result);
  return { ...result, jobId: started.jobId, modelId, split };
}

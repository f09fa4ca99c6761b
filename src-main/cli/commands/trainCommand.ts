// `micra train --project DIR [--mode all|linear|linear+4|linear+3-4] [--epochs N] [--pu-ratio 1:5]
//  [--base-model default|ID|PATH/manifest.json] [--batch-size N] [--learning-rate X] [--seed N] [--crop-size N] [--workers N] [--resume ID]`:
// trains on the project's labelled crops through the same service as the app (compute
// process, model row, history); prints one JSON line per epoch, then one final line with the
// model. Exit 1 when training fails. A base given as PATH is imported into the project first
// (once: the same folder with the same weights is reused), so every base is a project model.
import { resolve } from 'node:path';
import type { EventName } from '../../api/types';
import { dispatchRequest } from '../../core/app/requestDispatcher';
import { importBaseOnce } from '../../core/ml/training/baseModelImport';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';
import { parseBaseModelArg } from './baseModelArg';
import { resolveUserPath } from '../../core/project/userPath';

const MODES = ['all', 'linear', 'linear+4', 'linear+3-4'] as const;

/** "1:5" or "5" → 5 (unlabelled crops per positive). */
export function parsePuRatio(text: string): number {
  const m = /^(?:1:)?(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new UsageError(`--pu-ratio must look like 1:5, got '${text}'`);
  return Number(m[1]);
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a positive number`);
  return n;
}

function positiveInt(value: string, flag: string): number {
  const n = nonNegativeInt(value, flag);
  if (n < 1) throw new UsageError(`--${flag} must be at least 1`);
  return n;
}

export async function runTrainCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    mode: { type: 'string', default: 'all' },
    epochs: { type: 'string', default: '10' },
    'pu-ratio': { type: 'string', default: '1:5' },
    'base-model': { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    seed: { type: 'string' },
    'crop-size': { type: 'string' },
    workers: { type: 'string' },
    resume: { type: 'string' },
  });
  const mode = values.mode as (typeof MODES)[number];
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
  const baseArg = values['base-model'] === undefined ? undefined : parseBaseModelArg(values['base-model']);
  const app = createNodeApp('cli');
  try {
    await app.openProject(resolveUserPath(requiredString(values.project, 'project')), false);
    const base =
      baseArg?.kind === 'path'
        ? { kind: 'model' as const, id: (await importBaseOnce(app.requireProject().store, resolve(baseArg.path))).modelId }
        : baseArg;
    const request = values.resume
      ? { channel: 'training.resume', params: { modelId: nonNegativeInt(values.resume, 'resume') } }
      : {
          channel: 'training.start',
          params: {
            mode,
            epochs: nonNegativeInt(values.epochs, 'epochs'),
            puRatio: parsePuRatio(values['pu-ratio'] ?? '1:5'),
            ...(base ? { base } : {}),
            ...(values['batch-size'] ? { batchSize: nonNegativeInt(values['batch-size'], 'batch-size') } : {}),
            ...(values['learning-rate'] ? { learningRate: positiveNumber(values['learning-rate'], 'learning-rate') } : {}),
            ...(values.seed ? { seed: nonNegativeInt(values.seed, 'seed') } : {}),
            ...(values['crop-size'] ? { cropSize: nonNegativeInt(values['crop-size'], 'crop-size') } : {}),
            // Shard workers of data-parallel steps (default: every core).
            ...(values.workers ? { workers: positiveInt(values.workers, 'workers') } : {}),
          },
        };
    let modelId = 0;
    const settled = new Promise<void>((done) => {
      app.events.subscribe((event: EventName, payload: unknown) => {
        const p = payload as { modelId: number | null };
        if (event === 'training.epoch' && p.modelId === modelId) console.log(JSON.stringify({ type: 'epoch', ...(payload as object) }));
        if (event === 'models.changed' && p.modelId === modelId) done();
      });
    });
    const started = await dispatchRequest(app.handlers, request.channel, request.params);
    if (!started.ok) throw new Error(started.error.message);
    modelId = (started.result as { modelId: number }).modelId;
    await settled;
    const list = await dispatchRequest(app.handlers, 'models.list', {});
    const model = list.ok ? (list.result as Array<{ id: number; status: string }>).find((m) => m.id === modelId) : undefined;
    const { store } = app.requireProject();
    const run = store.training.getRun(modelId);
    console.log(JSON.stringify({ type: 'final', modelId, outcome: run?.outcome ?? null, error: run?.error ?? null, model }));
    return model?.status === 'ready' ? 0 : 1;
  } finally {
    await app.close();
  }
}

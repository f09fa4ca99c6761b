// Crop labelling, dataset, training, models and evaluation (see api/channels/trainingChannels.ts).
// Thin: the work is in core/ml/dataset (labelling, dataset), core/ml/training (training service,
// model registry) and core/ml/evaluation; input errors become 'bad-request' failures.
import { DEFAULT_CLASS_COLOR } from '../../ml/dataset/classColors';
import { buildDataset } from '../../ml/dataset/buildDataset';
import { CropLabelError, gridPage, labelCounts, labelCrop, undoLastLabel } from '../../ml/dataset/cropLabelling';
import { seededSplit } from '../../ml/dataset/datasetSplits';
import { EvaluationInputError, runEvaluation } from '../../ml/evaluation/evaluationService';
import { BaseModelInputError, listBaseOffers } from '../../ml/training/baseModels';
import { exportModel, importModel, listModels, ModelInputError, setClassThreshold } from '../../ml/training/modelRegistry';
import { reconcileInterruptedRuns, resumeTraining, startTraining, TrainingInputError } from '../../ml/training/trainingService';
import { TrainingRepo } from '../../project/trainingRepo';
import type { AppContext, HandlerGroup } from '../appContext';
import { ApiFailure } from '../requestDispatcher';

type TrainingChannel =
  | 'classes.list'
  | 'classes.create'
  | 'crops.grid'
  | 'crops.label'
  | 'crops.undo'
  | 'dataset.stats'
  | 'dataset.setSplit'
  | 'training.start'
  | 'training.resume'
  | 'training.history'
  | 'training.baseModels'
  | 'models.list'
  | 'models.setActive'
  | 'models.export'
  | 'models.import'
  | 'models.setThreshold'
  | 'evaluation.run';

const INPUT_ERRORS = [CropLabelError, TrainingInputError, ModelInputError, EvaluationInputError, BaseModelInputError];

async function guarded<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (INPUT_ERRORS.some((E) => err instanceof E)) throw new ApiFailure('bad-request', (err as Error).message);
    throw err;
  }
}

export function trainingHandlers(app: AppContext): HandlerGroup<TrainingChannel> {
  const deps = () => {
    const { store, runner } = app.requireProject();
    return { store, runner, events: app.events };
  };
  const classSummary = (c: { id: number; name: string; color: string; position: number }) => ({ id: c.id, name: c.name, color: c.color, position: c.position });
  return {
    'classes.list': async () => app.requireProject().store.classes.list().map(classSummary),
    'classes.create': async ({ name, color }) => {
      const { store } = app.requireProject();
      if (store.classes.findByName(name)) throw new ApiFailure('bad-request', `a class named "${name}" exists`);
      return classSummary(store.classes.create(name, color ?? DEFAULT_CLASS_COLOR(store.classes.list().length)));
    },
    'crops.grid': async ({ imageId, cropSize, offset, limit, hideBackground }) => {
      const image = app.requireImage(imageId);
      if (image.status !== 'ready') throw new ApiFailure('bad-request', `image ${imageId} is not ready`);
      return gridPage(app.requireProject().store, image, { cropSize, offset, limit, hideBackground });
    },
    'crops.label': async ({ imageId, x, y, size, classId, value, actor }) =>
      guarded(() => {
        const { store } = app.requireProject();
        const r = labelCrop(store, app.requireImage(imageId), { x, y, size, classId, value, actor: actor ?? 'user' });
        return { ...r, counts: labelCounts(store) };
      }),
    'crops.undo': async ({ actor }) => {
      const { store } = app.requireProject();
      const r = undoLastLabel(store, actor ?? 'user');
      return { undoneDecisionId: r?.undoneDecisionId ?? null, cropId: r?.cropId ?? null, counts: labelCounts(store) };
    },
    'dataset.stats': async ({ cropSize, puRatio }) => buildDataset(app.requireProject().store, { cropSize, puRatio }).stats,
    'dataset.setSplit': async ({ imageId, split }) => {
      app.requireImage(imageId);
      new TrainingRepo(app.requireProject().store.db).setSplit(imageId, split);
      return { imageId, split: split ?? seededSplit(imageId) };
    },
    'training.start': async (p) => guarded(() => startTraining(deps(), p)),
    'training.resume': async ({ modelId }) => guarded(() => resumeTraining(deps(), modelId)),
    'training.history': async ({ modelId }) => {
      const d = deps();
      reconcileInterruptedRuns(d);
      const model = d.store.models.get(modelId);
      if (!model) throw new ApiFailure('not-found', `no model ${modelId}`);
      return { modelId, status: model.status, epochs: new TrainingRepo(d.store.db).history(modelId) };
    },
    'training.baseModels': async () => listBaseOffers(app.requireProject().store),
    'models.list': async () => {
      const d = deps();
      reconcileInterruptedRuns(d);
      return listModels(d.store);
    },
    'models.setActive': async ({ id }) =>
      guarded(() => {
        const { store } = app.requireProject();
        try {
          store.settings.setActiveModelId(id);
        } catch (err) {
          throw new ModelInputError((err as Error).message);
        }
        app.events.emit('models.changed', { modelId: id });
        return { activeModelId: store.settings.activeModelId() };
      }),
    'models.export': async ({ id, path }) => guarded(async () => ({ path: await exportModel(app.requireProject().store, id, path) })),
    'models.import': async ({ path, name, supervision, model }) =>
      guarded(async () => {
        const summary = await importModel(app.requireProject().store, path, name, { supervision, model });
        app.events.emit('models.changed', { modelId: summary.id });
        return summary;
      }),
    'models.setThreshold': async ({ id, classIndex, threshold }) =>
      guarded(async () => {
        const summary = await setClassThreshold(app.requireProject().store, id, classIndex, threshold);
        app.events.emit('models.changed', { modelId: id });
        return summary;
      }),
    'evaluation.run': async ({ modelId, split }) => guarded(() => runEvaluation(deps(), modelId, split)),
  };
}

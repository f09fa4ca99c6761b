// Crop labelling, dataset, training, models and evaluation (see api/channels/trainingChannels.ts).
// Thin: the work is in core/ml/dataset (labelling, dataset), core/ml/training (training service,
// model registry) and core/ml/evaluation, whose input errors are DomainErrors ('bad-request').
import type { trainingRequests } from '../../../api/channels/trainingChannels';
import { DEFAULT_CLASS_COLOR } from '../../ml/dataset/classColors';
import { buildDataset } from '../../ml/dataset/buildDataset';
import { gridPage, labelCounts, labelCrop, undoLastLabel } from '../../ml/dataset/cropLabelling';
import { gridOrder, startCropScores } from '../../ml/dataset/cropScoresService';
import { seededSplit } from '../../ml/dataset/datasetSplits';
import { runEvaluation } from '../../ml/evaluation/evaluationService';
import { listBaseOffers } from '../../ml/training/baseModels';
import { exportModel, importModel, listModels, setClassThreshold } from '../../ml/training/modelRegistry';
import { reconcileInterruptedRuns, resumeTraining, startTraining } from '../../ml/training/trainingService';
import type { AppContext, HandlerGroup } from '../appContext';
import { DomainError } from '../../../api/domainError';


export function trainingHandlers(app: AppContext): HandlerGroup<typeof trainingRequests> {
  const deps = () => {
    const { store, runner } = app.requireProject();
    return { store, runner, events: app.events };
  };
  const classSummary = (c: { id: number; name: string; color: string; position: number }) => ({ id: c.id, name: c.name, color: c.color, position: c.position });
  return {
    'classes.list': async () => app.requireProject().store.classes.list().map(classSummary),
    'classes.create': async ({ name, color }) => {
      const { store } = app.requireProject();
      if (store.classes.findByName(name)) throw new DomainError('bad-request', `a class named "${name}" exists`);
      return classSummary(store.classes.create(name, color ?? DEFAULT_CLASS_COLOR(store.classes.list().length)));
    },
    'crops.grid': async ({ imageId, cropSize, offset, limit, hideBackground, order }) => {
      const image = app.requireImage(imageId);
      if (image.status !== 'ready') throw new DomainError('bad-request', `image ${imageId} is not ready`);
      const { store } = app.requireProject();
      const ordered = order === 'raster' ? null : await gridOrder(store, image, cropSize, order);
      const page = await gridPage(store, image, { cropSize, offset, limit, hideBackground, order: ordered ?? undefined });
      return { ...page, order: ordered ? order : 'raster', orderModelId: ordered?.modelId ?? null };
    },
    'crops.score': async ({ imageId, cropSize }) => {
      const image = app.requireImage(imageId);
      if (image.status !== 'ready') throw new DomainError('bad-request', `image ${imageId} is not ready`);
      const { store, runner } = app.requireProject();
      return startCropScores(store, runner, image, cropSize);
    },
    'crops.label': async ({ imageId, x, y, size, classId, value, actor }) => {
      const { store } = app.requireProject();
      const r = labelCrop(store, app.requireImage(imageId), { x, y, size, classId, value, actor: actor ?? 'user' });
      return { ...r, counts: labelCounts(store) };
    },
    'crops.undo': async ({ actor }) => {
      const { store } = app.requireProject();
      const r = undoLastLabel(store, actor ?? 'user');
      return { undoneDecisionId: r?.undoneDecisionId ?? null, cropId: r?.cropId ?? null, counts: labelCounts(store) };
    },
    'dataset.stats': async ({ cropSize, puRatio }) => buildDataset(app.requireProject().store, { cropSize, puRatio }).stats,
    'dataset.setSplit': async ({ imageId, split }) => {
      app.requireImage(imageId);
      app.requireProject().store.training.setSplit(imageId, split);
      return { imageId, split: split ?? seededSplit(imageId) };
    },
    'training.start': async (p) => app.requireProject().featurePrep.yieldWhile(() => startTraining(deps(), p)),
    'training.resume': async ({ modelId }) => app.requireProject().featurePrep.yieldWhile(async () => resumeTraining(deps(), modelId)),
    'training.history': async ({ modelId }) => {
      const d = deps();
      reconcileInterruptedRuns(d);
      const model = d.store.models.get(modelId);
      if (!model) throw new DomainError('not-found', `no model ${modelId}`);
      return { modelId, status: model.status, epochs: d.store.training.history(modelId) };
    },
    'training.baseModels': async () => listBaseOffers(app.requireProject().store),
    'models.list': async () => {
      const d = deps();
      reconcileInterruptedRuns(d);
      return listModels(d.store);
    },
    'models.setActive': async ({ id }) => {
      const { store } = app.requireProject();
      try {
        store.settings.setActiveModelId(id);
      } catch (err) {
        throw new DomainError('bad-request', (err as Error).message);
      }
      app.events.emit('models.changed', { modelId: id });
      return { activeModelId: store.settings.activeModelId() };
    },
    'models.export': async ({ id, path }) => ({ path: await exportModel(app.requireProject().store, id, path) }),
    'models.import': async ({ path, name, supervision, model }) => {
      const summary = await importModel(app.requireProject().store, path, name, { supervision, model });
      app.events.emit('models.changed', { modelId: summary.id });
      return summary;
    },
    'models.setThreshold': async ({ id, classIndex, threshold }) => {
      const summary = await setClassThreshold(app.requireProject().store, id, classIndex, threshold);
      app.events.emit('models.changed', { modelId: id });
      return summary;
    },
    'evaluation.run': async ({ modelId, split }) => runEvaluation(deps(), modelId, split),
  };
}

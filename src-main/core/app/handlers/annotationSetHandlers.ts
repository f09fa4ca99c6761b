// Annotation sets and evaluation against them: thin adapters from the MicraApi to the same core
// functions the CLI runs (import, export, marker crops, evaluate-detections). Errors the user can
// fix (a bad file, an unknown set, no finished sweep) come back as 'bad-request' with the core's
// message, which names the line or feature.
import type { RequestResult } from '../../../api/types';
import { AnnotationSetsRepo } from '../../annotations/sets/annotationSetsRepo';
import { annotationSetFile } from '../../annotations/sets/exportAnnotations';
import { importAnnotationText } from '../../annotations/sets/importAnnotations';
import { markerCrops, MarkerCropsError } from '../../annotations/sets/markerCrops';
import { AnnotationFileError } from '../../annotations/sets/parsedAnnotation';
import { annotationSetSummaries } from '../../annotations/sets/setSummaries';
import { evaluateDetections, EvaluationInputError } from '../../evaluation/evaluateDetections';
import { DEFAULT_TRAINING } from '../../ml/training/trainingService';
import type { ProjectStore } from '../../project/projectStore';
import { DEFAULT_ACTOR } from '../../review/reviewService';
import type { AppContext, HandlerGroup } from '../appContext';
import { ApiFailure } from '../requestDispatcher';

type AnnotationSetChannel =
  | 'annotationSets.list'
  | 'annotationSets.entries'
  | 'annotationSets.import'
  | 'annotationSets.export'
  | 'annotationSets.toCrops'
  | 'evaluation.detections';

function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AnnotationFileError || err instanceof MarkerCropsError || err instanceof EvaluationInputError) throw new ApiFailure('bad-request', err.message);
    throw err;
  }
}

/** The set called `name` (case ignored), or 'not-found' naming the sets there are. */
function requireSetNamed(store: ProjectStore, name: string): { id: number; name: string } {
  const repo = new AnnotationSetsRepo(store.db);
  const set = repo.find(name);
  if (set) return set;
  const names = repo.list().map((s) => s.name);
  throw new ApiFailure('not-found', `no annotation set named ${JSON.stringify(name)} (${names.length ? `the project has ${names.join(', ')}` : 'the project has none'})`);
}

export function annotationSetHandlers(app: AppContext): HandlerGroup<AnnotationSetChannel> {
  return {
    'annotationSets.list': async () => ({ sets: annotationSetSummaries(app.requireProject().store.db) }),
    'annotationSets.entries': async ({ imageId, set }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      const row = requireSetNamed(store, set);
      const entries = new AnnotationSetsRepo(store.db).entries(row.id, imageId);
      return { set: row.name, entries: entries.map((e) => ({ id: e.id, geometry: e.geometry, className: e.className })) } as RequestResult<'annotationSets.entries'>;
    },
    'annotationSets.import': async ({ imageId, set, fileName, text, units, actor }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      const outcome = userErrors(() => importAnnotationText(store, { imageId, setName: set, sourceName: fileName, text, units, actor: actor ?? DEFAULT_ACTOR }));
      app.events.emit('annotationSets.changed', { imageId, set: outcome.set });
      return outcome;
    },
    'annotationSets.export': async ({ imageId, set, format }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      requireSetNamed(store, set);
      const f = annotationSetFile(store, { imageId, setName: set, format });
      return { fileName: f.fileName, contentType: f.contentType, text: f.body, entries: f.entries, markers: f.markers };
    },
    'annotationSets.toCrops': async ({ imageId, set, ratio, seed, cropSize, className, actor }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      requireSetNamed(store, set);
      return userErrors(() =>
        markerCrops(store, { imageId, setName: set, ratio, seed: seed ?? 0, cropSize: cropSize ?? DEFAULT_TRAINING.cropSize, className, actor: actor ?? DEFAULT_ACTOR }),
      );
    },
    'evaluation.detections': async ({ imageId, truth, runId, threshold, against }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      requireSetNamed(store, truth);
      if (against !== undefined) requireSetNamed(store, against);
      return userErrors(() => evaluateDetections(store, { imageId, truth, runId, threshold, against }));
    },
  };
}

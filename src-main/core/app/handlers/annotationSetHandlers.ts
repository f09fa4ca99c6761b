// Annotation sets and evaluation against them: thin adapters from the MicraApi to the same core
// functions the CLI runs (import, export, marker crops, evaluate-detections). Errors the user can
// fix (a bad file, an unknown set, no finished sweep) come back as 'bad-request' with the core's
// message, which names the line or feature.
import type { annotationSetRequests } from '../../../api/channels/annotationSetChannels';
import type { RequestResult } from '../../../api/types';
import { annotationSetFile } from '../../annotations/sets/exportAnnotations';
import { importAnnotationText } from '../../annotations/sets/importAnnotations';
import { markerCrops } from '../../annotations/sets/markerCrops';
import { annotationSetSummaries } from '../../annotations/sets/setSummaries';
import { evaluateDetections } from '../../evaluation/evaluateDetections';
import { deleteAnnotationSet, setDeletionPreview } from '../../annotations/sets/deleteSet';
import { agreementTable } from '../../evaluation/agreementTable';
import { evaluateProject } from '../../evaluation/evaluateProject';
import { reviewerAgreement } from '../../evaluation/reviewerAgreement';
import { DEFAULT_TRAINING } from '../../ml/training/trainingService';
import { DEFAULT_ACTOR } from '../../review/reviewService';
import type { AppContext, HandlerGroup } from '../appContext';

export function annotationSetHandlers(app: AppContext): HandlerGroup<typeof annotationSetRequests> {
  return {
    'annotationSets.list': async () => ({ sets: annotationSetSummaries(app.requireProject().store.annotationSets) }),
    'annotationSets.entries': async ({ imageId, set }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      const row = store.annotationSets.require(set);
      const entries = store.annotationSets.entries(row.id, imageId);
      return { set: row.name, entries: entries.map((e) => ({ id: e.id, geometry: e.geometry, className: e.className })) } as RequestResult<'annotationSets.entries'>;
    },
    'annotationSets.import': async ({ imageId, set, fileName, text, units, actor }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      const outcome = importAnnotationText(store, { imageId, setName: set, sourceName: fileName, text, units, actor: actor ?? DEFAULT_ACTOR });
      app.events.emit('annotationSets.changed', { imageId, set: outcome.set });
      return outcome;
    },
    'annotationSets.export': async ({ imageId, set, format }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      store.annotationSets.require(set);
      const f = annotationSetFile(store, { imageId, setName: set, format });
      return { fileName: f.fileName, contentType: f.contentType, text: f.body, entries: f.entries, markers: f.markers };
    },
    'annotationSets.toCrops': async ({ imageId, set, ratio, seed, cropSize, className, actor }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      store.annotationSets.require(set);
      return markerCrops(store, { imageId, setName: set, ratio, seed: seed ?? 0, cropSize: cropSize ?? DEFAULT_TRAINING.cropSize, className, actor: actor ?? DEFAULT_ACTOR });
    },
    'evaluation.detections': async ({ imageId, truth, runId, threshold, against }) => {
      const { store } = app.requireProject();
      app.requireImage(imageId);
      store.annotationSets.require(truth);
      if (against !== undefined) store.annotationSets.require(against);
      return evaluateDetections(store, { imageId, truth, runId, threshold, against });
    },
    'annotationSets.deletePreview': async ({ set }) => {
      const { store } = app.requireProject();
      store.annotationSets.require(set);
      return setDeletionPreview(store, set);
    },
    'annotationSets.delete': async ({ set, actor }) => {
      const { store } = app.requireProject();
      store.annotationSets.require(set);
      const outcome = deleteAnnotationSet(store, set, actor ?? DEFAULT_ACTOR);
      // Every image the set was on redraws its layers.
      for (const imageId of outcome.imageIds) app.events.emit('annotationSets.changed', { imageId, set: outcome.set });
      return outcome;
    },
    'evaluation.agreement': async ({ imageId, sets }) => {
      const { store } = app.requireProject();
      if (imageId !== undefined) app.requireImage(imageId);
      sets?.forEach((name) => store.annotationSets.require(name));
      return agreementTable(store, { imageId, sets });
    },
    'evaluation.project': async ({ truth, threshold }) => {
      const { store } = app.requireProject();
      store.annotationSets.require(truth);
      return evaluateProject(store, { truth, threshold });
    },
    'evaluation.reviewers': async ({ imageId }) => {
      const { store } = app.requireProject();
      if (imageId !== undefined) app.requireImage(imageId);
      return reviewerAgreement(store, { imageId });
    },
  };
}

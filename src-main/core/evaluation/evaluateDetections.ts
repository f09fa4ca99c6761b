// `micra evaluate-detections`: an annotation set of one image as the truth, against a sweep run's
// suggestions (detectionsAgainstMarkers.ts) or against another set (setAgreement.ts). The run is
// the image's latest finished one unless named; its suggestions count at the run's threshold
// (the model's) unless a stricter one is asked for: suggestions under the run's threshold were
// never stored, so a lower one cannot be evaluated.
import { markersOf } from '../annotations/sets/setGeometry';
import type { Point2 } from '../metrics/detection';
import type { ProjectStore } from '../project/projectStore';
import { type SweepRunRow } from '../project/sweepRunsRepo';
import { detectionFigures, recallShownCurve, type DetectionFigures, type ScoredBox } from './detectionsAgainstMarkers';
import { setAgreement, SET_MATCH_DISTANCE_PX, type AgreementFigures } from './setAgreement';
import { DomainError } from '../../api/domainError';

export interface EvaluateDetectionsInput {
  imageId: number;
  truth: string;
  against?: string | undefined;
  runId?: number | undefined;
  threshold?: number | undefined;
}

export interface CurvePoint {
  threshold: number;
  candidates: number;
  recall: number;
  precision: number;
  shownFraction: number;
}

/** The figures of one evaluation, with what was compared. */
export type DetectionEvaluation =
  | ({
      mode: 'run';
      imageId: number;
      truthSet: string;
      runId: number;
      modelId: number;
      runThreshold: number;
      curve: CurvePoint[];
    } & DetectionFigures)
  | ({
      mode: 'set';
      imageId: number;
      truthSet: string;
      againstSet: string;
      matchDistance: number;
      /** No suggestion is shown when two experts are compared. */
      shownFraction: null;
      curve: null;
    } & AgreementFigures);

export function setMarkers(store: ProjectStore, setName: string, imageId: number): { name: string; markers: Point2[] } {
  const set = store.annotationSets.require(setName);
  const entries = store.annotationSets.entries(set.id, imageId);
  return { name: set.name, markers: entries.flatMap((e) => markersOf(e.geometry)) };
}

export function sweepRunOf(store: ProjectStore, imageId: number, runId: number | undefined): SweepRunRow {
  if (runId !== undefined) {
    const run = store.sweepRuns.get(runId);
    if (!run) throw new DomainError('bad-request', `no sweep run ${runId}`);
    if (run.image_id !== imageId) throw new DomainError('bad-request', `sweep run ${runId} swept image ${run.image_id}, not image ${imageId}`);
    return run;
  }
  const run = store.sweepRuns.latestDone(imageId);
  if (!run) throw new DomainError('bad-request', `image ${imageId} has no finished sweep run: sweep it first (micra sweep), or name a run with --run`);
  return run;
}

export function evaluateDetections(store: ProjectStore, input: EvaluateDetectionsInput): DetectionEvaluation {
  const image = store.images.get(input.imageId);
  if (!image) throw new DomainError('bad-request', `no image with id ${input.imageId}`);
  if (input.against !== undefined && (input.runId !== undefined || input.threshold !== undefined)) {
    throw new DomainError('bad-request', '--against compares two sets; --run and --threshold apply to a sweep run');
  }
  const truth = setMarkers(store, input.truth, image.id);
  if (input.against !== undefined) {
    const other = setMarkers(store, input.against, image.id);
    const a = setAgreement(truth.markers, other.markers);
    return { mode: 'set', imageId: image.id, truthSet: truth.name, againstSet: other.name, matchDistance: SET_MATCH_DISTANCE_PX, ...a, shownFraction: null, curve: null };
  }
  const run = sweepRunOf(store, image.id, input.runId);
  const threshold = input.threshold ?? run.threshold;
  if (!(threshold >= run.threshold && threshold <= 1)) {
    throw new DomainError('bad-request', `--threshold must lie between the run's threshold ${run.threshold} (suggestions under it were not stored) and 1`);
  }
  const rows = store.suggestions.scoredBoxesOfRun(run.id);
  const suggestions: ScoredBox[] = rows.map((r) => ({ box: [r.x, r.y, r.width, r.height], score: r.score }));
  const f = detectionFigures(truth.markers, suggestions, threshold, image.width, image.height);
  const curve = recallShownCurve(truth.markers, suggestions, run.threshold, image.width, image.height).map((p) => ({
    threshold: p.threshold,
    candidates: p.candidates,
    recall: p.recall,
    precision: p.precision,
    shownFraction: p.shownFraction,
  }));
  return {
    mode: 'run',
    imageId: image.id,
    truthSet: truth.name,
    runId: run.id,
    modelId: run.model_id,
    runThreshold: run.threshold,
    threshold,
    truth: f.truth,
    candidates: f.candidates,
    found: f.found,
    correct: f.correct,
    recall: f.recall,
    precision: f.precision,
    f1: f.f1,
    shownFraction: f.shownFraction,
    curve,
  };
}

// `micra evaluate-detections --all-images` and the Measure screen's project table: an annotation
// set as the truth on every image it annotates, each against that image's latest finished sweep
// run (the rules of detectionsAgainstMarkers.ts, image by image), with the totals over the
// project and the recall-vs-shown curve of the whole project.
//
// Totals add counts, never average ratios: recall = Σ found / Σ truth, precision = Σ correct /
// Σ suggestions, and the share shown is the area shown over the area of the images evaluated, so
// a large image weighs as much as its pixels. Images the set annotates but no finished sweep
// covers are listed as skipped, with the reason, rather than counted as all missed.
//
// Thresholds: by default each image at its run's threshold (the model's). An asked threshold
// applies to every image, and must not be under any run's threshold (suggestions under it were
// never stored). The curve starts at the highest run threshold, so every image has all its
// suggestions at each of its points.
import type { ProjectStore } from '../project/projectStore';
import { curveThresholds, detectionFigures, detectionRates, type DetectionFigures, type ScoredBox } from './detectionsAgainstMarkers';
import { DomainError } from '../../api/domainError';
import { setMarkers, sweepRunOf, type CurvePoint } from './evaluateDetections';

export interface ImageEvaluationRow extends DetectionFigures {
  imageId: number;
  imageName: string;
  runId: number;
  modelId: number;
}

/** The project's figures: counts summed over images, the share shown weighted by image area. */
export type ProjectTotals = Omit<DetectionFigures, 'threshold'> & { images: number };

export interface ProjectEvaluation {
  mode: 'project';
  truthSet: string;
  /** The asked threshold, or null: each image at its run's. */
  threshold: number | null;
  images: ImageEvaluationRow[];
  skipped: Array<{ imageId: number; imageName: string; reason: string }>;
  totals: ProjectTotals;
  curve: CurvePoint[];
}

interface ImageInput {
  imageId: number;
  imageName: string;
  width: number;
  height: number;
  runId: number;
  modelId: number;
  runThreshold: number;
  markers: ReturnType<typeof setMarkers>['markers'];
  suggestions: ScoredBox[];
}

/** Σ over images of one threshold's figures. */
function totalsOf(rows: ReadonlyArray<DetectionFigures & { width: number; height: number }>): ProjectTotals {
  const sum = (f: (r: DetectionFigures) => number) => rows.reduce((s, r) => s + f(r), 0);
  const truth = sum((r) => r.truth);
  const found = sum((r) => r.found);
  const candidates = sum((r) => r.candidates);
  const correct = sum((r) => r.correct);
  const area = rows.reduce((s, r) => s + r.width * r.height, 0);
  const shown = rows.reduce((s, r) => s + r.shownFraction * r.width * r.height, 0);
  return { images: rows.length, truth, candidates, found, correct, ...detectionRates(truth, found, candidates, correct), shownFraction: area === 0 ? 0 : shown / area };
}

export function evaluateProject(store: ProjectStore, input: { truth: string; threshold?: number | undefined }): ProjectEvaluation {
  const set = store.annotationSets.require(input.truth);
  const inputs: ImageInput[] = [];
  const skipped: ProjectEvaluation['skipped'] = [];
  for (const imageId of store.annotationSets.imageIds(set.id)) {
    const image = store.images.get(imageId);
    if (!image) continue;
    let run;
    try {
      run = sweepRunOf(store, imageId, undefined);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      skipped.push({ imageId, imageName: image.name, reason: 'no finished sweep run' });
      continue;
    }
    const rows = store.suggestions.scoredBoxesOfRun(run.id);
    inputs.push({
      imageId,
      imageName: image.name,
      width: image.width,
      height: image.height,
      runId: run.id,
      modelId: run.model_id,
      runThreshold: run.threshold,
      markers: setMarkers(store, set.name, imageId).markers,
      suggestions: rows.map((r) => ({ box: [r.x, r.y, r.width, r.height], score: r.score })),
    });
  }
  if (input.threshold !== undefined) {
    const under = inputs.find((i) => input.threshold! < i.runThreshold);
    if (under) throw new DomainError('bad-request', `--threshold ${input.threshold} is under the threshold ${under.runThreshold} of sweep run ${under.runId} (image ${under.imageId}): suggestions under it were not stored`);
  }
  const figuresAt = (i: ImageInput, t: number) => ({ ...detectionFigures(i.markers, i.suggestions, t, i.width, i.height), width: i.width, height: i.height });
  const perImage = inputs.map((i) => figuresAt(i, input.threshold ?? i.runThreshold));
  const floor = inputs.reduce((m, i) => Math.max(m, i.runThreshold), 0);
  const curve = curveThresholds(
    inputs.flatMap((i) => i.suggestions.map((s) => s.score)),
    floor,
  ).map((t) => {
    const tot = totalsOf(inputs.map((i) => figuresAt(i, t)));
    return { threshold: t, candidates: tot.candidates, recall: tot.recall, precision: tot.precision, shownFraction: tot.shownFraction };
  });
  return {
    mode: 'project',
    truthSet: set.name,
    threshold: input.threshold ?? null,
    images: inputs.map((i, k) => {
      const { width: _w, height: _h, ...f } = perImage[k]!;
      return { imageId: i.imageId, imageName: i.imageName, runId: i.runId, modelId: i.modelId, ...f };
    }),
    skipped,
    totals: totalsOf(perImage),
    curve,
  };
}

// Agreement between experts' sets (the paper's inter-expert recall): for every ordered pair of
// sets (truth, other), the markers of both matched one to one within 56 px (setAgreement.ts) on
// every image both annotate — an image only one expert looked at says nothing about agreement —
// counts added over those images. Recall of (A, B) is the share of A's markers B also marked;
// it equals the precision of (B, A).
import { markersOf } from '../annotations/sets/setGeometry';
import { precisionRecallF1 } from '../metrics/rates';
import type { ProjectStore } from '../project/projectStore';
import { setAgreement, SET_MATCH_DISTANCE_PX, type AgreementFigures } from './setAgreement';

export type AgreementPair = Omit<AgreementFigures, 'meanDistance'> & {
  truthSet: string;
  againstSet: string;
  /** Images both sets annotate (and, when one image was asked for, only it). */
  imageIds: number[];
};

export interface AgreementTable {
  matchDistance: number;
  /** The image asked for, or null: every image. */
  imageId: number | null;
  sets: string[];
  pairs: AgreementPair[];
  /** Mean recall over the pairs that share at least one image; null when none do. */
  meanRecall: number | null;
}

/** Sets to compare: those named (in that order), or every set of the project. */
export function agreementTable(store: ProjectStore, o: { imageId?: number | undefined; sets?: readonly string[] | undefined } = {}): AgreementTable {
  const repo = store.annotationSets;
  const all = repo.list();
  const chosen = o.sets ? o.sets.map((name) => store.annotationSets.require(name)) : all;
  const imagesOf = new Map(chosen.map((s) => [s.id, repo.imageIds(s.id).filter((id) => o.imageId === undefined || id === o.imageId)]));
  const markerCache = new Map<string, ReturnType<typeof markersOf>>();
  const markers = (setId: number, imageId: number) => {
    const key = `${setId}:${imageId}`;
    let m = markerCache.get(key);
    if (!m) {
      m = repo.entries(setId, imageId).flatMap((e) => markersOf(e.geometry));
      markerCache.set(key, m);
    }
    return m;
  };
  const pairs: AgreementPair[] = [];
  for (const a of chosen)
    for (const b of chosen) {
      if (a.id === b.id) continue;
      const onB = new Set(imagesOf.get(b.id));
      const imageIds = (imagesOf.get(a.id) ?? []).filter((id) => onB.has(id));
      let truth = 0;
      let candidates = 0;
      let matched = 0;
      for (const imageId of imageIds) {
        const f = setAgreement(markers(a.id, imageId), markers(b.id, imageId));
        truth += f.truth;
        candidates += f.candidates;
        matched += f.matched;
      }
      const r = precisionRecallF1(matched, candidates - matched, truth - matched);
      pairs.push({ truthSet: a.name, againstSet: b.name, imageIds, truth, candidates, matched, recall: r.recall, precision: r.precision, f1: r.f1 });
    }
  const shared = pairs.filter((p) => p.imageIds.length > 0);
  return {
    matchDistance: SET_MATCH_DISTANCE_PX,
    imageId: o.imageId ?? null,
    sets: chosen.map((s) => s.name),
    pairs,
    meanRecall: shared.length === 0 ? null : shared.reduce((s, p) => s + p.recall, 0) / shared.length,
  };
}

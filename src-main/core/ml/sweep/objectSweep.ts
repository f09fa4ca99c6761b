// The sweep's "object" mask method: one suggestion per object, its mask measured on a crop
// centred on it.
//
// The grid's positive crops only say where objects are (the peaks of their maps,
// objectCandidates: the sweep uses block 4b's Grad-CAM map, which the forward pass gives for
// free, so a positive grid crop costs no backward pass). Each object is then re-explained on a crop of the model's size centred on
// it, and its mask is cut there with a threshold that follows the object (objectMaskAt). An
// object cut by grid borders is seen whole in its centred crop, so its two (or four) halves
// come out as the same mask, and the job's ledger keeps one. The centred crop is centred on the
// object as the grid crop saw it (the centroid of its part there); a centred mask that still
// reaches the crop's border (the object was mostly outside the grid crop) is re-explained once
// more on its own centroid, so no measurement is cut by a crop edge.
import type { ImageGeometry } from '../../../../src-shared/imageGeometry';
import { regionMoments } from '../../metrics/objectMeasurements';
import { encodeMaskRle } from '../../../../src-shared/maskRle';
import { regionContains, sameObject, tightenRegion, type MaskRegion } from '../../review/maskRegion';
import type { BinaryMask, ScalarMap } from '../explain/scalarMap';
import { objectCandidates, objectMapBasis, objectMaskAt } from '../postprocess/objectMask';
import type { GradCamMaps } from '../workerPool';
import { preciseRawOf, type CropPlacement } from './cropRegions';
import type { JournalRegion } from './sweepJournal';

/** A centred mask closer than this to its crop's border is explained again on its own centroid. */
export const BORDER_MARGIN = 4;
/** Candidates closer than this are one object before any re-explaining. */
export const CANDIDATE_MERGE_DISTANCE = 24;

export interface ObjectCandidate {
  /** Level-0 image pixels. */
  x: number;
  y: number;
  /** The grid crop's class probability. */
  score: number;
  /** Index of the grid crop (in its batch) that found it: its journal line gets the object. */
  source: number;
  /** The object's mask as the grid crop saw it: the answer when the centred crop sees nothing. */
  fallback: MaskRegion | null;
}

/** A crop explained: its precise_raw map (PCA of the Grad-CAM maps, σ = 1) and class probability. */
export interface ExplainedCrop {
  raw: ScalarMap;
  probability: number;
}

/** What re-explaining needs from the engines: model inputs of rectangles, and their explanation. */
export interface ObjectExplainer {
  readInput(rect: { x: number; y: number; width: number; height: number }): Promise<Float32Array>;
  explain(inputs: Float32Array[]): Promise<ExplainedCrop[]>;
}

/** A Grad-CAM result as the object method uses it. */
export function explainedCrop(maps: GradCamMaps, size: number, probability: number): ExplainedCrop {
  return { raw: preciseRawOf(maps, size), probability };
}

/** The crop of `size` centred on (cx, cy), shifted to lie inside the image. */
export function centredPlacement(cx: number, cy: number, size: number, image: Pick<ImageGeometry, 'width' | 'height'>): CropPlacement {
  const validWidth = Math.min(size, image.width);
  const validHeight = Math.min(size, image.height);
  const x = Math.max(0, Math.min(image.width - validWidth, Math.round(cx) - Math.floor(size / 2)));
  const y = Math.max(0, Math.min(image.height - validHeight, Math.round(cy) - Math.floor(size / 2)));
  return { x, y, size, validWidth, validHeight };
}

/** The mask (crop pixels) as a region in image pixels, cut to the crop's valid area; null when empty. */
export function placedRegion(mask: BinaryMask, place: CropPlacement): MaskRegion | null {
  const clipped = new Uint8Array(place.validWidth * place.validHeight);
  for (let y = 0; y < place.validHeight; y++)
    for (let x = 0; x < place.validWidth; x++) clipped[y * place.validWidth + x] = mask.data[y * mask.width + x] ? 1 : 0;
  return tightenRegion({ x: place.x, y: place.y, width: place.validWidth, height: place.validHeight, mask: clipped });
}

/** Whether the region comes within `margin` pixels of the placement's valid area's edge. */
function nearCropBorder(r: MaskRegion, place: CropPlacement, margin: number): boolean {
  return (
    r.x - place.x < margin ||
    r.y - place.y < margin ||
    place.x + place.validWidth - (r.x + r.width) < margin ||
    place.y + place.validHeight - (r.y + r.height) < margin
  );
}

/** Where a crop centres on a region: its mean pixel index. */
function centroid(r: MaskRegion): { x: number; y: number } {
  const { x, y } = regionMoments(r);
  return { x, y };
}

/** The candidates of one positive grid crop, in image pixels. */
export function gridCandidates(map: ScalarMap, place: CropPlacement, score: number, source: number): ObjectCandidate[] {
  const basis = objectMapBasis(map);
  return objectCandidates(map, basis)
    .filter((p) => p.x < place.validWidth && p.y < place.validHeight)
    .map((p) => ({ x: place.x + p.x, y: place.y + p.y, score, source, fallback: placedRegion(objectMaskAt(map, p.x, p.y, basis), place) }));
}

/** The object at (cx, cy) measured on its own centred crop, from that crop's precise_raw map. */
export function measureAt(raw: ScalarMap, place: CropPlacement, cx: number, cy: number): MaskRegion | null {
  return placedRegion(objectMaskAt(raw, cx - place.x, cy - place.y), place);
}

interface Measured {
  region: MaskRegion;
  score: number;
  source: number;
}

/**
 * The objects of a sweep so far. A candidate inside an object already measured is that object
 * again (its other half, or a second grid crop's view) and costs nothing more.
 */
export class ObjectLedger {
  private readonly objects: MaskRegion[] = [];
  /** Centred crops explained so far: the method's cost over the reference mask's. */
  explained = 0;
  /** Centred crops scored by second looks (secondLook.ts) so far. */
  secondLooks = 0;

  covers(x: number, y: number): boolean {
    return this.objects.some((o) => regionContains(o, x, y));
  }

  /** Adds the region unless it is an object already held; says whether it was new. */
  admit(region: MaskRegion): boolean {
    if (this.objects.some((o) => sameObject(o, region))) return false;
    this.objects.push(region);
    return true;
  }
}

/**
 * Measures the new objects among `candidates` (re-explaining each on a centred crop, all in one
 * engine batch per round) and returns their journal regions by source crop index.
 */
export async function measureObjects(
  explainer: ObjectExplainer,
  candidates: readonly ObjectCandidate[],
  ledger: ObjectLedger,
  size: number,
  image: Pick<ImageGeometry, 'width' | 'height'>,
): Promise<Map<number, JournalRegion[]>> {
  // One candidate per object before paying for Grad-CAM: drop those inside known objects, and
  // near-duplicates from overlapping views.
  const todo: ObjectCandidate[] = [];
  for (const c of [...candidates].sort((a, b) => b.score - a.score)) {
    if (ledger.covers(c.x, c.y)) continue;
    if (todo.some((t) => (t.x - c.x) ** 2 + (t.y - c.y) ** 2 < CANDIDATE_MERGE_DISTANCE ** 2)) continue;
    todo.push(c);
  }
  const measured: Measured[] = [];
  let round = todo.map((c) => ({ c, ...(c.fallback ? centroid(c.fallback) : { x: c.x, y: c.y }), last: false }));
  while (round.length > 0) {
    const places = round.map((r) => centredPlacement(r.x, r.y, size, image));
    const inputs = await Promise.all(places.map((p) => explainer.readInput({ x: p.x, y: p.y, width: p.validWidth, height: p.validHeight })));
    const explained = await explainer.explain(inputs);
    ledger.explained += inputs.length;
    const again: typeof round = [];
    round.forEach((r, i) => {
      const place = places[i] as CropPlacement;
      const e = explained[i] as ExplainedCrop;
      const region = measureAt(e.raw, place, r.x, r.y) ?? r.c.fallback;
      if (!region) return;
      const at = centroid(region);
      // A crop held at the image border cannot centre better: accept what it sees.
      const next = centredPlacement(at.x, at.y, size, image);
      if (!r.last && nearCropBorder(region, place, BORDER_MARGIN) && (next.x !== place.x || next.y !== place.y)) {
        again.push({ c: r.c, x: at.x, y: at.y, last: true });
        return;
      }
      measured.push({ region, score: Math.max(r.c.score, e.probability), source: r.c.source });
    });
    round = again;
  }
  const out = new Map<number, JournalRegion[]>();
  for (const m of measured.sort((a, b) => b.score - a.score)) {
    if (!ledger.admit(m.region)) continue;
    const list = out.get(m.source) ?? [];
    list.push({ x: m.region.x, y: m.region.y, width: m.region.width, height: m.region.height, score: m.score, mask: encodeMaskRle(m.region.mask, m.region.width, m.region.height) });
    out.set(m.source, list);
  }
  return out;
}

/** A grid crop the classifier called positive, with a map of where its objects are. */
export interface PositiveCrop {
  /** Its index in the batch (the journal line its objects go to). */
  index: number;
  place: CropPlacement;
  score: number;
  /** A class map at the crop's size (block 4b's Grad-CAM upsampled, or precise_raw). */
  map: ScalarMap;
}

/** The new objects of a batch's positive crops, measured, by crop index. */
export function objectsOfPositives(
  explainer: ObjectExplainer,
  positives: readonly PositiveCrop[],
  ledger: ObjectLedger,
  size: number,
  image: Pick<ImageGeometry, 'width' | 'height'>,
): Promise<Map<number, JournalRegion[]>> {
  const candidates = positives.flatMap((c) => gridCandidates(c.map, c.place, c.score, c.index));
  return measureObjects(explainer, candidates, ledger, size, image);
}

// Training crops from an annotation set, the paper's recipe: one positive crop around each
// marker (the model's input size, at a random offset that keeps the marker inside, so the model
// does not learn that objects sit in the centre), and negatives drawn from the labelling grid
// (cropGrid) among crops that touch no annotation of the class, `ratio` per positive. They enter
// the dataset as crop labels — a crops row and a 'label' decision, like a label made in the crop
// grid — so buildDataset trains on them; the decision's payload names where they came from
// (`source`: the set, and for a positive the entry and which of its markers).
//
// Run again, a marker that already has its crop in effect is skipped, as is any crop already
// labelled for the class (a person's label is never overwritten).
import { cropGrid, type CropRectPx } from '../../../../src-shared/cropGrid';
import { DEFAULT_CLASS_COLOR } from '../../ml/dataset/classColors';
import { deriveSeed, mulberry32, shuffledIndices, type Random } from '../../ml/training/seededRandom';
import { labelsRecorded } from '../../ml/training/labelsRecorded';
import type { ProjectStore } from '../../project/projectStore';
import { type SetEntry } from '../../project/annotationSetsRepo';
import { boundsOf, markersOf, type Bounds } from './setGeometry';
import { DomainError } from '../../../api/domainError';

export interface MarkerCropsInput {
  imageId: number;
  setName: string;
  cropSize: number;
  /** Negatives per positive (1:ratio). */
  ratio: number;
  seed: number;
  /** The class to label; default: the set's one class, or the project's one class. */
  className?: string | undefined;
  actor: string;
}

/** Where a crop label made from a set came from, in its decision's payload. */
export interface MarkerCropSource {
  kind: 'annotation-set';
  set: string;
  setId: number;
  /** The set entry (set_annotations.id) and which of its markers; absent for a negative. */
  annotationId?: number;
  marker?: number;
}

export interface MarkerCropsOutcome {
  set: string;
  imageId: number;
  classId: number;
  className: string;
  cropSize: number;
  ratio: number;
  seed: number;
  markers: number;
  positives: number;
  negatives: number;
  /** Grid crops that touch no annotation of the class and carry no label yet. */
  negativesAvailable: number;
  /** Markers whose crop an earlier run already made. */
  alreadyMade: number;
  /** Positive crops left alone because they already had a label for the class. */
  alreadyLabelled: number;
}

/** Class names compare as the classes table does (trimmed, case ignored). */
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Which class the crops are labelled with, and which entries count for it. */
function chooseClass(store: ProjectStore, entries: readonly SetEntry[], wanted: string | undefined): { name: string; entries: SetEntry[] } {
  const named = [...new Set(entries.flatMap((e) => (e.className === null ? [] : [e.className])))];
  let name = wanted;
  if (name === undefined) {
    if (named.length === 1) name = named[0] as string;
    else if (named.length > 1) throw new DomainError('bad-request', `the set holds several classes (${named.join(', ')}): choose one with --class`);
    else {
      const classes = store.classes.list();
      if (classes.length !== 1) throw new DomainError('bad-request', 'the set\'s annotations have no class and the project has ' + (classes.length ? 'several' : 'none') + ': name one with --class');
      name = (classes[0] as { name: string }).name;
    }
  }
  const chosen = name;
  // Unclassified entries count for the chosen class: a marker file without a class column is one class.
  return { name: chosen, entries: entries.filter((e) => e.className === null || sameName(e.className, chosen)) };
}

/** A crop position along one axis that keeps `m` inside [p, p + size) and the crop inside the image. */
function offsetAround(m: number, size: number, extent: number, random: Random): number {
  const pixel = Math.min(Math.floor(m), extent - 1);
  const lo = Math.max(0, pixel - size + 1);
  const hi = Math.min(extent - size, pixel);
  return lo + Math.floor(random() * (hi - lo + 1));
}

const touches = (c: CropRectPx, b: Bounds) => b.x0 <= c.x + c.size && b.x1 >= c.x && b.y0 <= c.y + c.size && b.y1 >= c.y;

export function markerCrops(store: ProjectStore, input: MarkerCropsInput): MarkerCropsOutcome {
  const image = store.images.get(input.imageId);
  if (!image) throw new DomainError('bad-request', `no image with id ${input.imageId}`);
  if (!Number.isInteger(input.cropSize) || input.cropSize <= 0) throw new DomainError('bad-request', 'the crop size must be a positive integer');
  if (image.width < input.cropSize || image.height < input.cropSize) throw new DomainError('bad-request', `image ${image.id} (${image.width}×${image.height}) is smaller than a ${input.cropSize}² crop`);
  if (!(input.ratio >= 0) || !Number.isFinite(input.ratio)) throw new DomainError('bad-request', 'the ratio must be a number ≥ 0');
  const set = store.annotationSets.require(input.setName);
  const all = store.annotationSets.entries(set.id, image.id);
  if (all.length === 0) throw new DomainError('bad-request', `set ${set.name} has no annotations on image ${image.id}`);
  const chosen = chooseClass(store, all, input.className);
  if (chosen.entries.length === 0) throw new DomainError('bad-request', `set ${set.name} has no annotation of class ${chosen.name} on image ${image.id}`);
  const size = input.cropSize;

  const outcome = store.transaction(() => {
    const cls = store.classes.findByName(chosen.name) ?? store.classes.create(chosen.name, DEFAULT_CLASS_COLOR(store.classes.list().length));
    const labelled = new Set(
      store.crops
        .labelledCropCorners(image.id, cls.id)
        .filter((r) => r.width === size)
        .map((r) => `${r.x}:${r.y}`),
    );
    // Markers whose positive crop is in effect already (made by an earlier run from this set).
    const made = new Set(store.crops.setMarkersLabelled(image.id, cls.id, set.id).map((r) => `${r.annotationId}:${r.marker}`));

    const source = { kind: 'annotation-set', set: set.name, setId: set.id } as const;
    const label = (rect: { x: number; y: number }, value: 'present' | 'absent', from: MarkerCropSource) => {
      const [cropId] = store.crops.ensure(image.id, [{ x: rect.x, y: rect.y, width: size, height: size }]);
      store.decisions.append({ actor: input.actor, targetKind: 'crop', targetId: cropId as number, classId: cls.id, action: 'label', payload: { value, source: from } });
      labelled.add(`${rect.x}:${rect.y}`);
    };

    const random = mulberry32(deriveSeed(input.seed, 1));
    let markers = 0;
    let positives = 0;
    let alreadyMade = 0;
    let alreadyLabelled = 0;
    for (const e of chosen.entries) {
      markersOf(e.geometry).forEach((m, i) => {
        markers++;
        // Draw the offset even when skipping, so one marker's crop does not depend on the others'.
        const rect = { x: offsetAround(m.x, size, image.width, random), y: offsetAround(m.y, size, image.height, random) };
        if (made.has(`${e.id}:${i}`)) alreadyMade++;
        else if (labelled.has(`${rect.x}:${rect.y}`)) alreadyLabelled++;
        else {
          label(rect, 'present', { ...source, annotationId: e.id, marker: i });
          positives++;
        }
      });
    }

    const bounds = chosen.entries.map((e) => boundsOf(e.geometry));
    const free = cropGrid(image.width, image.height, size).filter((c) => !bounds.some((b) => touches(c, b)));
    const available = free.filter((c) => !labelled.has(`${c.x}:${c.y}`));
    const want = Math.min(available.length, Math.round(positives * input.ratio));
    const order = shuffledIndices(available.length, mulberry32(deriveSeed(input.seed, 2)));
    for (let k = 0; k < want; k++) label(available[order[k] as number] as CropRectPx, 'absent', source);

    return {
      set: set.name,
      imageId: image.id,
      classId: cls.id,
      className: cls.name,
      cropSize: size,
      ratio: input.ratio,
      seed: input.seed,
      markers,
      positives,
      negatives: want,
      negativesAvailable: available.length,
      alreadyMade,
      alreadyLabelled,
    };
  });
  // Background preparation of the next retrain's features (featurePrepScheduler.ts).
  if (outcome.positives + outcome.negatives > 0) labelsRecorded(store);
  return outcome;
}

// Main side: the project's labelled crops (the `labels` projection of the decision log) and
// review decisions, split by image, as a DatasetSpec for a training job, with its statistics.
// Cheap: database reads only, no pixels.
import type { ProjectStore } from '../../project/projectStore';
import { type DatasetSplit } from '../../project/trainingRepo';
import { cropGrid } from '../../../../src-shared/cropGrid';
import type { DatasetImage, DatasetItem, DatasetSpec } from './datasetSpec';
import { splitOfImage } from './datasetSplits';
import { reviewDecisionCrops } from './reviewCrops';
import { imageGeometry } from '../../project/imageSummary';

export interface ClassSplitStats {
  present: number;
  absent: number;
  skip: number;
  reviewAccepted: number;
  reviewDeclined: number;
}

export interface DatasetStats {
  cropSize: number;
  classes: { id: number; name: string; splits: Record<DatasetSplit, ClassSplitStats> }[];
  images: Record<DatasetSplit, number[]>;
  /** Labelled crops whose size is not the crop size (left out of training). */
  otherSizeCrops: number;
  unlabelledCandidates: number;
}

const emptyStats = (): ClassSplitStats => ({ present: 0, absent: 0, skip: 0, reviewAccepted: 0, reviewDeclined: 0 });

export interface BuildDatasetOptions {
  cropSize: number;
  /** 1:ratio positive : unlabelled (0: no unlabelled negatives). */
  puRatio: number;
  /** Restrict to these classes, in this order (a fine-tuned model keeps its parent's). */
  classIds?: readonly number[];
}

export function buildDataset(store: ProjectStore, o: BuildDatasetOptions): { spec: DatasetSpec; stats: DatasetStats } {
  const allClasses = store.classes.list();
  const classes = o.classIds
    ? o.classIds.map((id) => {
        const c = allClasses.find((k) => k.id === id);
        if (!c) throw new Error(`class ${id} does not exist`);
        return c;
      })
    : allClasses;
  const classIndex = new Map(classes.map((c, i) => [c.id, i]));
  const overrides = store.training.splitOverrides();
  const images = store.images.listByStatus('ready');
  const splitOf = new Map(images.map((im) => [im.id, splitOfImage(im.id, overrides)]));
  const stats: DatasetStats = {
    cropSize: o.cropSize,
    classes: classes.map((c) => ({ id: c.id, name: c.name, splits: { train: emptyStats(), validation: emptyStats(), test: emptyStats() } })),
    images: { train: [], validation: [], test: [] },
    otherSizeCrops: 0,
    unlabelledCandidates: 0,
  };
  for (const im of images) stats.images[splitOf.get(im.id) as DatasetSplit].push(im.id);

  const rows = store.crops.labelledCropsOfReadyImages();
  const items = new Map<number, DatasetItem>();
  const labelledRects = new Set<string>();
  const otherSize = new Set<number>();
  for (const r of rows) {
    const k = classIndex.get(r.class_id);
    const split = splitOf.get(r.image_id);
    if (k === undefined || !split) continue;
    const cs = stats.classes[k]?.splits[split] as ClassSplitStats;
    cs[r.value]++;
    labelledRects.add(`${r.image_id}:${r.x}:${r.y}`);
    if (r.width !== o.cropSize || r.height !== o.cropSize) {
      otherSize.add(r.crop_id);
      continue;
    }
    let item = items.get(r.crop_id);
    if (!item) {
      item = { imageId: r.image_id, x: r.x, y: r.y, targets: classes.map(() => 0), weights: classes.map(() => 0), split, source: 'label', sourceId: r.crop_id };
      items.set(r.crop_id, item);
    }
    if (r.value !== 'skip') {
      item.targets[k] = r.value === 'present' ? 1 : 0;
      item.weights[k] = 1;
    }
  }
  stats.otherSizeCrops = otherSize.size;
  const out: DatasetItem[] = [...items.values()].filter((it) => it.weights.some((w) => w > 0));

  for (const im of images) {
    const split = splitOf.get(im.id) as DatasetSplit;
    for (const rc of reviewDecisionCrops(store, im.id, o.cropSize)) {
      const k = classIndex.get(rc.classId);
      if (k === undefined) continue;
      const cs = stats.classes[k]?.splits[split] as ClassSplitStats;
      if (rc.value === 'present') cs.reviewAccepted++;
      else cs.reviewDeclined++;
      const targets = classes.map(() => 0);
      const weights = classes.map(() => 0);
      targets[k] = rc.value === 'present' ? 1 : 0;
      weights[k] = 1;
      out.push({ imageId: im.id, x: rc.x, y: rc.y, targets, weights, split, source: 'review', sourceId: rc.sourceId });
    }
  }

  const candidates: DatasetSpec['unlabelled']['candidates'] = [];
  if (o.puRatio > 0) {
    for (const im of images) {
      if (splitOf.get(im.id) !== 'train') continue;
      for (const c of cropGrid(im.width, im.height, o.cropSize)) {
        if (!labelledRects.has(`${im.id}:${c.x}:${c.y}`)) candidates.push({ imageId: im.id, x: c.x, y: c.y });
      }
    }
  }
  stats.unlabelledCandidates = candidates.length;
  const usedImages = new Set([...out.map((i) => i.imageId), ...candidates.map((c) => c.imageId)]);
  const specImages: DatasetImage[] = images
    .filter((im) => usedImages.has(im.id))
    .map(imageGeometry);
  return {
    spec: { classes: classes.map((c) => ({ id: c.id, name: c.name })), cropSize: o.cropSize, images: specImages, items: out, unlabelled: { ratio: o.puRatio, candidates } },
    stats,
  };
}

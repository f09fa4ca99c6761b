// Review operations on the open project: the queue of an image, decisions (accept / decline /
// later, with the rectangle the viewer showed and an optional adjusted geometry), undo, adding
// a region the model missed, and per-image statistics. Every decision is appended to the log
// (in its own transaction) before the function returns.
import type { z } from 'zod';
import type { ReviewStatsSchema } from '../../api/channels/reviewChannels';
import type { JobRunner } from '../jobs/jobRunner';
import { SweepPointResultSchema, type SweepPointParams } from '../ml/sweep/sweepJob';
import { decisionsInEffect } from '../project/decisionLog';
import { labelsRecorded } from '../ml/training/labelsRecorded';
import type { ProjectStore } from '../project/projectStore';
import { clipRect, unionArea, type Rect } from './rectUnion';
import { reviewCounts } from './reviewCounts';
import { decodeMaskRle, type MaskRle } from '../../../src-shared/maskRle';
import {
  annotationItem,
  decisionsOfImage,
  publicItem,
  reviewItemsOfImage,
  shownRects,
  suggestionItem,
  type ReviewItem,
  type ReviewState,
} from './reviewItems';
import { nearestNeighbourTour } from './spatialOrder';
import { resolveSweepModel, type SweepModelChoice } from './sweepModel';
import { DomainError } from '../../api/domainError';
import { imageGeometry } from '../project/imageSummary';

export type ReviewStats = z.output<typeof ReviewStatsSchema>;

export const DEFAULT_ACTOR = 'expert';

const REVIEW_ACTIONS = new Set(['accept', 'decline', 'later', 'add']);

export function reviewQueue(
  store: ProjectStore,
  imageId: number,
  order: 'score' | 'spatial',
  states?: readonly ReviewState[],
  runId?: number,
  blindedFor?: string,
): ReviewItem[] {
  let items = reviewItemsOfImage(store, imageId, runId, blindedFor).map(publicItem);
  if (states) items = items.filter((i) => states.includes(i.state));
  if (order === 'spatial') return nearestNeighbourTour(items);
  return items.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.id - b.id);
}

export interface DecideInput {
  suggestionId: number;
  action: 'accept' | 'decline' | 'later';
  shownRect: Rect | null;
  box?: [number, number, number, number] | undefined;
  mask?: MaskRle | undefined;
  actor?: string | undefined;
}

export function decide(store: ProjectStore, input: DecideInput): ReviewItem {
  const row = store.suggestions.get(input.suggestionId);
  if (!row) throw new DomainError('not-found', `no suggestion ${input.suggestionId}`);
  if ((input.box || input.mask) && input.action !== 'accept') throw new DomainError('bad-request', 'only an accept carries an adjusted box or mask');
  if (input.mask && !input.box) throw new DomainError('bad-request', 'an adjusted mask needs its box');
  if (input.box) {
    const image = store.images.get(row.image_id);
    const [x, y, w, h] = input.box;
    if (!image || x + w > image.width || y + h > image.height) throw new DomainError('bad-request', 'the adjusted box leaves the image');
    if (input.mask) {
      if (input.mask.width !== w || input.mask.height !== h) throw new DomainError('bad-request', 'the adjusted mask does not match its box');
      try {
        decodeMaskRle(input.mask);
      } catch (err) {
        throw new DomainError('bad-request', `the adjusted mask is malformed: ${(err as Error).message}`);
      }
    }
  }
  store.decisions.append({
    actor: input.actor ?? DEFAULT_ACTOR,
    targetKind: 'suggestion',
    targetId: row.id,
    classId: row.class_id,
    action: input.action,
    payload: { shownRect: input.shownRect, ...(input.box ? { box: input.box } : {}), ...(input.mask ? { mask: input.mask } : {}) },
    modelId: row.model_id,
  });
  // Accepted and declined suggestions are training crops: their features are prepared in the background.
  if (input.action !== 'later') labelsRecorded(store);
  return publicItem(suggestionItem(row, store.decisions.listForTarget('suggestion', row.id, row.class_id)));
}

/** The item of a decision's target as it stands now (null for an added region whose 'add' is undone). */
function itemOfTarget(store: ProjectStore, kind: 'suggestion' | 'annotation', id: number, blindedFor?: string): ReviewItem | null {
  const own = <D extends { actor: string }>(log: D[]) => (blindedFor === undefined ? log : log.filter((d) => d.actor === blindedFor));
  if (kind === 'suggestion') {
    const row = store.suggestions.get(id);
    return row ? publicItem(suggestionItem(row, own(store.decisions.listForTarget('suggestion', id, row.class_id)))) : null;
  }
  const row = store.annotations.get(id);
  if (!row) return null;
  const item = annotationItem(row, own(store.decisions.listForTarget('annotation', id, row.class_id)));
  return item && publicItem(item);
}

/**
 * Undoes `decisionId`, or the newest decision in effect on the image's suggestions and added
 * regions. `blindedFor` (blinded review): only that reviewer's own decisions, and the item as
 * they alone see it.
 */
export function undo(store: ProjectStore, imageId: number, decisionId: number | undefined, actor = DEFAULT_ACTOR, blindedFor?: string): { undoneDecisionId: number | null; item: ReviewItem | null } {
  const byTarget = decisionsOfImage(store, imageId);
  let target: { id: number; kind: 'suggestion' | 'annotation'; targetId: number } | null = null;
  for (const log of byTarget.values()) {
    const inEffect = decisionsInEffect(log);
    for (const d of log) {
      if (d.undoOf !== null || !inEffect.has(d.id)) continue;
      // Only review's own decisions: hand-drawn annotations have their own undo stack.
      if (!REVIEW_ACTIONS.has(d.action) || (d.targetKind !== 'suggestion' && d.targetKind !== 'annotation')) continue;
      if (blindedFor !== undefined && d.actor !== blindedFor) continue;
      const wanted = decisionId === undefined ? !target || d.id > target.id : d.id === decisionId;
      if (wanted) target = { id: d.id, kind: d.targetKind, targetId: d.targetId };
    }
  }
  if (!target) {
    if (decisionId !== undefined) throw new DomainError('not-found', `decision ${decisionId} is not an undoable review decision of image ${imageId}`);
    return { undoneDecisionId: null, item: null };
  }
  store.decisions.undo(target.id, actor);
  return { undoneDecisionId: target.id, item: itemOfTarget(store, target.kind, target.targetId, blindedFor) };
}

export interface AddRegionInput extends SweepModelChoice {
  imageId: number;
  x: number;
  y: number;
  shownRect: Rect | null;
  actor?: string | undefined;
}

/** N + click: the model's EM region around the point, stored as an accepted, expert-added region. */
export async function addRegion(store: ProjectStore, runner: JobRunner, input: AddRegionInput): Promise<ReviewItem> {
  const image = store.images.get(input.imageId);
  if (!image) throw new DomainError('not-found', `no image ${input.imageId}`);
  if (input.x >= image.width || input.y >= image.height) throw new DomainError('bad-request', 'the point is outside the image');
  const model = await resolveSweepModel(store, input);
  const params: SweepPointParams = {
    mode: 'point',
    projectDir: store.dir,
    image: imageGeometry(image),
    weightsManifest: model.manifest,
    classIndex: model.classIndex,
    cropSize: model.card.inputSize,
    x: input.x,
    y: input.y,
  };
  const job = runner.run('sweep', params, { imageId: image.id });
  const result = SweepPointResultSchema.parse(await job.result);
  if (!result.region) throw new DomainError('bad-request', 'the model finds no region near that point');
  const r = result.region;
  const annotationId = store.transaction(() => {
    const id = store.annotations.create(image.id, model.classId, 'polygon');
    store.decisions.append({
      actor: input.actor ?? DEFAULT_ACTOR,
      targetKind: 'annotation',
      targetId: id,
      classId: model.classId,
      action: 'add',
      payload: { box: [r.x, r.y, r.width, r.height], mask: r.mask, score: result.score, shownRect: input.shownRect },
      modelId: model.modelId,
    });
    return id;
  });
  labelsRecorded(store);
  const item = itemOfTarget(store, 'annotation', annotationId);
  if (!item) throw new Error('the added region vanished');
  return item;
}

/**
 * The image's review numbers. `blindedFor` (blinded review): as that reviewer alone sees them,
 * counted from their own decisions and the area they were shown, nothing of the others'.
 */
export function reviewStats(store: ProjectStore, imageId: number, blindedFor?: string): ReviewStats {
  const image = store.images.get(imageId);
  if (!image) throw new DomainError('not-found', `no image ${imageId}`);
  const { suggestions, reviewed, accepted, declined, later, pending, added } = reviewCounts(reviewItemsOfImage(store, imageId, undefined, blindedFor));
  const rects = shownRects(store, imageId, blindedFor).flatMap((r) => clipRect(r, image.width, image.height) ?? []);
  const shownArea = unionArea(rects);
  return {
    imageId,
    total: suggestions,
    reviewed,
    accepted,
    declined,
    later,
    pending,
    added,
    shownArea,
    shownFraction: Math.min(1, shownArea / (image.width * image.height)),
  };
}

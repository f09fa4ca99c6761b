// The review state of an image, derived from the append-only decision log: every suggestion
// (pending, accepted, declined, later) and every region the expert added, with the geometry
// in effect (an accept may carry an adjusted box and mask).
import { z } from 'zod';
import type { ReviewItemSchema } from '../../api/channels/reviewChannels';
import { BoxSchema, MaskRleSchema, RectSchema } from '../../api/channels/reviewChannels';
import { currentDecision } from '../project/decisionLog';
import type { Decision } from '../project/decisionsRepo';
import type { ProjectStore } from '../project/projectStore';
import type { SuggestionRow } from '../project/suggestionsRepo';
import { boxRegion, maskArea, type MaskRegion } from './maskRegion';
import { decodeMaskRle, encodeMaskRle } from '../../../src-shared/maskRle';

export type ReviewItem = z.output<typeof ReviewItemSchema>;
export type ReviewState = ReviewItem['state'];

/** Payload of accept / decline / later decisions on a suggestion. */
export const SuggestionDecisionPayloadSchema = z.object({
  shownRect: RectSchema.nullable().optional(),
  box: BoxSchema.optional(),
  mask: MaskRleSchema.optional(),
});

/** Payload of the 'add' decision that creates an expert-added region (an annotation). */
export const AddRegionPayloadSchema = z.object({
  box: BoxSchema,
  mask: MaskRleSchema,
  score: z.number().min(0).max(1).nullable(),
  shownRect: RectSchema.nullable().optional(),
});

export const SUGGESTION_ACTIONS = { accept: 'accepted', decline: 'declined', later: 'later' } as const;

/** Every decision on the image's suggestions and annotations, grouped by "kind:id". */
export function decisionsOfImage(store: ProjectStore, imageId: number): Map<string, Decision[]> {
  const byTarget = new Map<string, Decision[]>();
  for (const d of store.decisions.listForReviewItemsOf(imageId)) {
    const key = `${d.targetKind}:${d.targetId}`;
    const list = byTarget.get(key) ?? [];
    list.push(d);
    byTarget.set(key, list);
  }
  return byTarget;
}

export function suggestionRegion(row: SuggestionRow): MaskRegion {
  if (row.mask && row.mask_width === row.width && row.mask_height === row.height) {
    return { x: row.x, y: row.y, width: row.width, height: row.height, mask: new Uint8Array(row.mask) };
  }
  return boxRegion(row.x, row.y, row.width, row.height);
}

function regionOfPayload(box: [number, number, number, number], mask: z.output<typeof MaskRleSchema> | undefined): MaskRegion {
  const [x, y, width, height] = box;
  if (!mask) return boxRegion(x, y, width, height);
  if (mask.width !== width || mask.height !== height) throw new Error(`mask ${mask.width}×${mask.height} does not match box ${width}×${height}`);
  return { x, y, width, height, mask: decodeMaskRle(mask) };
}

function itemOf(
  kind: ReviewItem['kind'],
  id: number,
  imageId: number,
  classId: number,
  modelId: number | null,
  runId: number | null,
  score: number | null,
  region: MaskRegion,
  hasMask: boolean,
  state: ReviewState,
  decisionId: number | null,
): ReviewItem {
  return {
    kind,
    id,
    imageId,
    classId,
    modelId,
    runId,
    box: [region.x, region.y, region.width, region.height],
    score,
    area: maskArea(region.mask),
    mask: hasMask ? encodeMaskRle(region.mask, region.width, region.height) : null,
    state,
    decisionId,
  };
}

/** A suggestion as review sees it, given the decisions on it. */
export function suggestionItem(row: SuggestionRow, decisions: readonly Decision[]): ReviewItem & { region: MaskRegion } {
  const current = currentDecision(decisions);
  const action = current?.action as keyof typeof SUGGESTION_ACTIONS | undefined;
  const state: ReviewState = action && action in SUGGESTION_ACTIONS ? SUGGESTION_ACTIONS[action] : 'pending';
  let region = suggestionRegion(row);
  let hasMask = row.mask !== null;
  if (current && state === 'accepted') {
    const payload = SuggestionDecisionPayloadSchema.parse(current.payload);
    if (payload.box) {
      region = regionOfPayload(payload.box, payload.mask);
      hasMask = payload.mask !== undefined;
    }
  }
  const item = itemOf('suggestion', row.id, row.image_id, row.class_id, row.model_id, row.sweep_run_id, row.score, region, hasMask, state, current?.id ?? null);
  return { ...item, region };
}

interface AnnotationRow {
  id: number;
  image_id: number;
  class_id: number;
}

/** An expert-added region, or null once its 'add' is undone. */
export function annotationItem(row: AnnotationRow, decisions: readonly Decision[]): (ReviewItem & { region: MaskRegion }) | null {
  const current = currentDecision(decisions);
  if (!current || current.action !== 'add') return null;
  const payload = AddRegionPayloadSchema.parse(current.payload);
  const region = regionOfPayload(payload.box, payload.mask);
  const item = itemOf('annotation', row.id, row.image_id, row.class_id, current.modelId, null, payload.score, region, true, 'accepted', current.id);
  return { ...item, region };
}

/**
 * Every review item of the image (suggestions best first, then added regions), with its region.
 * `blindedFor`: as that reviewer alone sees them — only their own decisions count (blinded review).
 */
export function reviewItemsOfImage(store: ProjectStore, imageId: number, runId?: number, blindedFor?: string): Array<ReviewItem & { region: MaskRegion }> {
  const decisions = decisionsOfImage(store, imageId);
  if (blindedFor !== undefined) for (const [key, list] of decisions) decisions.set(key, list.filter((d) => d.actor === blindedFor));
  const items: Array<ReviewItem & { region: MaskRegion }> = store.suggestions.listForReview(imageId, runId).map((row) =>
    suggestionItem(row, decisions.get(`suggestion:${row.id}`) ?? []),
  );
  if (runId === undefined) {
    for (const a of store.annotations.listForImage(imageId)) {
      const item = annotationItem(a, decisions.get(`annotation:${a.id}`) ?? []);
      if (item) items.push(item);
    }
  }
  return items;
}

/** The API form (without the in-memory region). */
export function publicItem(item: ReviewItem & { region?: MaskRegion }): ReviewItem {
  const { region: _region, ...rest } = item;
  return rest;
}

/**
 * Every rectangle the viewer showed with a decision on the image (undone ones too: the expert saw
 * them); with `actor`, only those shown to that reviewer (blinded review).
 */
export function shownRects(store: ProjectStore, imageId: number, actor?: string): Array<z.output<typeof RectSchema>> {
  const rects: Array<z.output<typeof RectSchema>> = [];
  for (const list of decisionsOfImage(store, imageId).values()) {
    for (const d of list) {
      if (actor !== undefined && d.actor !== actor) continue;
      const parsed = z.object({ shownRect: RectSchema.nullable().optional() }).safeParse(d.payload);
      if (parsed.success && parsed.data.shownRect) rects.push(parsed.data.shownRect);
    }
  }
  return rects;
}

// Manual annotations drawn in the viewer: points, boxes and polygons. An annotation's
// identity is a row of the `annotations` table; its geometry lives in the payload of its
// decisions (create / update / delete), so the decision log is the history and undo/redo
// appends to it. Coordinates are level-0 image pixels, integers:
//   point   {x, y}: the pixel (column x, row y); drawn at the pixel's centre;
//   box     [x, y, width, height]: pixel edges, like review's BoxSchema;
//   polygon vertices [x, y]: pixel corners (edges between pixels).
import { z } from 'zod';
import { ImageIdSchema } from '../entities';

const Coord = z.number().int().min(0).max(10_000_000);
const Extent = z.number().int().positive().max(10_000_000);

export const AnnotationGeometrySchema = z.discriminatedUnion('shape', [
  z.object({ shape: z.literal('point'), x: Coord, y: Coord }).strict(),
  z.object({ shape: z.literal('box'), box: z.tuple([Coord, Coord, Extent, Extent]) }).strict(),
  z.object({ shape: z.literal('polygon'), points: z.array(z.tuple([Coord, Coord])).min(3).max(10_000) }).strict(),
]);

export const AnnotationSchema = z.object({
  id: z.number().int().positive(),
  imageId: ImageIdSchema,
  classId: z.number().int().positive(),
  geometry: AnnotationGeometrySchema,
  /** The decision that set the current geometry. */
  decisionId: z.number().int().positive(),
  actor: z.string(),
  updatedAt: z.string(),
});

const Actor = z.string().min(1).max(200).optional();
const AnnotationRef = z.number().int().positive();

/** What an undo or redo changed: the annotation as it is now (null: it no longer exists). */
export const AnnotationHistoryStepSchema = z.object({
  /** The undo decision appended; null when there was nothing to undo / redo. */
  decisionId: z.number().int().positive().nullable(),
  annotationId: AnnotationRef.nullable(),
  annotation: AnnotationSchema.nullable(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
});

export const annotationRequests = {
  /** The image's annotations in effect, oldest first, with whether undo / redo would do something. */
  'annotations.list': {
    params: z.object({ imageId: ImageIdSchema }).strict(),
    result: z.object({ annotations: z.array(AnnotationSchema), canUndo: z.boolean(), canRedo: z.boolean() }),
  },
  /** classId defaults to the project's first class (a class "Annotation" is created when there is none). */
  'annotations.create': {
    params: z.object({ imageId: ImageIdSchema, classId: z.number().int().positive().optional(), geometry: AnnotationGeometrySchema, actor: Actor }).strict(),
    result: AnnotationSchema,
  },
  /** New geometry (same shape) for an annotation in effect: a move or an edit. */
  'annotations.update': {
    params: z.object({ id: AnnotationRef, geometry: AnnotationGeometrySchema, actor: Actor }).strict(),
    result: AnnotationSchema,
  },
  'annotations.delete': {
    params: z.object({ id: AnnotationRef, actor: Actor }).strict(),
    result: z.object({ deleted: AnnotationRef, decisionId: z.number().int().positive() }),
  },
  /** Reverts the image's newest annotation change still in effect. */
  'annotations.undo': { params: z.object({ imageId: ImageIdSchema, actor: Actor }).strict(), result: AnnotationHistoryStepSchema },
  /** Re-applies the newest undone change, as long as nothing new was drawn since. */
  'annotations.redo': { params: z.object({ imageId: ImageIdSchema, actor: Actor }).strict(), result: AnnotationHistoryStepSchema },
} as const;

export const annotationEvents = {
  /** Any annotation change on the image (another window may be editing it). */
  'annotations.changed': z.object({ imageId: ImageIdSchema }),
} as const;

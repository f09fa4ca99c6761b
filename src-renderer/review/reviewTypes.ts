// The review UI's view of the MicraApi's review types (types only: the renderer never imports
// the schemas' runtime code).
import type { EventPayload, RequestResult } from '../../src-main/api/types';

export type ReviewItem = RequestResult<'review.queue'>[number];
export type ReviewStats = RequestResult<'review.stats'>;
export type SweepRun = RequestResult<'sweep.runs'>[number];
export type Heatmap = RequestResult<'sweep.heatmap'>;
export type ReviewState = ReviewItem['state'];
export type MaskRle = NonNullable<ReviewItem['mask']>;
/** [x, y, width, height] in level-0 image pixels. */
export type Box = [number, number, number, number];
export type SuggestionsEvent = EventPayload<'review.suggestions'>;
export type SweepCropsEvent = EventPayload<'sweep.crops'>;
export type ShownRect = { x: number; y: number; width: number; height: number };

// The overlay states and their colours (0xRRGGBB). Apart from overlays.ts so that code without
// a GPU (tests reading pixels, for one) can name them without loading Pixi.
export type OverlayStatus = 'suggested' | 'accepted' | 'declined' | 'manual' | 'selected';

export const STATUS_COLORS: Record<OverlayStatus, number> = {
  suggested: 0xffb000,
  accepted: 0x22c55e,
  declined: 0xef4444,
  manual: 0x38bdf8,
  selected: 0xffffff,
};

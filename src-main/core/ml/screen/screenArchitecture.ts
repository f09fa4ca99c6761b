// The sweep screen's architecture as data: a small network that scores a crop much faster than
// MICRA-Net so a sweep explains only the crops it cannot rule out. The crop is averaged down by
// `downsample` (markers are 60 px and more across: they stay visible at a quarter of the
// resolution), then conv3×3 + ReLU blocks of `widths` with a 2×2 max pool after POOL_AFTER, a
// global max pool and a linear layer: MICRA-Net's shape at a sixteenth of its input and an eighth
// of its width, about 1/90 of its arithmetic on a 256² crop. No batch norm, so the engine's
// forward is conv + bias + ReLU and a distillation needs no running statistics.
// scripts/distillScreenTorch.py follows the same definition.

export interface ScreenShape {
  /** Averaging factor applied to the crop before the first conv. */
  downsample: number;
  /** Output channels of each conv block. */
  widths: number[];
  inChannels: number;
  numClasses: number;
}

export const DEFAULT_DOWNSAMPLE = 4;
export const DEFAULT_WIDTHS: readonly number[] = [16, 16, 32, 32, 64, 64];
/** A 2×2 max pool follows these blocks (0-based). */
export const POOL_AFTER: ReadonlySet<number> = new Set([1, 3]);

/** Array names of a screen manifest, PyTorch layouts (conv [out,in,3,3], linear [out,in]). */
export const SCREEN_PREFIX = 'screen/';
export const convName = (i: number, part: 'weight' | 'bias'): string => `${SCREEN_PREFIX}conv${i + 1}.${part}`;
export const linearName = (part: 'weight' | 'bias'): string => `${SCREEN_PREFIX}linear.${part}`;

/** Crop sizes the screen accepts: divisible by the downsampling and by its pools. */
export function screenSizeMultiple(shape: Pick<ScreenShape, 'downsample'>): number {
  return shape.downsample * 2 ** POOL_AFTER.size;
}

export function defaultScreenShape(inChannels: number, numClasses: number): ScreenShape {
  return { downsample: DEFAULT_DOWNSAMPLE, widths: [...DEFAULT_WIDTHS], inChannels, numClasses };
}

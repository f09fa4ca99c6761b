// The MICRA-Net architecture as data: block names (PyTorch's), widths and where pooling happens.
// Everything that walks the network (model, weight loading, Grad-CAM) reads it from here.

export const BLOCK_NAMES = ['1a', '1b', '2a', '2b', '3a', '3b', '4a', '4b'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

export const BLOCK_CHANNELS: Readonly<Record<BlockName, number>> = {
  '1a': 32, '1b': 32, '2a': 64, '2b': 64, '3a': 128, '3b': 128, '4a': 256, '4b': 256,
};

/** A 2×2 max pool (stride 2) follows these blocks. */
export const POOL_AFTER: ReadonlySet<BlockName> = new Set<BlockName>(['1b', '2b', '3b']);

/** Width of the global-max-pooled feature that feeds the linear layer. */
export const FEATURE_WIDTH = 256;

/** PyTorch's BatchNorm2d defaults, which the reference uses. */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;
export const DROPOUT_RATE = 0.5;

/** Input H and W must be multiples of this (three 2×2 pools). */
export const SIZE_MULTIPLE = 8;

/** Downsampling factor of each block's output relative to the input. */
export function blockStride(block: BlockName): number {
  const i = BLOCK_NAMES.indexOf(block);
  return 2 ** Math.floor(i / 2);
}

export type FineTuneMode = 'all' | 'linear' | 'linear+4' | 'linear+3-4';

/** Blocks whose parameters train in a fine-tuning mode (the linear layer always trains). */
export function blocksTrainedIn(mode: FineTuneMode): readonly BlockName[] {
  switch (mode) {
    case 'all':
      return BLOCK_NAMES;
    case 'linear':
      return [];
    case 'linear+4':
      return ['4a', '4b'];
    case 'linear+3-4':
      return ['3a', '3b', '4a', '4b'];
  }
}

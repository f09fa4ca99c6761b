// The `model` key of a weights manifest: what a reader needs to build the network before it
// loads the arrays (loadMicraNetWeights reads it back). No TensorFlow.js here, so main can write
// a weights folder (a converted model zoo) without loading the engine.
import { BN_EPSILON } from '../model/architecture';
import type { ModelCard } from './modelCard';

/** Weights arrays are named `weights/<PyTorch state_dict name>` in the manifest. */
export const WEIGHTS_PREFIX = 'weights/';

export function manifestModelInfo(inChannels: number, numClasses: number, card: ModelCard): Record<string, unknown> {
  return {
    architecture: 'MICRA-Net',
    in_channels: inChannels,
    num_classes: numClasses,
    train_size: card.inputSize,
    layout: 'PyTorch state_dict: conv weight [out,in,kh,kw], linear weight [out,in]',
    bn_eps: BN_EPSILON,
  };
}

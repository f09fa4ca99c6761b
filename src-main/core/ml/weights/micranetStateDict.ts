// MICRA-Net's PyTorch state_dict as data: every parameter name with its PyTorch-layout shape,
// derived from the architecture alone (no TensorFlow.js), for checking weights that come from
// outside before any network is built. PyTorch's `num_batches_tracked` counters are not
// parameters of the network in eval mode and are not listed.
import { BLOCK_CHANNELS, BLOCK_NAMES, FEATURE_WIDTH } from '../model/architecture';

/** Names ending with this are BatchNorm's step counters, which the engine does not use. */
export const NUM_BATCHES_TRACKED = '.num_batches_tracked';

export function micranetStateDictShapes(inChannels: number, numClasses: number): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  let prev = inChannels;
  for (const block of BLOCK_NAMES) {
    const out = BLOCK_CHANNELS[block];
    shapes.set(`conv${block}.weight`, [out, prev, 3, 3]);
    shapes.set(`conv${block}.bias`, [out]);
    for (const p of ['weight', 'bias', 'running_mean', 'running_var']) shapes.set(`bnorm${block}.${p}`, [out]);
    prev = out;
  }
  shapes.set('linear1.weight', [numClasses, FEATURE_WIDTH]);
  shapes.set('linear1.bias', [numClasses]);
  return shapes;
}

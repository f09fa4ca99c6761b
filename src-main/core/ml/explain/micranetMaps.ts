// Everything MICRA-Net says about one crop and one class, as plain arrays: logits, the Grad-CAM
// map of every block, the PCA map, its σ1-smoothed version (precise_raw), the EM mask and the
// coarse (block 8) map. Used by `micra maps` and by review to segment an accepted region.
import * as tf from '@tensorflow/tfjs-core';
import type { MicraNet } from '../model/micranet';
import { emPostprocess, preciseRaw } from '../postprocess/emPostprocess';
import { gradCamAllBlocks } from './gradcam';
import { coarseMap, pcaMap } from './pcaMap';
import type { BinaryMask, ScalarMap } from './scalarMap';

export interface MicraNetMaps {
  logits: Float32Array;
  gradcam: Float32Array[];
  gradcamSizes: [number, number][];
  pca: ScalarMap;
  preciseRaw: ScalarMap;
  preciseMask: BinaryMask;
  coarse: ScalarMap;
}

/** `pixels`: the preprocessed crop, [height, width, channels] interleaved. */
export async function computeMaps(net: MicraNet, pixels: Float32Array, width: number, height: number, classIndex: number): Promise<MicraNetMaps> {
  if (pixels.length !== width * height * net.inChannels) {
    throw new Error(`crop of ${pixels.length} values is not ${width}×${height}×${net.inChannels}`);
  }
  const x = tf.tensor4d(pixels, [1, height, width, net.inChannels]);
  let cam;
  try {
    cam = await gradCamAllBlocks(net, x, classIndex);
  } finally {
    x.dispose();
  }
  const pca = pcaMap(cam.maps, cam.sizes, width, height);
  const raw = preciseRaw(pca);
  return {
    logits: cam.logits,
    gradcam: cam.maps,
    gradcamSizes: cam.sizes,
    pca,
    preciseRaw: raw,
    preciseMask: emPostprocess(raw),
    coarse: coarseMap(cam.maps, cam.sizes, width, height),
  };
}

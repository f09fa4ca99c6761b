// tfjs-core's Node build (dist/tf-core.node.js, what `import '@tensorflow/tfjs-core'` loads
// under Node, tsx, vitest and our esbuild bundles) registers NO gradient functions: they live
// only in its ES-module tree (dist/register_all_gradients.js), whose extensionless imports
// Node cannot load. The union package @tensorflow/tfjs bundles them, but we do not ship it.
// So tf.grad fails on every backend ("gradient function not found for RealDiv") until the
// gradients of the kernels we differentiate through are registered here.
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import { elementwiseGradients } from './elementwiseGradients';
import { layerGradients } from './layerGradients';

/** Kernel names whose gradients this module provides. */
export const NODE_GRADIENT_KERNELS: readonly string[] = [...elementwiseGradients, ...layerGradients].map((g) => g.kernelName);

/**
 * Registers the gradients MICRA-Net needs, leaving any already registered (e.g. by
 * @tensorflow/tfjs when tfjs-node is installed) untouched. Idempotent; applies to all backends.
 */
export function registerNodeGradients(): void {
  for (const config of [...elementwiseGradients, ...layerGradients]) {
    if (getGradient(config.kernelName) == null) registerGradient(config);
  }
}

// Replaces the wasm backend's backward convolutions with ones built on its fast forward
// Conv2D: Conv2DBackpropInput (stock: a slow scalar loop) and Conv2DBackpropFilter (stock:
// missing, so tf.grad of any conv net fails on wasm); and makes Identity and same-dtype Cast
// share data instead of copying it. Everything else a MICRA-Net training step or Grad-CAM
// needs (MaxPoolGrad, the fused-conv gradient, which is expressed through the two backward
// convolutions, reductions, Adam's element-wise ops) is provided by the wasm backend.
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilterFast } from './conv2dBackpropFilterFast';
import { makeConv2DBackpropInputFast } from './conv2dBackpropInputFast';
import { makeSharingCast, makeSharingIdentity } from './sharedDataKernels';

const WASM = 'wasm';

/** Marks our kernels so a second registration (another importer, a hot reload) is a no-op. */
const FAST_KERNEL_TAG = Symbol.for('micra.fastWasmKernel');

type TaggedKernelFunc = KernelFunc & { [FAST_KERNEL_TAG]?: true };

function tagged(fn: (args: never) => unknown): TaggedKernelFunc {
  const kernelFunc = fn as unknown as TaggedKernelFunc;
  kernelFunc[FAST_KERNEL_TAG] = true;
  return kernelFunc;
}

function isFast(kernelName: string): boolean {
  const existing = getKernel(kernelName, WASM);
  return existing != null && (existing.kernelFunc as TaggedKernelFunc)[FAST_KERNEL_TAG] === true;
}

/**
 * Swaps in our kernel, keeping the stock kernel's setup: the engine runs setup functions when
 * the backend initialises, and the stock kernel we fall back to needs its own (its wasm cwrap).
 */
function replaceKernel(kernelName: string, kernelFunc: TaggedKernelFunc): void {
  if (isFast(kernelName)) return;
  const stock = getKernel(kernelName, WASM);
  if (stock != null) unregisterKernel(kernelName, WASM);
  registerKernel({ kernelName, backendName: WASM, kernelFunc, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc });
}

/** The kernels this module installs, for reports and tests. */
export const FAST_WASM_KERNELS = ['Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Identity', 'Cast'] as const;

/**
 * Registers the fast kernels for the 'wasm' backend. Idempotent. Call it before or after the
 * backend is initialised: the kernels need no setup of their own, they call the backend's
 * Conv2D, Transpose, Reverse, PadV2, Slice and Reshape kernels (and its stock Cast for real
 * conversions).
 *
 * Not done, on purpose: per-channel Sum/Mean as a product with ones. wasm's BatchMatMul packs
 * its right operand as XNNPACK weights and caches them until that tensor is freed, so the
 * activation-sized packed copies pile up for a whole training step (out of memory at batch 8).
 */
export function registerFastWasmKernels(): void {
  replaceKernel('Conv2DBackpropInput', tagged(makeConv2DBackpropInputFast(WASM)));
  replaceKernel('Conv2DBackpropFilter', tagged(makeConv2DBackpropFilterFast(WASM)));
  if (!isFast('Identity')) replaceKernel('Identity', tagged(makeSharingIdentity(getKernel('Identity', WASM)?.kernelFunc)));
  if (!isFast('Cast')) replaceKernel('Cast', tagged(makeSharingCast(stockKernel('Cast'))));
}

function stockKernel(kernelName: string): KernelFunc {
  const stock = getKernel(kernelName, WASM);
  if (stock == null) throw new Error(`the wasm backend has no ${kernelName} kernel to wrap`);
  return stock.kernelFunc;
}

/** True when all of FAST_WASM_KERNELS are the ones registered for wasm. */
export function fastWasmKernelsRegistered(): boolean {
  return FAST_WASM_KERNELS.every(isFast);
}

// Test helper: switch tfjs between the cpu and wasm backends (wasm with the engine's fast
// backward kernels, as the app runs it).
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFastWasmKernels } from '../../../src-main/core/ml/kernels';

export type TestBackend = 'cpu' | 'wasm';
export const TEST_BACKENDS: readonly TestBackend[] = ['cpu', 'wasm'];

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let wasmPathsSet = false;

export async function useBackend(name: TestBackend): Promise<void> {
  if (name === 'wasm') {
    if (!wasmPathsSet) {
      setWasmPaths(path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
      wasmPathsSet = true;
    }
    registerFastWasmKernels();
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

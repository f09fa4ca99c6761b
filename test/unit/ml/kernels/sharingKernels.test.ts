// Identity and same-dtype Cast share data on wasm without breaking tensor semantics.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastWasmKernelsRegistered, registerFastWasmKernels } from '../../../../src-main/core/ml/kernels';

describe('wasm data-sharing kernels', () => {
  beforeAll(async () => {
    registerFastWasmKernels();
    await tf.setBackend('wasm');
  });

  it('are registered', () => expect(fastWasmKernelsRegistered()).toBe(true));

  it('share data for Identity and same-dtype Cast, copy for real casts, and free it once', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor([1.5, -2.25, 3], [3]);
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    const asInt = tf.cast(x, 'int32');
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(2); // x's data once, plus the int32 copy
    x.dispose();
    expect(Array.from(await clone.data())).toEqual([1.5, -2.25, 3]);
    clone.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2.25, 3]);
    expect(Array.from(await asInt.data())).toEqual([1, -2, 3]);
    tf.dispose([same, asInt]);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
  });
});

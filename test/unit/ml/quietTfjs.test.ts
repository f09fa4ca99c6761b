// TensorFlow.js prints a banner urging to install tfjs-node the first time the plain cpu backend
// holds a tensor; a backend chosen by initBackend (app, compute process, CLI) prints nothing.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../src-main/core/ml/backend';

afterEach(() => vi.restoreAllMocks());

describe('tfjs console', () => {
  it('stays quiet on the cpu backend once initBackend chose it', async () => {
    // Vitest sets no IS_TEST flag of tfjs's: without production mode the banner would be warned.
    expect(tf.env().getBool('IS_TEST')).toBe(false);
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    expect((await initBackend('cpu')).name).toBe('cpu');
    tf.tensor1d([1, 2, 3]).dispose();
    expect([...warn.mock.calls, ...log.mock.calls].flat().join('\n')).not.toMatch(/tfjs-node|running TensorFlow\.js in Node/);
  });
});

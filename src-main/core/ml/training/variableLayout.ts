// Named float32 arrays laid end to end in one SharedArrayBuffer: the model's variables (written
// by the coordinator after each update, read by every shard worker) and each worker's
// gradients (written by the worker, summed by the coordinator). Shared memory instead of
// messages: nothing is copied between threads, only into and out of each engine's tensors.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MicraNet } from '../model/micranet';

export const LayoutEntrySchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  offset: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
});
export type LayoutEntry = z.infer<typeof LayoutEntrySchema>;

export interface Layout {
  entries: LayoutEntry[];
  /** Floats in all. */
  length: number;
}

export function layoutOf(items: ReadonlyArray<{ name: string; shape: readonly number[] }>): Layout {
  let offset = 0;
  const entries = items.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const e = { name, shape: [...shape], offset, size };
    offset += size;
    return e;
  });
  return { entries, length: offset };
}

/** The layout of `names` (model state_dict names) of `net`. */
export function netLayout(net: MicraNet, names: readonly string[]): Layout {
  return layoutOf(
    names.map((name) => {
      const v = net.variables.get(name);
      if (!v) throw new Error(`the network has no variable ${name}`);
      return { name, shape: v.shape };
    }),
  );
}

export function sharedFloats(layout: Layout, copies = 1): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(4, layout.length * copies * 4));
}

function entryOf(layout: Layout, name: string): LayoutEntry {
  const e = layout.entries.find((x) => x.name === name);
  if (!e) throw new Error(`${name} is not in the shared layout`);
  return e;
}

/** Copies the named variables of `net` into `target` (laid out by `layout`). */
export function writeVariables(net: MicraNet, layout: Layout, target: Float32Array, names: readonly string[]): void {
  for (const name of names) {
    const e = entryOf(layout, name);
    const v = net.variables.get(name) as tf.Variable;
    target.set(v.dataSync() as Float32Array, e.offset);
  }
}

/** Assigns the named variables of `net` from `source`. */
export function readVariables(net: MicraNet, layout: Layout, source: Float32Array, names: readonly string[]): void {
  for (const name of names) {
    const e = entryOf(layout, name);
    const v = net.variables.get(name);
    if (!v) throw new Error(`the network has no variable ${name}`);
    // slice(): a private copy; the cpu backend would otherwise keep a view of shared memory.
    const t = tf.tensor(source.slice(e.offset, e.offset + e.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}

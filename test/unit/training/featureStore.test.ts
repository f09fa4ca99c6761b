// The persistent frozen-feature store's files and folders: entries round-trip; a truncated,
// corrupt, renamed (foreign) or linked file is refused, deleted and reads as absent (the
// trainer recomputes it); a killed write leaves no entry; the store is pruned least recently
// used first (a read counts as a use) and never through links; a project whose cache folder is
// a link gets no store; the namespace and the frozen-part digest change with what the
// features depend on (a running statistic of a frozen block included) and only with that.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/core/ml/backend';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';
import { FEATURE_FILE_HEADER_BYTES, FEATURE_FILE_SUFFIX, FeatureFileStore } from '../../../src-main/core/ml/training/featureFiles';
import { FeatureCache } from '../../../src-main/core/ml/training/featureCache';
import { cropDigest, featureKey } from '../../../src-main/core/ml/training/featureKeys';
import {
  featureNamespaceId,
  openFeatureCache,
  projectFeatureStoreRoot,
  pruneFeatureStore,
  type FeatureNamespace,
} from '../../../src-main/core/ml/training/featureStore';
import { frozenPartDigest } from '../../../src-main/core/ml/training/frozenDigest';
import { PreprocessingSchema } from '../../../src-main/core/ml/weights/modelCard';

const FLOATS = 16;
const features = (seed: number) => Float32Array.from({ length: FLOATS }, (_, i) => Math.sin(seed * 31 + i));

describe('feature files', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-fs-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const key = featureKey(cropDigest(features(1)), 3);
  const fileOf = (dir: string, k = key) => path.join(dir, k + FEATURE_FILE_SUFFIX);

  it('round-trips an entry through a file of header + payload', () => {
    const dir = tmp();
    const store = new FeatureFileStore(dir, 'ns', FLOATS);
    expect(store.has(key)).toBe(false);
    expect(store.read(key)).toBeNull();
    expect(store.write(key, features(1))).toBe(true);
    expect(store.has(key)).toBe(true);
    expect(fs.statSync(fileOf(dir)).size).toBe(FEATURE_FILE_HEADER_BYTES + FLOATS * 4);
    expect(new FeatureFileStore(dir, 'ns', FLOATS).read(key)).toEqual(features(1));
    expect(fs.readdirSync(dir)).toEqual([key + FEATURE_FILE_SUFFIX]);
    expect(store.rejected).toBe(0);
  });

  it('refuses a truncated file, a flipped payload bit, a renamed file and another namespace, and deletes them', () => {
    const dir = tmp();
    const store = new FeatureFileStore(dir, 'ns', FLOATS);
    store.write(key, features(1));
    const good = fs.readFileSync(fileOf(dir));

    fs.writeFileSync(fileOf(dir), good.subarray(0, good.length - 4));
    expect(store.has(key)).toBe(false);
    expect(store.read(key)).toBeNull();
    expect(fs.existsSync(fileOf(dir))).toBe(false);

    const flipped = Buffer.from(good);
    flipped[FEATURE_FILE_HEADER_BYTES + 5]! ^= 1;
    fs.writeFileSync(fileOf(dir), flipped);
    expect(store.has(key)).toBe(true); // the size is right: only the checksum tells
    expect(store.read(key)).toBeNull();
    expect(fs.existsSync(fileOf(dir))).toBe(false);

    // A valid entry of another key copied under this key's name.
    const other = featureKey(cropDigest(features(2)), 0);
    store.write(other, features(2));
    fs.copyFileSync(fileOf(dir, other), fileOf(dir));
    expect(store.read(key)).toBeNull();
    expect(store.read(other)).toEqual(features(2));

    // A valid entry of another namespace (another base model) in this folder.
    new FeatureFileStore(dir, 'other-ns', FLOATS).write(key, features(1));
    expect(store.read(key)).toBeNull();
    expect(store.rejected).toBe(4);
    // And the store still writes and reads after all that.
    store.write(key, features(1));
    expect(store.read(key)).toEqual(features(1));
  });

  it('never reads through a symbolic link, and removes the link, not its target', () => {
    const dir = tmp();
    const outside = tmp();
    const target = new FeatureFileStore(outside, 'ns', FLOATS);
    target.write(key, features(1));
    fs.symlinkSync(fileOf(outside), fileOf(dir));
    const store = new FeatureFileStore(dir, 'ns', FLOATS);
    expect(store.has(key)).toBe(false);
    expect(store.read(key)).toBeNull();
    expect(fs.existsSync(fileOf(dir))).toBe(false);
    expect(target.read(key)).toEqual(features(1));
  });

  it('a write killed before its rename leaves no entry', () => {
    const dir = tmp();
    const store = new FeatureFileStore(dir, 'ns', FLOATS);
    // What a killed writer leaves: a partial temporary file.
    fs.writeFileSync(path.join(dir, `${key}.999-0-0.tmp`), Buffer.alloc(10));
    expect(store.has(key)).toBe(false);
    expect(store.read(key)).toBeNull();
    expect(store.write(key, features(1))).toBe(true);
    expect(store.read(key)).toEqual(features(1));
  });

  it('the memory layer recomputes an entry whose file went bad (reads as absent)', () => {
    const dir = tmp();
    const files = new FeatureFileStore(dir, 'ns', FLOATS);
    const cache = new FeatureCache({ files, maxBytes: FLOATS * 4, writeThrough: true });
    const other = featureKey(cropDigest(features(2)), 0);
    cache.put(key, features(1));
    cache.put(other, features(2)); // evicts `key` from memory: it is only in its file now
    fs.truncateSync(fileOf(dir), 7);
    expect(cache.get(key)).toBeNull();
    expect(cache.get(other)).toEqual(features(2));
    const s = cache.stats();
    expect(s).toMatchObject({ misses: 2, stored: 2, rejected: 1, diskReads: 0 });
    cache.dispose();
    expect(fs.existsSync(fileOf(dir, other))).toBe(true); // persistent: files stay
  });
});

describe('feature store folders', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-fstore-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('lives in <project>/cache/features, and not at all when cache/ is a link', () => {
    const project = tmp();
    expect(projectFeatureStoreRoot(project)).toBe(path.join(project, 'cache', 'features'));
    expect(fs.lstatSync(path.join(project, 'cache', 'features')).isDirectory()).toBe(true);
    const linked = tmp();
    const elsewhere = tmp();
    fs.symlinkSync(elsewhere, path.join(linked, 'cache'));
    expect(projectFeatureStoreRoot(linked)).toBeNull();
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('prunes least recently used files first, a read counting as a use, plus stale temporary files and links', () => {
    const root = tmp();
    const ns = path.join(root, 'a');
    fs.mkdirSync(ns);
    const store = new FeatureFileStore(ns, 'a', FLOATS);
    const keys = [1, 2, 3, 4].map((i) => featureKey(cropDigest(features(i)), 0));
    const t0 = Date.now() / 1000 - 10_000;
    keys.forEach((k, i) => {
      store.write(k, features(i + 1));
      fs.utimesSync(path.join(ns, k + FEATURE_FILE_SUFFIX), t0 + i, t0 + i);
    });
    // The oldest, used again by a later run (a fresh store: its first read sets the time).
    expect(new FeatureFileStore(ns, 'a', FLOATS).read(keys[0]!)).toEqual(features(1));
    const tmpFile = path.join(ns, 'x.1-0-0.tmp');
    fs.writeFileSync(tmpFile, 'partial');
    fs.utimesSync(tmpFile, t0, t0);
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'keep'), 'x');
    fs.symlinkSync(path.join(outside, 'keep'), path.join(ns, 'link.mfc'));
    fs.symlinkSync(outside, path.join(root, 'linked-ns'));
    const entry = FEATURE_FILE_HEADER_BYTES + FLOATS * 4;
    const r = pruneFeatureStore(root, 2 * entry + 10);
    expect(r.bytes).toBe(2 * entry);
    const left = fs.readdirSync(ns).sort();
    // keys[1], keys[2] were the least recently used; the temp file and the links went too.
    expect(left).toEqual([keys[0]!, keys[3]!].map((k) => k + FEATURE_FILE_SUFFIX).sort());
    expect(fs.existsSync(path.join(root, 'linked-ns'))).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'keep'), 'utf8')).toBe('x');
    // Down to nothing: the emptied namespace folder goes as well.
    expect(pruneFeatureStore(root, 0).bytes).toBe(0);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('a per-run cache (no store) starts from an empty folder and removes it at the end', () => {
    const runDir = path.join(tmp(), 'feature-cache');
    fs.mkdirSync(runDir);
    fs.writeFileSync(path.join(runDir, 'left-by-a-killed-run.mfc'), 'x');
    const opened = openFeatureCache({ storeRoot: undefined, storeBytes: 0, runDir, namespace: 'n', floats: FLOATS, memoryBytes: 0 });
    expect(opened.persistent).toBe(false);
    expect(fs.readdirSync(runDir)).toEqual([]);
    opened.cache.put('a', features(1));
    opened.cache.put('b', features(2)); // memory bound 0: 'a' spills
    expect(opened.cache.get('a')).toEqual(features(1)); // read back; 'b' spills in turn
    expect(opened.cache.stats()).toMatchObject({ spilled: 2, diskReads: 1, stored: 0 });
    opened.close();
    expect(fs.existsSync(runDir)).toBe(false);
  });
});

describe('feature namespaces', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const base: FeatureNamespace = { frozenDigest: 'd', to: 6, size: 64, channels: 1, preprocessing: PreprocessingSchema.parse({}), backend: 'wasm' };

  it('differ with each thing the features depend on', () => {
    const id = featureNamespaceId(base);
    expect(featureNamespaceId({ ...base })).toBe(id);
    const variants: FeatureNamespace[] = [
      { ...base, frozenDigest: 'e' },
      { ...base, to: 8 },
      { ...base, size: 128 },
      { ...base, channels: 3 },
      { ...base, backend: 'cpu' },
      { ...base, preprocessing: { ...base.preprocessing, invert: !base.preprocessing.invert } },
    ];
    expect(new Set([id, ...variants.map(featureNamespaceId)]).size).toBe(variants.length + 1);
  });

  it('the frozen-part digest follows the frozen blocks, running statistics included, and nothing else', async () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 3 });
    try {
      const to = 6; // linear+4: blocks 1a–3b frozen
      const d0 = await frozenPartDigest(net, to);
      const bump = async (name: string): Promise<string> => {
        const v = net.variables.get(name)!;
        const before = v.clone();
        v.assign(tf.add(v, 1e-6));
        const d = await frozenPartDigest(net, to);
        v.assign(before);
        before.dispose();
        return d;
      };
      expect(await bump('bnorm3b.running_var')).not.toBe(d0);
      expect(await bump('conv1a.weight')).not.toBe(d0);
      expect(await bump('conv4a.weight')).toBe(d0);
      expect(await bump('linear1.weight')).toBe(d0);
      expect(await frozenPartDigest(net, to)).toBe(d0);
      expect(await frozenPartDigest(net, 8)).not.toBe(d0);
    } finally {
      net.dispose();
    }
  });
});

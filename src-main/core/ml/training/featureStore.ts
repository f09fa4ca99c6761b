// The persistent frozen-feature store: "Retrain from decisions" is a loop (label 10–30 more
// crops, retrain from the same base in the same mode), and almost all of a cached fine-tuning
// run is computing each crop's frozen features once. Kept in the project at
// `cache/features/<namespace>/<crop digest>_<variant>.mfc`, they let the next run compute only
// the new crops'. The namespace is a digest of everything the features depend on besides the
// crop: the frozen part's weights and batch-norm statistics (frozenDigest.ts), the frozen block
// range, the input size and channels, the preprocessing and the backend (backends round
// differently, and a warm run must give a cold run's weights). The crop digest is taken over
// the preprocessed pixels (featureKeys.ts).
// Bounded on disk: files are pruned least recently used first (a read sets the file's time)
// when a run opens and closes the store, down to `maxBytes` (default 2 GiB); a run's own
// entries are the newest, so they go last. Untrusted content: see featureFiles.ts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Preprocessing } from '../weights/modelCard';
import { FeatureCache } from './featureCache';
import { FEATURE_TMP_SUFFIX, FeatureFileStore, ownedSubdir } from './featureFiles';

/** The store inside a project folder. */
export const PROJECT_FEATURE_STORE_DIR = ['cache', 'features'] as const;
export const DEFAULT_FEATURE_STORE_BYTES = 2 * 1024 ** 3;
/** A .tmp this old is a write that a killed process never finished. */
const STALE_TMP_MS = 60 * 60 * 1000;
/** Bumped when the file format or what the features mean changes: old folders are never read. */
const NAMESPACE_VERSION = 1;

export interface FeatureNamespace {
  /** frozenPartDigest of blocks [0, to). */
  frozenDigest: string;
  to: number;
  size: number;
  channels: number;
  preprocessing: Preprocessing;
  backend: string;
}

/** JSON with object keys sorted, so equal values always give the same text. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The namespace's folder name: SHA-256 (hex) of everything the features depend on but the crop. */
export function featureNamespaceId(ns: FeatureNamespace): string {
  return createHash('sha256').update(stableJson({ version: NAMESPACE_VERSION, ...ns })).digest('hex');
}

/**
 * `<project>/cache/features`, created when missing; null when a part of it is not a real
 * folder (a symbolic link, a file): the run then keeps its features for itself, as without a project.
 */
export function projectFeatureStoreRoot(projectDir: string): string | null {
  let dir: string | null = projectDir;
  for (const part of PROJECT_FEATURE_STORE_DIR) {
    dir = ownedSubdir(dir, part);
    if (dir === null) return null;
  }
  return dir;
}

export interface PruneResult {
  /** Bytes left in the store. */
  bytes: number;
  removed: number;
}

interface StoreFile {
  file: string;
  bytes: number;
  usedMs: number;
}

/**
 * Removes files of `root` least recently used first until at most `maxBytes` are left, plus
 * links (nothing in the store is one), .tmp files of killed writes, and emptied namespaces.
 * Never follows a link; best effort (a file removed meanwhile by another run is skipped).
 */
export function pruneFeatureStore(root: string, maxBytes: number, nowMs = Date.now()): PruneResult {
  const files: StoreFile[] = [];
  let removed = 0;
  const remove = (file: string): void => {
    try {
      fs.unlinkSync(file);
      removed++;
    } catch {
      // Gone already (another run pruned it), or not removable: nothing to do.
    }
  };
  const namespaces: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isSymbolicLink()) remove(full);
    else if (entry.isDirectory()) namespaces.push(full);
  }
  for (const dir of namespaces) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        remove(file);
        continue;
      }
      if (!entry.isFile()) continue;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(file);
      } catch {
        continue;
      }
      if (entry.name.endsWith(FEATURE_TMP_SUFFIX) && nowMs - st.mtimeMs > STALE_TMP_MS) remove(file);
      else files.push({ file, bytes: st.size, usedMs: st.mtimeMs });
    }
  }
  let bytes = files.reduce((a, f) => a + f.bytes, 0);
  files.sort((a, b) => a.usedMs - b.usedMs);
  for (const f of files) {
    if (bytes <= maxBytes) break;
    remove(f.file);
    bytes -= f.bytes;
  }
  for (const dir of namespaces) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // Not empty: kept.
    }
  }
  return { bytes, removed };
}

export interface OpenFeatureCacheOptions {
  /** The persistent store's folder (see projectFeatureStoreRoot); undefined: per run only. */
  storeRoot: string | undefined;
  /** Disk bound of the persistent store. */
  storeBytes: number;
  /** The per-run spill folder, removed at close (also the fallback when the store is unusable). */
  runDir: string;
  /** featureNamespaceId of the run's features. */
  namespace: string;
  /** Floats per entry. */
  floats: number;
  /** Memory bound of the in-memory layer. */
  memoryBytes: number;
}

export interface OpenedFeatureCache {
  cache: FeatureCache;
  /** Whether features are kept for later runs. */
  persistent: boolean;
  /** Ends the run's use: the per-run folder is removed, the persistent store pruned to its bound. */
  close(): void;
}

/** pruneFeatureStore as a side task: a failure (the folder gone meanwhile) never fails training; the next run prunes again. */
function tryPrune(root: string, maxBytes: number): void {
  try {
    pruneFeatureStore(root, maxBytes);
  } catch {
    // Best effort.
  }
}

export function openFeatureCache(o: OpenFeatureCacheOptions): OpenedFeatureCache {
  const root = o.storeRoot === undefined ? null : ownedSubdir(path.dirname(o.storeRoot), path.basename(o.storeRoot));
  // Pruned before the namespace's folder is made: pruning removes empty folders.
  if (root !== null) tryPrune(root, o.storeBytes);
  const dir = root === null ? null : ownedSubdir(root, o.namespace);
  if (root !== null && dir !== null) {
    const cache = new FeatureCache({ files: new FeatureFileStore(dir, o.namespace, o.floats), maxBytes: o.memoryBytes, writeThrough: true });
    return {
      cache,
      persistent: true,
      close: () => {
        cache.dispose();
        tryPrune(root, o.storeBytes);
      },
    };
  }
  // A fresh folder: whatever a killed run left there is not this run's.
  fs.rmSync(o.runDir, { recursive: true, force: true });
  fs.mkdirSync(o.runDir, { recursive: true });
  const cache = new FeatureCache({ files: new FeatureFileStore(o.runDir, o.namespace, o.floats), maxBytes: o.memoryBytes, writeThrough: false });
  return { cache, persistent: false, close: () => cache.dispose() };
}

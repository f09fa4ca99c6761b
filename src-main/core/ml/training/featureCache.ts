// The frozen features of fine-tuning (see blockForward.ts): the output of the frozen blocks for
// one (crop, dihedral variant), computed once and reused by every later epoch that draws the
// same variant for that crop — and, with a persistent store (featureStore.ts), by later runs
// whose frozen part is the same. Two layers: an LRU in memory bounded by `maxBytes`, over
// validated files (featureFiles.ts). Per-run cache: least-recently-used entries beyond the
// bound are spilled to files and read back on demand, and `dispose()` removes the folder.
// Persistent cache (`writeThrough`): every entry is written as it is computed, so the next run
// finds it, and nothing is removed here (featureStore.ts prunes by last use). A file that
// fails validation reads as absent, and frozenFeatures.ts recomputes it.
// Entries are tiny in 'linear' mode (256 floats) and large in 'linear+4' (32·32·128 floats =
// 512 KB per 256² crop), hence the files.
import type { FeatureFileStore } from './featureFiles';

export interface FeatureCacheStats {
  entries: number;
  hits: number;
  /** Entries computed (not found in memory nor in a valid file). */
  misses: number;
  /** Entries written on eviction from memory (per-run cache). */
  spilled: number;
  /** Entries read back from files: spilled this run, or kept by an earlier run. */
  diskReads: number;
  /** Entries written as computed (persistent cache). */
  stored: number;
  /** Files found invalid (truncated, corrupt, foreign, a link): deleted and recomputed. */
  rejected: number;
  memoryBytes: number;
}

export interface FeatureCacheOptions {
  files: FeatureFileStore;
  /** Memory for features before the least recently used ones are dropped to their files. */
  maxBytes: number;
  /** Write each entry as it is computed and keep the files (persistent store). */
  writeThrough: boolean;
}

export class FeatureCache {
  /** In memory, least recently used first (Map keeps insertion order). */
  private readonly memory = new Map<string, Float32Array>();
  /** Keys with a valid file written or read this run. */
  private readonly onDisk = new Set<string>();
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, spilled: 0, diskReads: 0, stored: 0 };

  constructor(private readonly o: FeatureCacheOptions) {}

  /** In memory or in a file that looks right (read checks it: a bad one then reads as absent). */
  has(key: string): boolean {
    return this.memory.has(key) || this.onDisk.has(key) || this.o.files.has(key);
  }

  /** The features, or null when not cached (or their file was invalid). */
  get(key: string): Float32Array | null {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      this.counts.hits++;
      return hit;
    }
    const data = this.o.files.read(key);
    if (!data) {
      this.onDisk.delete(key);
      return null;
    }
    this.onDisk.add(key);
    this.counts.diskReads++;
    this.counts.hits++;
    this.remember(key, data);
    return data;
  }

  /** Stores features just computed (a miss: counted as such). */
  put(key: string, data: Float32Array): void {
    if (this.memory.has(key)) return;
    this.counts.misses++;
    if (this.o.writeThrough && this.o.files.write(key, data)) {
      this.onDisk.add(key);
      this.counts.stored++;
    }
    this.remember(key, data);
  }

  stats(): FeatureCacheStats {
    return {
      entries: new Set([...this.memory.keys(), ...this.onDisk]).size,
      ...this.counts,
      rejected: this.o.files.rejected,
      memoryBytes: this.bytes,
    };
  }

  /** Forgets the memory layer; a per-run cache also removes its folder. */
  dispose(): void {
    this.memory.clear();
    this.onDisk.clear();
    this.bytes = 0;
    if (!this.o.writeThrough) this.o.files.removeAll();
  }

  private remember(key: string, data: Float32Array): void {
    this.memory.set(key, data);
    this.bytes += data.byteLength;
    while (this.bytes > this.o.maxBytes && this.memory.size > 1) {
      const [oldest, features] = this.memory.entries().next().value as [string, Float32Array];
      this.memory.delete(oldest);
      this.bytes -= features.byteLength;
      // Not written (or the write failed): it is recomputed if needed again.
      if (!this.onDisk.has(oldest) && this.o.files.write(oldest, features)) {
        this.onDisk.add(oldest);
        this.counts.spilled++;
      }
    }
  }
}

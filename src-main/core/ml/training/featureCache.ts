// The frozen features of fine-tuning (see blockForward.ts): the output of the frozen blocks for
// one (crop, dihedral variant), computed once and reused by every later epoch that draws the
// same variant for that crop. Bounded memory: least-recently-used entries beyond `maxBytes`
// are spilled to `dir` as raw little-endian float32 files (one per entry) and read back on
// demand; `dispose()` removes the folder. Entries are tiny in 'linear' mode (256 floats) and
// large in 'linear+4' (32·32·128 floats = 512 KB per 256² crop), hence the spill.
// Synchronous file I/O: this runs in the training thread, between steps.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FeatureCacheStats {
  entries: number;
  hits: number;
  misses: number;
  spilled: number;
  diskReads: number;
  memoryBytes: number;
}

export class FeatureCache {
  /** In memory, least recently used first (Map keeps insertion order). */
  private readonly memory = new Map<string, Float32Array>();
  /** Keys whose features are in a file (spilled at least once). */
  private readonly onDisk = new Set<string>();
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, spilled: 0, diskReads: 0 };

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  private file(key: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`feature cache key ${JSON.stringify(key)} is not a safe file name`);
    return path.join(this.dir, `${key}.f32`);
  }

  has(key: string): boolean {
    return this.memory.has(key) || this.onDisk.has(key);
  }

  /** The features, or null when not cached. */
  get(key: string): Float32Array | null {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      this.counts.hits++;
      return hit;
    }
    if (this.onDisk.has(key)) {
      const buf = readFileSync(this.file(key));
      const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      this.counts.diskReads++;
      this.counts.hits++;
      this.remember(key, data);
      return data;
    }
    return null;
  }

  /** Stores features just computed (a miss: counted as such). */
  put(key: string, data: Float32Array): void {
    if (this.memory.has(key)) return;
    this.counts.misses++;
    this.remember(key, data);
  }

  stats(): FeatureCacheStats {
    return { entries: new Set([...this.memory.keys(), ...this.onDisk]).size, ...this.counts, memoryBytes: this.bytes };
  }

  /** Removes the spill folder and forgets everything. */
  dispose(): void {
    this.memory.clear();
    this.onDisk.clear();
    this.bytes = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private remember(key: string, data: Float32Array): void {
    this.memory.set(key, data);
    this.bytes += data.byteLength;
    while (this.bytes > this.maxBytes && this.memory.size > 1) {
      const [oldest, features] = this.memory.entries().next().value as [string, Float32Array];
      this.memory.delete(oldest);
      this.bytes -= features.byteLength;
      if (!this.onDisk.has(oldest)) {
        if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true });
        writeFileSync(this.file(oldest), new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
        this.onDisk.add(oldest);
        this.counts.spilled++;
      }
    }
  }
}

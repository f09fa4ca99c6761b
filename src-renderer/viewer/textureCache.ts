// Byte-budgeted LRU of GPU resources (and of anything else with a destroy(): the crop grid's tile
// bodies). Evicted entries are destroyed at once, so GPU memory stays under the budget; entries
// touched for the current frame are the most recent and therefore the last to go.

export interface Destroyable {
  destroy(): void;
}

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

export class ByteBudgetLru<V extends Destroyable> {
  // A Map iterates in insertion order; re-inserting on access makes the first key the oldest.
  private readonly entries = new Map<string, Entry<V>>();
  private totalBytes = 0;

  constructor(private readonly budgetBytes: number) {
    if (!(budgetBytes > 0)) throw new Error('texture budget must be positive');
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get budget(): number {
    return this.budgetBytes;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Returns the value and marks it most recently used. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Looks without changing the recency order. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Adds an entry, then destroys the oldest ones until the total fits the budget. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    this.evictOverBudget(key);
  }

  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.totalBytes -= e.bytes;
    e.value.destroy();
    return true;
  }

  /** Destroys everything (image switched, viewer closed). */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  private evictOverBudget(keep: string): void {
    for (const key of this.entries.keys()) {
      if (this.totalBytes <= this.budgetBytes) return;
      // Never evict what was just added: a single entry over budget still has to be drawable.
      if (key !== keep) this.delete(key);
    }
  }
}

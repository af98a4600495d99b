/** A small least-recently-used cache; evicted values are handed to `dispose` (tfjs variables). */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly capacity: number,
    private readonly dispose: (value: V) => void = () => {},
  ) {}

  /** The cached value of `key`, or `create()`'s, cached (a throwing create caches nothing). */
  get(key: string, create: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = create();
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const [oldest, old] = this.entries.entries().next().value as [string, V];
      this.entries.delete(oldest);
      this.dispose(old);
    }
    return value;
  }

  /** Drops and disposes the value of `key`, if cached (it went stale). */
  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.dispose(value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const value of this.entries.values()) this.dispose(value);
    this.entries.clear();
  }
}

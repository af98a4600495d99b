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

  clear(): void {
    for (const value of this.entries.values()) this.dispose(value);
    this.entries.clear();
  }
}

// One event reaches every subscriber at once. Each subscription resolves it with its own selection, but
// thousands usually ask for the same thing: reading the row once per distinct selection, instead of once per
// subscriber, is what keeps a 10k-subscriber fan-out from becoming 10k queries per event.

const WINDOW_MS = 5_000;
const reads = new Map<string, Promise<unknown>>();

/**
 * Runs `read` once for `key` and hands every caller within a few seconds the same promise. Only for
 * data that is the same for everyone who may see it (an activity row); visibility is decided before this.
 */
export function readShared<T>(key: string, read: () => Promise<T>): Promise<T> {
  let pending = reads.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    reads.set(key, pending);
    const forget = () => setTimeout(() => reads.delete(key), WINDOW_MS).unref();
    // A failed read is forgotten at once, so the next subscriber retries rather than inheriting the error.
    pending.then(forget, () => reads.delete(key));
  }
  return pending;
}

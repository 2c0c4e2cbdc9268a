import { describe, expect, it } from 'vitest';
import { readShared } from './shared-read.ts';

describe('readShared', () => {
  it('reads once for concurrent callers of one key, separately for another key', async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 10));
      return { id: 'a' };
    };
    const results = await Promise.all(Array.from({ length: 1000 }, () => readShared('t1:a', read)));
    expect(reads).toBe(1);
    expect(new Set(results).size).toBe(1);
    await readShared('t1:b', read);
    expect(reads).toBe(2);
  });

  it('forgets a failed read at once, so the next caller retries', async () => {
    let attempts = 0;
    const flaky = async () => {
      attempts++;
      if (attempts === 1) throw new Error('database down');
      return 42;
    };
    await expect(readShared('t2', flaky)).rejects.toThrow('database down');
    await new Promise((r) => setImmediate(r));
    await expect(readShared('t2', flaky)).resolves.toBe(42);
    expect(attempts).toBe(2);
  });
});

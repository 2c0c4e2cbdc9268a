import { describe, expect, it } from 'vitest';
import { uuidv7Time } from '../activity/stream.ts';
import { uuidv7 } from './uuid.ts';

describe('uuidv7', () => {
  it('carries the millisecond, version 7 and the RFC variant, and differs each time', () => {
    const ms = Date.UTC(2026, 11, 5, 21, 45, 1, 234);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).toBe(ms);
    expect(uuidv7(ms)).not.toBe(id);
    // Later milliseconds sort after: keyset pages on id keep their order.
    expect(uuidv7(ms + 1) > id).toBe(true);
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoolTable } from './spool.ts';

const limits = { maxBytes: 64, maxRows: 10 };

// A temporary folder of this file's own, so that imports running in other test files do not show up in it.
const saved = process.env.TMPDIR;
let own = '';
beforeAll(async () => {
  own = await mkdtemp(join(tmpdir(), 'spool-test-'));
  process.env.TMPDIR = own;
});
afterAll(async () => {
  process.env.TMPDIR = saved;
  if (saved === undefined) delete process.env.TMPDIR;
  await rm(own, { recursive: true, force: true });
});

async function* chunks(...parts: (string | Error)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    // A tick between chunks, as a network upload gives, so a late file open would show itself.
    await new Promise((resolve) => setImmediate(resolve));
    if (part instanceof Error) throw part;
    yield Buffer.from(part);
  }
}

describe('spoolTable', () => {
  it('keeps a CSV upload on disk with its size and checksum, and removes it on dispose', async () => {
    const table = await spoolTable(chunks('姓名,性别\n', '张三,男\n'), limits);
    expect(table).toMatchObject({ format: 'csv', encoding: 'utf-8', bytes: Buffer.byteLength('姓名,性别\n张三,男\n') });
    expect(table.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(table.path)).toBe(true);
    await table.dispose();
    expect(existsSync(table.path)).toBe(false);
  });

  // The refusals remove the temporary folder at once; nothing may touch it afterwards (an uncaught ENOENT
  // from a write stream's late open failed a CI run).
  it('refuses an oversized, an empty and a broken upload without leaving a folder or an uncaught error', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    try {
      await expect(spoolTable(chunks('x'.repeat(40), 'y'.repeat(40)), limits)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await expect(spoolTable(chunks(), limits)).rejects.toMatchObject({ extensions: { field: 'file' } });
      await expect(spoolTable(chunks('a,b\n', new Error('connection reset')), limits)).rejects.toThrow('connection reset');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(uncaught).toEqual([]);
    expect(await readdir(own)).toEqual([]);
  });
});

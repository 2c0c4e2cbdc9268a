import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.ts';

describe('the embedded database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'embedded', dataDir: 'memory://' });
  });
  afterAll(() => db.close());

  it('starts with small shared buffers (they live in the server process, see EMBEDDED_SETTINGS)', async () => {
    const [row] = await db.client.$queryRawUnsafe<{ shared_buffers: string }[]>('SHOW shared_buffers');
    expect(row?.shared_buffers).toBe('16MB');
  });

  it('analyzes, as autovacuum would, the tables changed by more than 50 rows plus a tenth since their last ANALYZE', async () => {
    const estimate = async (table: string) =>
      Number(
        (await db.client.$queryRawUnsafe<{ n: number }[]>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = '${table}'`))[0]!.n,
      );
    await db.client.$executeRawUnsafe('CREATE TABLE analyzed_a (id int)');
    await db.client.$executeRawUnsafe('CREATE TABLE analyzed_b (id int)');
    await db.client.$executeRawUnsafe('INSERT INTO analyzed_a SELECT generate_series(1, 1000)');
    await db.client.$executeRawUnsafe('INSERT INTO analyzed_b SELECT generate_series(1, 40)');
    expect(await estimate('analyzed_a')).toBe(-1);
    // 1,000 rows changed in a never-analyzed table: analyzed; 40 are under the threshold of 50.
    expect(await db.analyzeChanged!()).toEqual(['analyzed_a']);
    expect(await estimate('analyzed_a')).toBe(1000);
    expect(await estimate('analyzed_b')).toBe(-1);
    // Nothing changed since: nothing to do. Then 140 more rows in a: under 50 + 10 % of 1,000, so left alone.
    expect(await db.analyzeChanged!()).toEqual([]);
    await db.client.$executeRawUnsafe('INSERT INTO analyzed_a SELECT generate_series(1, 140)');
    expect(await db.analyzeChanged!()).toEqual([]);
    // 10 more: 150 since the last ANALYZE, not more than 150; then one more.
    await db.client.$executeRawUnsafe('INSERT INTO analyzed_a SELECT generate_series(1, 10)');
    expect(await db.analyzeChanged!()).toEqual([]);
    await db.client.$executeRawUnsafe('INSERT INTO analyzed_a SELECT generate_series(1, 1)');
    expect(await db.analyzeChanged!()).toEqual(['analyzed_a']);
    expect(await estimate('analyzed_a')).toBe(1151);
  });
});

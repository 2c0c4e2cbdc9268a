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
});

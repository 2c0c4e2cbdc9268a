import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';

describe('security: rate limits per user and per operation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '30', RATE_LIMIT_PER_FIELD_PER_MINUTE: '10' } });
  });
  afterAll(() => server?.close());

  it('counts aliased fields and answers RATE_LIMITED once a field’s budget is spent', async () => {
    const token = await server.token('SZJGGW', ['MEMBER'], 'user-a');
    const eight = `{ ${Array.from({ length: 8 }, (_, i) => `a${i}: plugins { id }`).join(' ')} }`;
    expect((await server.gql(eight, {}, token)).errors).toBeUndefined();
    const over = await server.gql('{ a: plugins { id } b: plugins { id } c: plugins { id } }', {}, token);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'plugins' });
    expect(over.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    // Another field still has budget; another user has their own.
    expect((await server.gql('{ organizations { totalCount } }', {}, token)).errors).toBeUndefined();
    const other = await server.token('SZJGGW', ['MEMBER'], 'user-b');
    expect((await server.gql('{ plugins { id } }', {}, other)).errors).toBeUndefined();
  });

  it('caps all operations of a user together', async () => {
    const token = await server.token('SZJGGW', ['MEMBER'], 'user-c');
    const fields = ['plugins { id }', 'organizations { totalCount }', 'activities { totalCount }', 'members { totalCount }'];
    let limited: unknown;
    for (let i = 0; i < 10 && !limited; i++) {
      const result = await server.gql(`{ ${fields.map((f, j) => `f${j}: ${f}`).join(' ')} }`, {}, token);
      limited = result.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
    }
    expect(limited).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });
});

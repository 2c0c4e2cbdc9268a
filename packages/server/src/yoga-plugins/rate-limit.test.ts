import { describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { useRateLimit } from './rate-limit.ts';

// The plugin on a minimal schema, through yoga.fetch without a port (as graphql-yoga tests its own plugins);
// the `x-user` header stands in for an authenticated viewer.
function fixture(limits = { perUserPerMinute: 30, perFieldPerMinute: 10 }) {
  let now = 1_000_000;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { a: Int b: Int c: Int d: Int }',
      resolvers: { Query: { a: () => 1, b: () => 2, c: () => 3, d: () => 4 } },
    }),
    plugins: [useRateLimit(limits, () => now)],
    context: ({ request }) => ({ viewer: request.headers.get('x-user') ? { userId: request.headers.get('x-user') } : null }),
    logging: false,
  });
  const gql = async (query: string, headers: Record<string, string> = {}) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { extensions?: Record<string, unknown> }[] };
  };
  return { gql, advance: (ms: number) => void (now += ms) };
}

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `x${i}: ${field}`).join(' ')} }`;

describe('useRateLimit', () => {
  it('counts aliased fields and answers RATE_LIMITED once a field’s budget is spent, per field and per user', async () => {
    const { gql } = fixture();
    const user = { 'x-user': 'user-a' };
    expect((await gql(aliases(8, 'a'), user)).errors).toBeUndefined();
    const over = await gql(aliases(3, 'a'), user);
    expect(over.data).toBeUndefined();
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'a', retryAfter: 60 });
    // Another field still has budget; another user has their own.
    expect((await gql('{ b }', user)).errors).toBeUndefined();
    expect((await gql('{ a }', { 'x-user': 'user-b' })).errors).toBeUndefined();
  });

  it('caps all operations of a user together, and counts an anonymous caller by address', async () => {
    const { gql } = fixture({ perUserPerMinute: 10, perFieldPerMinute: 100 });
    expect((await gql('{ a b c d }', { 'x-user': 'user-c' })).errors).toBeUndefined();
    expect((await gql('{ a b c d }', { 'x-user': 'user-c' })).errors).toBeUndefined();
    expect((await gql('{ a b c d }', { 'x-user': 'user-c' })).errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'all operations',
    });
    expect((await gql(aliases(10, 'a'), { 'x-forwarded-for': '10.0.0.1' })).errors).toBeUndefined();
    expect((await gql('{ a }', { 'x-forwarded-for': '10.0.0.1' })).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await gql('{ a }', { 'x-forwarded-for': '10.0.0.2' })).errors).toBeUndefined();
  });

  it('gives a fresh budget after the minute, and says how long to wait until then', async () => {
    const { gql, advance } = fixture({ perUserPerMinute: 100, perFieldPerMinute: 1 });
    const user = { 'x-user': 'user-d' };
    expect((await gql('{ a }', user)).errors).toBeUndefined();
    advance(45_500);
    expect((await gql('{ a }', user)).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 15 });
    advance(14_500);
    expect((await gql('{ a }', user)).errors).toBeUndefined();
  });
});

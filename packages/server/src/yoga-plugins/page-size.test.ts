import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { oversizedPage, usePageSizeLimit } from './page-size.ts';

describe('oversizedPage', () => {
  it('names the first literal page argument over the maximum or below zero', () => {
    expect(oversizedPage(parse('{ organizations(first: 10) { edges { node { members(last: 101) { totalCount } } } } }'), {}, 100)).toBe(
      'members.last',
    );
    expect(oversizedPage(parse('{ organizations(first: -1) { totalCount } }'), {}, 100)).toBe('organizations.first');
    expect(oversizedPage(parse('{ organizations(first: 100) { totalCount } }'), {}, 100)).toBeNull();
  });

  it('reads variables of each request, though the document is walked once', () => {
    const document = parse(
      'query ($n: Int, $m: Int) { organizations(first: $n) { edges { node { members(first: $m) { totalCount } } } } }',
    );
    expect(oversizedPage(document, { n: 5, m: 5 }, 100)).toBeNull();
    expect(oversizedPage(document, { n: 5, m: 500 }, 100)).toBe('members.first');
    expect(oversizedPage(document, { n: 1000, m: 5 }, 100)).toBe('organizations.first');
    expect(oversizedPage(document, undefined, 100)).toBeNull();
  });

  it('finds page arguments inside fragments', () => {
    const document = parse(
      '{ organizations(first: 1) { ...f } } fragment f on OrganizationConnection { edges { node { children { members(first: 200) { totalCount } } } } }',
    );
    expect(oversizedPage(document, {}, 100)).toBe('members.first');
  });
});

describe('usePageSizeLimit through yoga.fetch', () => {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { items(first: Int, last: Int): [Int!]! }',
      resolvers: { Query: { items: (_: unknown, args: { first?: number }) => Array.from({ length: args.first ?? 0 }, (_, i) => i) } },
    }),
    plugins: [usePageSizeLimit(100)],
    logging: false,
  });
  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: { items: number[] } | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  };

  it('refuses an oversized page before execution, naming the argument; never a shorter page', async () => {
    const refused = await gql('query ($n: Int) { items(first: $n) }', { n: 101 });
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items.first' });
    expect((await gql('{ items(last: -1) }')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items.last' });
    expect((await gql('{ items(first: 100) }')).data?.items).toHaveLength(100);
  });
});

import { GraphQLScalarType, Kind } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useNestedArgumentPolicy } from './nested-arguments.ts';

const DateScalar = new GraphQLScalarType({
  name: 'Date',
  parseValue: (value) => new Date(`${String(value)}T00:00:00Z`),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(`${ast.value}T00:00:00Z`) : null),
  serialize: (value) => (value as Date).toISOString().slice(0, 10),
});

describe('useNestedArgumentPolicy through yoga.fetch', () => {
  let resolved = 0;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: `scalar Date
        input Range { from: Date, note: String }
        type Org { name: String! meetings(from: Date, topic: String, range: Range, first: Int): [String!]! }
        type Query { org(name: String): Org }`,
      resolvers: {
        Date: DateScalar,
        Query: { org: (_: unknown, args: { name?: string }) => ({ name: args.name ?? 'o' }) },
        Org: {
          meetings: () => {
            resolved++;
            return ['m'];
          },
        },
      },
    }),
    plugins: [useNestedArgumentPolicy()],
    logging: false,
  });
  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
  };
  const refusal = (result: Awaited<ReturnType<typeof gql>>) => result.errors?.[0]?.extensions;

  it('refuses control characters, lone surrogates and implausible dates in nested arguments, before any resolver', async () => {
    resolved = 0;
    expect(refusal(await gql('query ($t: String) { org { meetings(topic: $t) } }', { t: 'a\u0000b' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'meetings.topic',
    });
    expect(refusal(await gql('query ($t: String) { org { meetings(topic: $t) } }', { t: '\ud800' }))).toMatchObject({
      field: 'meetings.topic',
    });
    expect(refusal(await gql('{ org { meetings(from: "1000-01-01") } }'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'meetings.from',
    });
    expect(refusal(await gql('query ($r: Range) { org { meetings(range: $r) } }', { r: { from: '9999-01-01' } }))).toMatchObject({
      field: 'meetings.range.from',
    });
    expect(resolved).toBe(0);
  });

  it('finds nested fields through fragments and inline fragments, and lets good values through', async () => {
    const viaFragment = 'query ($t: String) { org { ...f } } fragment f on Org { ... on Org { meetings(topic: $t) } }';
    expect(refusal(await gql(viaFragment, { t: '\u0007' }))).toMatchObject({ field: 'meetings.topic' });
    expect((await gql(viaFragment, { t: '支部大会' })).data).toEqual({ org: { meetings: ['m'] } });
    expect((await gql('{ org { meetings(from: "2026-01-01", first: 3) } }')).data).toEqual({ org: { meetings: ['m'] } });
  });

  it('leaves root fields to their own guard and a document with several operations to the chosen one', async () => {
    // Root arguments are not this plugin's: the schema guard wraps root resolvers.
    expect((await gql('{ org(name: "a\\u0000") { name } }')).data).toEqual({ org: { name: 'a\u0000' } });
    const two = 'query A { org { meetings(topic: "ok") } } query B($t: String) { org { meetings(topic: $t) } }';
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: two, operationName: 'A' }),
    });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ org: { meetings: ['m'] } });
  });
});

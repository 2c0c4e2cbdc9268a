import { describe, expect, it } from 'vitest';
import { execute, type ExecutionResult } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import type { Viewer } from '@dangjian/core';
import { useDepartmentSchema } from './department-schema.ts';

// Two "departments": the core alone, and the core with a plugin's field. The `authorization` header names
// the user; `Bearer bad` is a refused token.
const core = createSchema({ typeDefs: 'type Query { core: String }', resolvers: { Query: { core: () => 'core' } } });
const withPlugin = createSchema({
  typeDefs: 'type Query { core: String brand: String }',
  resolvers: { Query: { core: () => 'core', brand: () => 'brand' } },
});
const viewer = (userId: string): Viewer => ({
  userId,
  organizationId: `org-${userId}`,
  organizationPath: `/org-${userId}/`,
  roles: ['MEMBER'],
  communityId: null,
});

function fixture() {
  const authenticated: string[] = [];
  const plugin = useDepartmentSchema({
    viewerFor: async (request) => {
      const header = request.headers.get('authorization');
      authenticated.push(header ?? '(none)');
      if (header === 'Bearer bad') throw new Error('token refused');
      return header ? viewer(header.replace('Bearer ', '')) : null;
    },
    schemaFor: async (v) => (v?.userId === 'enabled' ? withPlugin : core),
  });
  const seen: (Viewer | null | undefined)[] = [];
  const spy: Plugin = { onExecute: ({ args }) => void seen.push(plugin.viewerOf((args.contextValue as { request: Request }).request)) };
  const yoga = createYoga({
    schema: core,
    plugins: [plugin, spy],
    logging: false,
  });
  const gql = async (query: string, authorization?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers, body: JSON.stringify({ query }) });
    return (await res.json()) as ExecutionResult & { errors?: { message: string }[] };
  };
  return { yoga, gql, authenticated, seen };
}

describe('useDepartmentSchema', () => {
  it('serves each request the schema of its viewer’s department', async () => {
    const { gql, seen } = fixture();
    expect((await gql('{ core brand }', 'Bearer enabled')).data).toEqual({ core: 'core', brand: 'brand' });
    const other = await gql('{ core brand }', 'Bearer disabled');
    expect(other.errors?.[0]?.message).toMatch(/Cannot query field "brand"/);
    expect((await gql('{ core }')).data).toEqual({ core: 'core' });
    expect(seen.map((v) => v?.userId ?? null)).toEqual(['enabled', null]);
  });

  it('answers a refused token as anonymous (the context reports the refusal), authenticating each request once', async () => {
    const { gql, authenticated } = fixture();
    expect((await gql('{ brand }', 'Bearer bad')).errors?.[0]?.message).toMatch(/Cannot query field "brand"/);
    expect((await gql('{ core }', 'Bearer bad')).data).toEqual({ core: 'core' });
    expect(authenticated).toEqual(['Bearer bad', 'Bearer bad']);
  });

  it('takes a socket operation’s schema from its context', async () => {
    const { yoga } = fixture();
    const { parse, validate, contextFactory, schema } = yoga.getEnveloped({ departmentSchema: withPlugin });
    const document = parse('{ brand }');
    expect(schema).toBe(withPlugin);
    expect(validate(schema, document)).toEqual([]);
    expect(await execute({ schema, document, contextValue: await contextFactory() })).toEqual({ data: { brand: 'brand' } });
  });
});

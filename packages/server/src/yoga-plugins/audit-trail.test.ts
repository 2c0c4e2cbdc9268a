import { describe, expect, it, vi } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { DangjianError, type AuditEntry } from '@dangjian/core';
import { useAuditTrail } from './audit-trail.ts';

// What would be appended to the audit chain; the chain itself is tested with the database in core and in the
// application tests (test/security/audit.test.ts).
const appended = vi.hoisted(() => ({ entries: [] as AuditEntry[], fail: false }));
vi.mock('@dangjian/core', async (original) => ({
  ...(await original<typeof import('@dangjian/core')>()),
  appendAudit: async (_db: unknown, entries: readonly AuditEntry[]) => {
    if (appended.fail) throw new Error('database gone');
    appended.entries.push(...entries);
  },
}));

function fixture() {
  appended.entries.length = 0;
  appended.fail = false;
  const logged: string[] = [];
  const memberId = Buffer.from('Member:m1').toString('base64');
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: `type Query { ok: Boolean } type Member { id: ID! }
        input UpdateInput { id: ID nationalId: String }
        type Mutation { register(organizationId: ID!, nationalId: String!): Member! update(input: UpdateInput!): Member! refuse(id: ID!): Member }`,
      resolvers: {
        Mutation: {
          register: () => ({ id: memberId }),
          update: (_: unknown, { input }: { input: { id: string } }) => ({ id: input.id }),
          refuse: () => {
            throw new DangjianError('no', 'FORBIDDEN');
          },
        },
      },
    }),
    plugins: [useAuditTrail((line) => logged.push(line))],
    context: () => ({ db: {}, viewer: { userId: 'u1', organizationId: 'o1' }, requestInfo: { id: 'req-1', clientAddress: '10.0.0.9' } }),
    logging: false,
  });
  const gql = async (query: string) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: unknown; errors?: unknown[] };
  };
  return { gql, logged, memberId };
}

describe('useAuditTrail', () => {
  it('records one entry per root field of a mutation — who, what, on what, with which result — never the input', async () => {
    const { gql, memberId } = fixture();
    const orgId = Buffer.from('Organization:o7').toString('base64');
    await gql(
      `mutation { a: register(organizationId: "${orgId}", nationalId: "110101199003070000") { id } b: update(input: { id: "${memberId}" }) { id } c: refuse(id: "raw-id") { id } }`,
    );
    expect(appended.entries).toEqual([
      {
        userId: 'u1',
        organizationId: 'o1',
        operation: 'register',
        target: 'Member:m1',
        result: 'OK',
        clientAddress: '10.0.0.9',
        requestId: 'req-1',
      },
      {
        userId: 'u1',
        organizationId: 'o1',
        operation: 'update',
        target: 'Member:m1',
        result: 'OK',
        clientAddress: '10.0.0.9',
        requestId: 'req-1',
      },
      {
        userId: 'u1',
        organizationId: 'o1',
        operation: 'refuse',
        target: 'raw-id',
        result: 'FORBIDDEN',
        clientAddress: '10.0.0.9',
        requestId: 'req-1',
      },
    ]);
    expect(JSON.stringify(appended.entries)).not.toContain('110101199003070000');
  });

  it('records nothing for queries, and logs (without failing the response) when the record cannot be written', async () => {
    const { gql, logged, memberId } = fixture();
    await gql('{ ok }');
    expect(appended.entries).toEqual([]);
    appended.fail = true;
    const result = await gql(`mutation { update(input: { id: "${memberId}" }) { id } }`);
    expect(result).toEqual({ data: { update: { id: memberId } } });
    expect(logged).toEqual(['audit: could not record update of request req-1: database gone']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Builder } from '@dangjian/core';
import { startTestServer, type TestServer } from '@dangjian/testing';

/** A resolver that fails the way a database outage would, with details that must not leak. */
function failing(builder: Builder) {
  builder.queryField('leaky', (t) =>
    t.string({
      description: 'test only',
      resolve: () => {
        throw new Error('relation "Member" does not exist at SELECT * FROM "Member" WHERE secret');
      },
    }),
  );
}

describe('security: production mode', () => {
  let server: TestServer;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      dataset: null,
      modules: [failing],
      env: { NODE_ENV: 'production', DANGJIAN_INTROSPECTION_ROLES: 'AUDITOR' },
      errorLog: (line) => logged.push(line),
    });
    await server.db.client.organization.create({
      data: { id: 'root-1', kind: 'WORKING_COMMITTEE', name: '工委', code: 'ROOT', path: '/root-1/', depth: 0 },
    });
  });
  afterAll(() => server?.close());

  it('refuses introspection unless the role is allowed', async () => {
    const member = await server.token('ROOT', ['MEMBER']);
    const refused = await server.gql('{ __schema { types { name } } }', {}, member);
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
    const auditor = await server.token('ROOT', ['AUDITOR']);
    expect((await server.gql('{ __schema { queryType { name } } }', {}, auditor)).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('serves no GraphiQL', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/graphiql/i);
  });

  it('gives no "Did you mean" suggestions', async () => {
    const member = await server.token('ROOT', ['MEMBER']);
    const result = await server.gql('{ organizatons { totalCount } }', {}, member);
    expect(result.errors?.[0]?.message).toBeDefined();
    expect(JSON.stringify(result)).not.toMatch(/did you mean/i);
  });

  it('masks internal errors: no SQL, stack or cause, and a request id that is in the server log', async () => {
    const result = await server.gql('{ leaky }');
    const error = result.errors?.[0];
    expect(error?.message).toBe('Unexpected error.');
    expect(JSON.stringify(result)).not.toMatch(/Member|SELECT|secret|stack/);
    const requestId = error?.extensions?.requestId as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged.some((line) => line.includes(requestId) && line.includes('SELECT'))).toBe(true);
  });
});

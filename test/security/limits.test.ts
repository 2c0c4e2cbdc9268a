import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, startTestServer, type TestServer } from '@dangjian/testing';

const deep = (levels: number) =>
  `{ organizations(first: 1) { edges { node { ${'children { '.repeat(levels)}name${' }'.repeat(levels)} } } } }`;

describe('security: operation limits on HTTP and graphql-ws', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token('SZJGGW', ['MEMBER']);
  });
  afterAll(() => server?.close());

  const cases: [string, string, RegExp][] = [
    ['depth over 15', deep(14), /depth limit of 15/i],
    [
      'depth over 15 through fragments',
      `{ organizations(first: 1) { edges { node { ...a } } } } fragment a on Organization { children { children { children { children { children { children { children { children { children { children { children { children { children { name } } } } } } } } } } } } } }`,
      /depth limit of 15/i,
    ],
    ['more than 15 aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: plugins { id }`).join(' ')} }`, /aliases limit of 15/i],
    ['more than 50 directives', `{ __typename ${'@include(if: true) '.repeat(51)} }`, /directives limit of 50/i],
    ['more than 2000 tokens', `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`, /token limit of 2000/i],
    [
      'a cost over the limit',
      '{ organizations(first: 500) { edges { node { members(first: 500) { edges { node { name cadrePosts { post } } } } } } } }',
      /cost limit/i,
    ],
  ];

  for (const [what, query, message] of cases) {
    it(`rejects ${what} before execution, over HTTP and graphql-ws`, async () => {
      const http = await server.gql(query, {}, token);
      expect(http.data ?? null).toBeNull();
      expect(http.errors?.[0]?.message).toMatch(message);
      const ws = nextResults(server.ws(token), query, {}, 1, 5000);
      await expect(ws.done).rejects.toThrow(message);
    });
  }

  it('accepts a legitimately nested query (connections add two levels per hop)', async () => {
    const ok = await server.gql(
      '{ organizations(first: 5) { edges { node { children { members(first: 5) { edges { node { cadrePosts { organization { name } } } } } } } } } }',
      {},
      token,
    );
    expect(ok.errors).toBeUndefined();
  });

  it('answers a page over the maximum with an input error, not a shorter page', async () => {
    const res = await server.gql('{ organizations(first: 501) { totalCount } }', {}, token);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organizations.first' });
    const viaVariable = await server.gql('query ($n: Int) { organizations(first: $n) { totalCount } }', { n: 10_000 }, token);
    expect(viaVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, type Builder } from '@dangjian/core';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

/** Fields that fail the three ways a resolver can: a typed error, a missing object, anything else (masked). */
function failing(builder: Builder) {
  builder.queryField('compiledTypedError', (t) =>
    t.string({
      description: 'test only',
      nullable: true,
      args: { text: t.arg.string({ required: true }) },
      resolve: (_root, { text }) => {
        throw new InputError('text', `"${text}" is not accepted`);
      },
    }),
  );
  builder.queryField('compiledNotFound', (t) =>
    t.string({
      description: 'test only',
      nullable: false,
      resolve: () => {
        throw new NotFoundError('Thing', 'x');
      },
    }),
  );
  builder.queryField('compiledInternalError', (t) =>
    t.string({
      description: 'test only',
      nullable: true,
      resolve: () => {
        throw new Error('connection reset by the database driver');
      },
    }),
  );
}

const NESTED = `query Nested { organizations(first: 3, filter: { kind: [COMMITTEE] }) { totalCount edges { node { id name kind children { name members(first: 4) { totalCount edges { node { name cadrePosts { post } } } } } } } } }`;
const BY_CODE = `query ByCode($code: String!) { organization(code: $code) { id code name kind members(first: 3) { edges { node { name } } } } }`;
const ERRORS = `query Errors($text: String!) { compiledTypedError(text: $text) compiledInternalError organization(code: "SZJGGW-MZJ") { name } }`;
const NON_NULL = `query NonNull { compiledNotFound }`;
const DOCUMENTS = [NESTED, BY_CODE, ERRORS, NON_NULL];
const idOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** A masked error's request id differs per request: everything else must match. */
const withoutRequestIds = (result: GqlResult) =>
  JSON.parse(JSON.stringify(result), (key, value) => (key === 'requestId' ? '<request id>' : value)) as GqlResult;

describe('trusted documents run compiled (graphql-jit), with the answers and errors of graphql-js', () => {
  let server: TestServer;
  let token: string;
  let statements = 0;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compiled-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify(Object.fromEntries(DOCUMENTS.map((text) => [idOf(text), text]))));
    // Production: masking, introspection policy and limits as deployed.
    server = await startTestServer({
      modules: [failing],
      env: { DANGJIAN_TRUSTED_DOCUMENTS: manifest, DANGJIAN_COMPILED_EXECUTION: 'trusted', NODE_ENV: 'production' },
      errorLog: () => {},
      onQuery: () => statements++,
    });
    token = await server.token('SZJGGW', ['ADMIN']);
  });
  afterAll(() => server?.close());

  const post = async (body: Record<string, unknown>, bearer = token): Promise<GqlResult> => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as GqlResult;
  };
  /** The document by id (compiled) and as text (graphql-js) to the same server; the compiled count moves only for the first. */
  const both = async (text: string, variables: Record<string, unknown> = {}, bearer = token) => {
    const before = server.app.compiledExecutions();
    const byText = await post({ query: text, variables }, bearer);
    expect(server.app.compiledExecutions()).toBe(before);
    const byId = await post({ documentId: idOf(text), variables }, bearer);
    expect(server.app.compiledExecutions()).toBe(before + 1);
    return { byId, byText };
  };

  it('answers a nested read (Prisma selection mapping through relations and connections) as graphql-js does', async () => {
    const { byId, byText } = await both(NESTED);
    expect(byId.errors).toBeUndefined();
    const organizations = (byId.data as { organizations: { edges: { node: { children: unknown[] } }[] } }).organizations;
    expect(organizations.edges.length).toBeGreaterThan(0);
    expect(organizations.edges.some((edge) => edge.node.children.length > 0)).toBe(true);
    expect(byId).toEqual(byText);
  });

  it('loads the nested read with as few statements as graphql-js (the mapping is found, nothing reloads row by row)', async () => {
    const count = async (body: Record<string, unknown>) => {
      statements = 0;
      expect((await post(body)).errors).toBeUndefined();
      return statements;
    };
    const text = await count({ query: NESTED });
    expect(text).toBeGreaterThan(0);
    expect(await count({ documentId: idOf(NESTED) })).toBe(text);
  });

  it('keeps authorization: an outsider’s answer is the same either way', async () => {
    const outsider = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    const { byId, byText } = await both(BY_CODE, { code: 'SZJGGW' }, outsider);
    expect(byId).toEqual(byText);
    const own = await both(BY_CODE, { code: 'SZJGGW-MZJ' }, outsider);
    expect((own.byId.data as { organization: { code: string } }).organization.code).toBe('SZJGGW-MZJ');
    expect(own.byId).toEqual(own.byText);
  });

  it('reports typed errors with their extensions.code, masks the rest, and keeps paths and locations', async () => {
    const { byId, byText } = await both(ERRORS, { text: 'nope' });
    expect(byId.errors?.map((e) => e.extensions?.code).sort()).toEqual(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(byId)).not.toContain('connection reset');
    expect((byId.data as { organization: { name: string } }).organization.name).toBeTruthy();
    expect(withoutRequestIds(byId)).toEqual(withoutRequestIds(byText));
  });

  it('propagates a non-null field’s error to the parent as graphql-js does', async () => {
    const { byId, byText } = await both(NON_NULL);
    expect(byId.data).toBeNull();
    expect(byId.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(byId).toEqual(byText);
  });

  it('reports a missing variable as graphql-js does', async () => {
    const { byId, byText } = await both(BY_CODE, {});
    expect(byId.errors?.length).toBe(1);
    expect(byId).toEqual(byText);
  });
});

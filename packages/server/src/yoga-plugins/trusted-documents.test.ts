import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Role, Viewer } from '@dangjian/core';
import { ConfigError } from '../config.ts';
import {
  loadTrustedManifest,
  parseTrustedManifest,
  subscribeSource,
  useTrustedDocuments,
  type TrustedDocumentsOptions,
} from './trusted-documents.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HELLO = 'query Hello { hello }';
const BUMP = 'mutation Bump { bump }';
const manifest = { [sha256(HELLO)]: HELLO, [sha256(BUMP)]: BUMP };

const typeDefs = 'type Query { hello: String! other: String! } type Mutation { bump: Int! }';
/** Two "departments": the same types, two schema objects, as the schema set hands out per department. */
const makeSchema = () => {
  let bumps = 0;
  return createSchema({ typeDefs, resolvers: { Query: { hello: () => 'world', other: () => 'x' }, Mutation: { bump: () => ++bumps } } });
};
const schemas = { a: makeSchema(), b: makeSchema() };

/** Counts how often graphql-js really parses and validates (yoga's caches answer the rest). */
function counting() {
  const counts = { parses: 0, validations: 0, executed: [] as string[] };
  const countValidation: ValidationRule = () => {
    counts.validations++;
    return {};
  };
  const plugin: Plugin = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        counts.parses++;
        return parseFn(source, options);
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(countValidation);
    },
    onExecute({ args }) {
      // What the audit trail and rate limits see: the parsed document of the trusted entry.
      counts.executed.push(String(args.document.definitions.map((d: { name?: { value: string } }) => d.name?.value ?? '').join()));
    },
  };
  return { counts, plugin };
}

/** A yoga with the plugin; `x-roles` is the viewer's roles, `x-department` picks the schema. */
function server(options: Partial<TrustedDocumentsOptions> = {}) {
  const { counts, plugin } = counting();
  const viewerOf = (request: Request): Viewer | null => {
    const roles = request.headers.get('x-roles');
    return roles ? ({ userId: 'u', organizationId: 'o', roles: roles.split(',') as Role[] } as unknown as Viewer) : null;
  };
  const yoga = createYoga({
    schema: schemas.a,
    plugins: [
      plugin,
      useTrustedDocuments({ documents: parseTrustedManifest(manifest), viewerOf, ...options }),
      {
        onEnveloped({ context, setSchema }) {
          const department = (context as { request?: Request }).request?.headers.get('x-department');
          setSchema((department === 'b' ? schemas.b : schemas.a) as GraphQLSchema);
        },
      } satisfies Plugin,
    ],
    logging: false,
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }),
    };
  };
  return { yoga, post, counts };
}

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

describe('trusted documents: the manifest', () => {
  it('parses every document once at start, keyed by its hash (a sha256: prefix is the same id)', () => {
    const documents = parseTrustedManifest({ ...manifest, relay1: '{ other }' });
    expect([...documents.keys()]).toEqual([sha256(HELLO), sha256(BUMP), 'relay1']);
    expect(documents.get(sha256(HELLO))?.kind).toBe('Document');
    const prefixed = parseTrustedManifest({ [`sha256:${sha256(HELLO).toUpperCase()}`]: HELLO });
    expect([...prefixed.keys()]).toEqual([sha256(HELLO)]);
  });

  it.each([
    [[], 'the manifest must be a JSON object of hash → document text'],
    [{ [sha256(HELLO)]: 42 }, 'must be a string of GraphQL text'],
    [{ [sha256('something else')]: HELLO }, `its document hashes to sha256 ${sha256(HELLO)}`],
    [{ 'bad id!': HELLO }, '"bad id!" is not a document id'],
    [{ broken: '{ hello' }, 'entry broken: Syntax Error'],
  ])('refuses a bad manifest with a ConfigError naming the variable: %j', (bad, message) => {
    expect(() => parseTrustedManifest(bad)).toThrow(ConfigError);
    expect(() => parseTrustedManifest(bad)).toThrow(`DANGJIAN_TRUSTED_DOCUMENTS: `);
    expect(() => parseTrustedManifest(bad)).toThrow(message);
  });

  it('applies the token limit to trusted documents when it loads them', () => {
    expect(() => parseTrustedManifest({ big: '{ hello other hello other }' }, { maxTokens: 4 })).toThrow(
      'GRAPHQL_MAX_TOKENS applies to trusted documents too',
    );
  });

  it('reads the file GraphQL Code Generator writes, and names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trusted-'));
    writeFileSync(join(dir, 'persisted-documents.json'), JSON.stringify(manifest));
    expect(loadTrustedManifest(join(dir, 'persisted-documents.json')).size).toBe(2);
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(() => loadTrustedManifest(join(dir, 'broken.json'))).toThrow(
      `DANGJIAN_TRUSTED_DOCUMENTS: cannot read the manifest ${join(dir, 'broken.json')}`,
    );
  });

  it('gives graphql-ws a placeholder for an empty query naming a document, the query otherwise', () => {
    expect(subscribeSource({ query: '', documentId: 'abc' })).toBe('__PERSISTED_OPERATION_abc__');
    expect(subscribeSource({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'def' } } })).toBe(
      '__PERSISTED_OPERATION_def__',
    );
    expect(subscribeSource({ query: '{ hello }', documentId: 'abc' })).toBe('{ hello }');
    expect(subscribeSource({ query: '' })).toBe('');
  });
});

describe('trusted documents over HTTP (yoga.fetch, no port)', () => {
  it('runs a known documentId, and the Apollo persistedQuery form, and GET ?documentId=', async () => {
    const { yoga, post } = server();
    expect(await post({ documentId: sha256(HELLO) })).toMatchObject({ status: 200, data: { hello: 'world' } });
    expect(await post({ documentId: `sha256:${sha256(HELLO)}` })).toMatchObject({ data: { hello: 'world' } });
    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(HELLO) } } })).toMatchObject({
      data: { hello: 'world' },
    });
    const res = await yoga.fetch(`http://yoga/graphql?documentId=${sha256(HELLO)}`, { headers: { accept: 'application/json' } });
    expect(await res.json()).toEqual({ data: { hello: 'world' } });
  });

  it('still refuses a mutation over GET (405), trusted or not', async () => {
    const { yoga, counts } = server();
    const res = await yoga.fetch(`http://yoga/graphql?documentId=${sha256(BUMP)}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(405);
    expect(counts.executed).toEqual([]);
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND, over both forms', async () => {
    const { post } = server();
    const unknown = await post({ documentId: sha256('{ other }') });
    expect(code(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.data).toBeUndefined();
    expect(code(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('without TRUSTED_ONLY still runs ad-hoc documents; with it refuses them (TRUSTED_DOCUMENT_REQUIRED)', async () => {
    expect(await server().post({ query: '{ other }' })).toMatchObject({ data: { other: 'x' } });
    const strict = server({ only: true });
    const refused = await strict.post({ query: '{ other }' }, { 'x-roles': 'ADMIN' });
    expect(code(refused)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(refused.data).toBeUndefined();
    expect(strict.counts.executed).toEqual([]);
    expect(await strict.post({ documentId: sha256(HELLO) })).toMatchObject({ data: { hello: 'world' } });
  });

  it('lets the ad-hoc roles send ad-hoc documents under TRUSTED_ONLY, and no one else', async () => {
    const { post } = server({ only: true, adhocRoles: ['ADMIN'] });
    expect(await post({ query: '{ other }' }, { 'x-roles': 'MEMBER,ADMIN' })).toMatchObject({ data: { other: 'x' } });
    expect(code(await post({ query: '{ other }' }, { 'x-roles': 'MEMBER' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(code(await post({ query: '{ other }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it('answers a request naming nothing with BAD_REQUEST (400)', async () => {
    const result = await server().post({ variables: {} });
    expect(result.status).toBe(400);
    expect(code(result)).toBe('BAD_REQUEST');
  });

  it('executes the manifest’s parsed document: execution plugins (audit, rate limit) see the mutation', async () => {
    const { post, counts } = server({ only: true });
    expect(await post({ documentId: sha256(BUMP) })).toMatchObject({ data: { bump: 1 } });
    expect(counts.executed).toEqual(['Bump']);
  });

  it('parses a trusted document never per request, and validates it once per (department schema, document)', async () => {
    const { post, counts } = server();
    for (let i = 0; i < 3; i++) expect(await post({ documentId: sha256(HELLO) })).toMatchObject({ data: { hello: 'world' } });
    expect(counts).toMatchObject({ parses: 0, validations: 1 });
    for (let i = 0; i < 3; i++) await post({ documentId: sha256(HELLO) }, { 'x-department': 'b' });
    expect(counts).toMatchObject({ parses: 0, validations: 2 });
    // The same text sent ad hoc: yoga's parser cache parses it once (and validates that other object once).
    for (let i = 0; i < 3; i++) await post({ query: HELLO });
    expect(counts).toMatchObject({ parses: 1, validations: 3 });
  });

  it('keeps validation-time limits on trusted documents (a rule that refuses runs on them)', async () => {
    const refuseOther: ValidationRule = (context) => ({
      Field(node) {
        if (node.name.value === 'other') context.reportError(new GraphQLError('other is limited', { extensions: { code: 'LIMITED' } }));
      },
    });
    const yoga = createYoga({
      schema: makeSchema(),
      plugins: [
        useTrustedDocuments({ documents: parseTrustedManifest({ o: '{ other }' }), viewerOf: () => null }),
        { onValidate: ({ addValidationRule }) => addValidationRule(refuseOther) } satisfies Plugin,
      ],
      logging: false,
    });
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: 'o' }),
    });
    expect(code((await res.json()) as { errors?: { extensions?: { code?: string } }[] })).toBe('LIMITED');
  });
});

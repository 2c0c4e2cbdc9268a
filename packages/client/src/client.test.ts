import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { manifestPath, renderManifest } from '../scripts/persisted-documents.ts';
import { createClient, DangjianClientError, documentId, documentText, isDangjianError, type ResultOf } from './index.ts';
import { type ActivityFeedSubscription, operations, RecordMeetingMutation, SecretaryDashboardQuery, ViewerQuery } from './operations.ts';

// The client without a server: generated files up to date, operations valid against the published SDL,
// the request it sends (text or trusted-document id) and the errors it throws. Against a started server:
// test/client.test.ts.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sdlPath = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));

describe('generated files', () => {
  it('graphql-env.d.ts is what gql.tada generates from schema/schema.graphql (else: npm run generate:types -w @dangjian/client)', async () => {
    // The CLI only writes to a schema's tadaOutputLocation: run it on a copy of the configuration pointing elsewhere.
    const dir = await mkdtemp(join(tmpdir(), 'dangjian-client-types-'));
    try {
      const schemas = [{ name: 'dangjian', schema: sdlPath, tadaOutputLocation: './graphql-env.d.ts' }];
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { plugins: [{ name: 'gql.tada/ts-plugin', schemas }] } }),
      );
      const entry = createRequire(import.meta.url).resolve('gql.tada');
      const cli = join(entry.slice(0, entry.lastIndexOf('/node_modules/gql.tada/') + '/node_modules/gql.tada/'.length), 'bin/cli.js');
      const run = spawnSync(process.execPath, [cli, 'generate-output', '--tsconfig', join(dir, 'tsconfig.json')], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const expected = await readFile(join(dir, 'graphql-env.d.ts'), 'utf8');
      const committed = await readFile(join(packageDir, 'src/graphql-env.d.ts'), 'utf8');
      expect(
        committed === expected,
        'packages/client/src/graphql-env.d.ts is out of date with schema/schema.graphql: run npm run generate:types -w @dangjian/client',
      ).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('persisted-documents.json is the manifest of the package’s operations (else: npm run manifest -w @dangjian/client)', async () => {
    const committed = await readFile(manifestPath, 'utf8');
    expect(
      committed === (await renderManifest()),
      'packages/client/persisted-documents.json is out of date: run npm run manifest -w @dangjian/client',
    ).toBe(true);
    const manifest = JSON.parse(committed) as Record<string, string>;
    expect(Object.keys(manifest)).toHaveLength(Object.keys(operations).length);
    // A server keying documents by the SHA-256 of their text finds each one under the id the client sends.
    for (const [id, text] of Object.entries(manifest)) expect(createHash('sha256').update(text).digest('hex')).toBe(id);
  });

  it('every operation is valid against the published SDL', () => {
    const schema = buildSchema(readFileSync(sdlPath, 'utf8'));
    for (const [name, document] of Object.entries(operations)) {
      const errors = validate(schema, parse(documentText(document)));
      expect(
        errors.map((e) => e.message),
        name,
      ).toEqual([]);
    }
  });
});

/** A fetch that records the request and answers with `body` (JSON) and `status`. */
function fakeFetch(answer: { body?: unknown; text?: string; status?: number } | Error) {
  const requests: { url: string; headers: Record<string, string>; body: Record<string, unknown> }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), headers: init?.headers as Record<string, string>, body: JSON.parse(String(init?.body)) });
    if (answer instanceof Error) throw answer;
    return new Response(answer.text ?? JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('requests', () => {
  const viewer = { viewer: null };

  it('sends the printed text with the operation name, and the token the getter gives at that moment', async () => {
    const { fetch, requests } = fakeFetch({ body: { data: viewer } });
    let token = 'first';
    const client = createClient({ url: 'http://api.test/graphql', token: async () => token, fetch });
    expect(await client.query(ViewerQuery)).toEqual(viewer);
    token = 'refreshed';
    await client.query(ViewerQuery, {});
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer first', 'Bearer refreshed']);
    expect(requests[0]!.body).toEqual({ query: documentText(ViewerQuery), operationName: 'Viewer', variables: {} });
    expect(Object.values(JSON.parse(await readFile(manifestPath, 'utf8')))).toContain(requests[0]!.body.query);
  });

  it('with trustedDocuments, sends only the document id: the SHA-256 of the text, a key of the manifest', async () => {
    const { fetch, requests } = fakeFetch({ body: { data: viewer } });
    const client = createClient({ url: 'http://api.test/graphql', fetch, trustedDocuments: true });
    const variables = { id: 'T3JnYW5pemF0aW9uOjE=', from: '2026-01-01', to: '2026-06-30' };
    await client.query(SecretaryDashboardQuery, variables);
    const id = createHash('sha256').update(documentText(SecretaryDashboardQuery)).digest('hex');
    expect(requests[0]!.body).toEqual({ documentId: id, operationName: 'SecretaryDashboard', variables });
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(await documentId(SecretaryDashboardQuery)).toBe(id);
    expect(Object.keys(JSON.parse(await readFile(manifestPath, 'utf8')))).toContain(id);
  });

  it('throws a typed error carrying extensions.code, the field, the partial data and the status', async () => {
    const errors = [
      { message: 'input.topic: already recorded', path: ['recordMeeting'], extensions: { code: 'CONFLICT', field: 'input.topic' } },
    ];
    const client = createClient({ url: 'http://api.test/graphql', fetch: fakeFetch({ body: { data: null, errors } }).fetch });
    const input = { organizationId: 'x', kind: 'THEME_DAY' as const, date: '2026-01-01', topic: 't', attendance: [] };
    const error = await client.mutate(RecordMeetingMutation, { input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DangjianClientError);
    expect(isDangjianError(error, 'CONFLICT')).toBe(true);
    expect(isDangjianError(error, 'FORBIDDEN')).toBe(false);
    expect(error).toMatchObject({
      code: 'CONFLICT',
      field: 'input.topic',
      message: 'input.topic: already recorded',
      errors,
      data: null,
      status: 200,
    });
  });

  it('reports a failed request, a non-GraphQL answer and a missing code in the same shape', async () => {
    const url = 'http://api.test/graphql';
    const refused = await createClient({ url, fetch: fakeFetch(new TypeError('fetch failed')).fetch })
      .query(ViewerQuery)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NETWORK_ERROR', status: undefined });
    const gateway = await createClient({ url, fetch: fakeFetch({ text: '<html>Bad gateway</html>', status: 502 }).fetch })
      .query(ViewerQuery)
      .catch((e: unknown) => e);
    expect(gateway).toMatchObject({ code: 'HTTP_ERROR', status: 502 });
    const bare = await createClient({ url, fetch: fakeFetch({ body: { errors: [{ message: 'Syntax Error' }] }, status: 400 }).fetch })
      .query(ViewerQuery)
      .catch((e: unknown) => e);
    expect(bare).toMatchObject({ code: 'UNKNOWN', message: 'Syntax Error', status: 400 });
  });

  it('opens no socket until a subscription is made (Node 20 without webSocketImpl still queries)', async () => {
    const client = createClient({ url: 'http://api.test/graphql', fetch: fakeFetch({ body: { data: viewer } }).fetch });
    await client.query(ViewerQuery);
    await client.dispose();
  });
});

describe('types (checked by tsc: npx turbo run typecheck)', () => {
  it('infers results and variables from the SDL', () => {
    type Dashboard = ResultOf<typeof SecretaryDashboardQuery>;
    expectTypeOf<NonNullable<Dashboard['organization']>['members']['totalCount']>().toEqualTypeOf<number>();
    expectTypeOf<Dashboard['inArrears']['totalCount']>().toEqualTypeOf<number>();
    expectTypeOf<Dashboard['meetingShortfalls'][number]['cadence']>().toEqualTypeOf<'MONTHLY' | 'QUARTERLY'>();
    expectTypeOf<NonNullable<Dashboard['organization']>['termEnd']>().toEqualTypeOf<string | null>();
    type Activity = ResultOf<typeof ActivityFeedSubscription>['activityAdded'];
    expectTypeOf<Activity['id']>().toEqualTypeOf<string>();
    const client = createClient({ url: 'http://api.test/graphql' });
    // Required variables are required, and typed; an operation without variables needs none.
    // @ts-expect-error — SecretaryDashboard takes $id, $from and $to
    void (() => client.query(SecretaryDashboardQuery));
    // @ts-expect-error — from must be a Date string, not a number
    void (() => client.query(SecretaryDashboardQuery, { id: 'x', from: 20260101, to: '2026-06-30' }));
    const viewer = () => client.query(ViewerQuery);
    expectTypeOf(viewer).returns.resolves.toEqualTypeOf<ResultOf<typeof ViewerQuery>>();
  });
});

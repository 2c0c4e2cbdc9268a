import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const VIEWER = 'query TrustedViewer { viewer { userId } }';
const REGISTER = 'mutation TrustedRegister($input: RegisterMemberInput!) { registerMember(input: $input) { id } }';
const ACTIVITY = 'subscription TrustedFeed { activityAdded { kind } }';

function nationalId(serial: string): string {
  const first17 = `110101199307${serial.padStart(2, '0')}0${serial.slice(-1)}3`.slice(0, 17);
  return first17 + nationalIdChecksum(first17);
}

/** The first result of one operation over graphql-ws, or the errors it was refused with. */
function once(client: Client, payload: Record<string, unknown>): Promise<GqlResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer over graphql-ws in 10 s')), 10_000);
    let unsubscribe = () => {};
    unsubscribe = client.subscribe(payload as never, {
      next: (value) => {
        clearTimeout(timer);
        resolve(value as GqlResult);
        unsubscribe();
      },
      error: (error) => {
        clearTimeout(timer);
        if (Array.isArray(error)) resolve({ errors: error });
        else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      },
      complete: () => {
        clearTimeout(timer);
        reject(new Error(`completed without a result: ${JSON.stringify(payload)}`));
      },
    });
  });
}

const code = (result: GqlResult) => result.errors?.[0]?.extensions?.code;

describe('security: trusted documents (DANGJIAN_TRUSTED_ONLY), over HTTP and graphql-ws', () => {
  let server: TestServer;
  let member: string;
  let auditor: string;
  let secretary: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dangjian-trusted-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify(Object.fromEntries([VIEWER, REGISTER, ACTIVITY].map((doc) => [sha256(doc), doc]))));
    server = await startTestServer({
      env: { DANGJIAN_TRUSTED_DOCUMENTS: manifest, DANGJIAN_TRUSTED_ONLY: 'true', DANGJIAN_TRUSTED_ADHOC_ROLES: 'AUDITOR' },
    });
    member = await server.token('SZJGGW-MZJ', ['MEMBER'], 'trusted-member');
    auditor = await server.token('SZJGGW-MZJ', ['AUDITOR'], 'trusted-auditor');
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'trusted-secretary');
  });
  afterAll(() => server?.close());

  const registration = async (name: string, serial: string) => {
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    return {
      organizationId: Buffer.from(`Organization:${branch.id}`).toString('base64'),
      name,
      nationalId: nationalId(serial),
      joinedAt: '2021-07-01',
    };
  };
  const post = async (body: unknown, token?: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { requestId: res.headers.get('x-request-id'), ...((await res.json()) as GqlResult) };
  };

  describe('HTTP', () => {
    it('runs a known documentId, and the Apollo persistedQuery form', async () => {
      expect(await post({ documentId: sha256(VIEWER) }, member)).toMatchObject({ data: { viewer: { userId: 'trusted-member' } } });
      expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } }, member)).toMatchObject({
        data: { viewer: { userId: 'trusted-member' } },
      });
    });

    it('refuses an unknown documentId with PERSISTED_QUERY_NOT_FOUND', async () => {
      const result = await post({ documentId: sha256('{ viewer { roles } }') }, member);
      expect(code(result)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(result.data).toBeUndefined();
    });

    it('refuses an ad-hoc document (TRUSTED_DOCUMENT_REQUIRED), also when it is the text of a trusted one', async () => {
      for (const query of ['{ viewer { roles } }', VIEWER]) {
        const result = await post({ query }, member);
        expect(code(result)).toBe('TRUSTED_DOCUMENT_REQUIRED');
        expect(result.data).toBeUndefined();
      }
      expect(code(await post({ query: '{ viewer { roles } }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    });

    it('lets a role of DANGJIAN_TRUSTED_ADHOC_ROLES send ad-hoc documents', async () => {
      expect(await post({ query: '{ viewer { roles } }' }, auditor)).toMatchObject({ data: { viewer: { roles: ['AUDITOR'] } } });
    });

    it('audits a mutation sent as a trusted document like any other, with the request id of the response', async () => {
      const input = await registration('可信文档甲', '21');
      const result = await post({ documentId: sha256(REGISTER), variables: { input } }, secretary);
      expect(result.errors).toBeUndefined();
      const memberId = Buffer.from(result.data.registerMember.id, 'base64').toString().split(':')[1];
      const records = await server.db.client.auditRecord.findMany({ where: { operation: 'registerMember', userId: 'trusted-secretary' } });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ target: `Member:${memberId}`, result: 'OK', requestId: result.requestId });
      // Refused by the resolver (a MEMBER may not register): recorded with the code the client got.
      const refused = await post(
        { documentId: sha256(REGISTER), variables: { input: { ...input, name: '可信文档乙', nationalId: nationalId('22') } } },
        member,
      );
      expect(code(refused)).toBe('FORBIDDEN');
      expect(
        await server.db.client.auditRecord.findMany({ where: { operation: 'registerMember', userId: 'trusted-member' } }),
      ).toMatchObject([{ result: 'FORBIDDEN' }]);
    });
  });

  describe('graphql-ws', () => {
    it('runs a known documentId (query: "" as the protocol requires) and the Apollo form, queries and subscriptions', async () => {
      const client = server.ws(member);
      expect(await once(client, { query: '', documentId: sha256(VIEWER) })).toEqual({ data: { viewer: { userId: 'trusted-member' } } });
      expect(await once(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } })).toEqual({
        data: { viewer: { userId: 'trusted-member' } },
      });
    });

    it('streams a trusted subscription', async () => {
      const feed = once(server.ws(secretary), { query: '', documentId: sha256(ACTIVITY) });
      // The subscription is registered before the event: a query on another socket answers after it.
      await new Promise((r) => setTimeout(r, 300));
      const registered = await post(
        { documentId: sha256(REGISTER), variables: { input: await registration('可信文档丙', '23') } },
        secretary,
      );
      expect(registered.errors).toBeUndefined();
      expect(await feed).toEqual({ data: { activityAdded: { kind: 'member.registered' } } });
    });

    it('refuses an unknown documentId with PERSISTED_QUERY_NOT_FOUND and keeps the socket', async () => {
      const client = server.ws(member);
      expect(code(await once(client, { query: '', documentId: sha256('{ nothing }') }))).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(await once(client, { query: '', documentId: sha256(VIEWER) })).toMatchObject({
        data: { viewer: { userId: 'trusted-member' } },
      });
    });

    it('refuses an ad-hoc document (TRUSTED_DOCUMENT_REQUIRED) unless the socket’s viewer has an ad-hoc role', async () => {
      expect(code(await once(server.ws(member), { query: '{ viewer { roles } }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
      expect(code(await once(server.ws(), { query: '{ viewer { roles } }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
      expect(await once(server.ws(auditor), { query: '{ viewer { roles } }' })).toEqual({ data: { viewer: { roles: ['AUDITOR'] } } });
    });
  });
});

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '@dangjian/testing';

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const QUERY = '{ organizations(first: 1) { totalCount } }';

/** A test server whose error log is kept, to read why a token was refused. */
async function start(env: Record<string, string> = {}) {
  const log: string[] = [];
  const requestIds: (string | undefined)[] = [];
  const server = await startTestServer({
    env,
    errorLog: (line, fields) => {
      log.push(line);
      requestIds.push(fields?.requestId);
    },
  });
  const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW' }, select: { id: true } });
  /** Signs exactly the claims given with the server's secret, as an identity provider might. */
  const sign = (sub: string, roles: unknown, times: { iat?: number; exp?: number } = { iat: now(), exp: now() + HOUR }) => {
    const jwt = new SignJWT({ org: org.id, roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('dangjian')
      .setAudience('dangjian-api');
    if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
    if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
    return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
  };
  return { server, log, requestIds, sign };
}

/** Opens a graphql-ws socket with the token: `ack` when accepted, else the close code. */
function connect(server: TestServer, token: string): Promise<'ack' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        resolve('ack');
        socket.close();
      }
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

/** The answer over HTTP (error code or data) and over graphql-ws (ack or close code) for one token. */
async function answers(server: TestServer, token: string) {
  const http = await server.gql(QUERY, {}, token);
  return { http: http.errors?.[0]?.extensions?.code ?? (http.data?.organizations ? 'data' : 'nothing'), ws: await connect(server, token) };
}

describe('security: token policy (API role names)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start();
  });
  afterAll(() => ctx?.server.close());

  it('accepts a token with known roles, a lifetime within 8h and an exp (control)', async () => {
    expect(await answers(ctx.server, await ctx.sign('good-user', ['ADMIN', 'MEMBER'], { iat: now(), exp: now() + 8 * HOUR }))).toEqual({
      http: 'data',
      ws: 'ack',
    });
    expect(await answers(ctx.server, await ctx.sign('no-iat-user', ['MEMBER'], { exp: now() + 7 * HOUR }))).toEqual({
      http: 'data',
      ws: 'ack',
    });
  });

  it.each([
    ['unknown-role', ['SUPERADMIN'], '"SUPERADMIN"'],
    ['lower-case-role', ['admin'], '"admin"'],
    ['no-role', [], 'the roles claim is empty'],
    ['mixed-roles', ['ADMIN', 'GOD'], '"GOD"'],
  ])('refuses %s %j: UNAUTHENTICATED over HTTP, 4403 over graphql-ws, logged with the user', async (user, roles, why) => {
    ctx.log.length = 0;
    ctx.requestIds.length = 0;
    expect(await answers(ctx.server, await ctx.sign(user, roles))).toEqual({ http: 'UNAUTHENTICATED', ws: 4403 });
    // One line per refusal (HTTP, then the socket): the user and the offending names.
    expect(ctx.log).toHaveLength(2);
    for (const line of ctx.log) expect(line).toMatch(new RegExp(`^token refused: user "${user}": .*${why.replace(/[()[\]]/g, '\\$&')}`));
    // Each carries the id of its request (the HTTP request; the socket's upgrade request).
    expect(ctx.requestIds).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(ctx.requestIds[0]).not.toBe(ctx.requestIds[1]);
  });

  it('names the refused request by the X-Request-Id its response carries', async () => {
    ctx.log.length = 0;
    ctx.requestIds.length = 0;
    const res = await fetch(ctx.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.sign('traced-user', ['ROOT'])}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(ctx.log).toEqual([expect.stringContaining('user "traced-user"')]);
    expect(ctx.requestIds).toEqual([res.headers.get('x-request-id')]);
  });

  it('refuses a token without exp, and one whose lifetime exceeds 8h (exp − iat, else exp − now)', async () => {
    const cases: [string, { iat?: number; exp?: number }, string][] = [
      ['no-exp', { iat: now() }, 'no exp claim'],
      ['long-lived', { iat: now() - HOUR, exp: now() + 8 * HOUR }, 'lifetime 9h (exp − iat), over JWT_MAX_LIFETIME 8h'],
      ['long-lived-no-iat', { exp: now() + 9 * HOUR }, '(no iat), over JWT_MAX_LIFETIME 8h'],
    ];
    for (const [user, times, why] of cases) {
      ctx.log.length = 0;
      expect(await answers(ctx.server, await ctx.sign(user, ['MEMBER'], times))).toEqual({ http: 'UNAUTHENTICATED', ws: 4403 });
      expect(ctx.log).toEqual([expect.stringContaining(why), expect.stringContaining(why)]);
      expect(ctx.log[0]).toContain(`user "${user}"`);
    }
  });
});

describe('security: token policy with DANGJIAN_ROLE_MAP and JWT_MAX_LIFETIME', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN,dj-member=MEMBER', JWT_MAX_LIFETIME: '1h' });
  });
  afterAll(() => ctx?.server.close());

  const REVOKE = 'mutation { revokeSessions(userId: "nobody", reason: "test") { userId } }';

  it('maps the provider’s names to roles: dj-admin acts as ADMIN, dj-member as MEMBER', async () => {
    const admin = await ctx.sign('mapped-admin', ['dj-admin']);
    expect(await answers(ctx.server, admin)).toEqual({ http: 'data', ws: 'ack' });
    expect((await ctx.server.gql(REVOKE, {}, admin)).data?.revokeSessions).toEqual({ userId: 'nobody' });
    const member = await ctx.sign('mapped-member', ['dj-member']);
    expect((await ctx.server.gql(REVOKE, {}, member)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses names the map does not hold, the API’s own names included', async () => {
    for (const roles of [['ADMIN'], ['dj-admin', 'dj-god']]) {
      ctx.log.length = 0;
      expect(await answers(ctx.server, await ctx.sign('unmapped', roles))).toEqual({ http: 'UNAUTHENTICATED', ws: 4403 });
      expect(ctx.log).toEqual([
        expect.stringContaining(`unknown role(s) ${JSON.stringify(roles.at(-1))}`),
        expect.stringContaining('DANGJIAN_ROLE_MAP'),
      ]);
    }
  });

  it('caps the lifetime at JWT_MAX_LIFETIME', async () => {
    expect(await answers(ctx.server, await ctx.sign('one-hour', ['dj-member'], { iat: now(), exp: now() + HOUR }))).toEqual({
      http: 'data',
      ws: 'ack',
    });
    ctx.log.length = 0;
    expect(await answers(ctx.server, await ctx.sign('two-hours', ['dj-member'], { iat: now(), exp: now() + 2 * HOUR }))).toEqual({
      http: 'UNAUTHENTICATED',
      ws: 4403,
    });
    expect(ctx.log[0]).toContain('lifetime 2h (exp − iat), over JWT_MAX_LIFETIME 1h');
  });
});

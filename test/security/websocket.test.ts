import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signToken } from '@dangjian/server';
import { startTestServer, type TestServer } from '@dangjian/testing';

/** A raw graphql-transport-ws socket, to send what a well-behaved client never would. */
function raw(server: TestServer) {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const open = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  const send = (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  const waitFor = async (predicate: (m: any) => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching message in ${ms} ms: ${JSON.stringify(messages)}`);
  };
  return { socket, messages, closed, open, send, waitFor };
}

describe('security: graphql-ws protocol hardening', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ dataset: undefined });
    token = await server.token('SZJGGW', ['MEMBER']);
  });
  afterAll(() => server?.close());

  const init = (c: ReturnType<typeof raw>, t = token) => c.send({ type: 'connection_init', payload: { authorization: `Bearer ${t}` } });

  it('closes with 4408 when no connection_init arrives within 3 s', async () => {
    const c = raw(server);
    await c.open;
    expect((await c.closed).code).toBe(4408);
  });

  it('closes with 4429 on a second connection_init', async () => {
    const c = raw(server);
    await c.open;
    init(c);
    await c.waitFor((m) => m.type === 'connection_ack');
    init(c);
    expect((await c.closed).code).toBe(4429);
  });

  it('closes with 4401 on subscribe before the ack', async () => {
    const c = raw(server);
    await c.open;
    c.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await c.closed).code).toBe(4401);
  });

  it('closes with 4403 for a bad token in connectionParams', async () => {
    const c = raw(server);
    await c.open;
    init(c, 'not-a-token');
    expect((await c.closed).code).toBe(4403);
  });

  it('closes with 4409 on a duplicate subscription id', async () => {
    const c = raw(server);
    await c.open;
    init(c);
    await c.waitFor((m) => m.type === 'connection_ack');
    c.send({ id: 'same', type: 'subscribe', payload: { query: 'subscription { activityAdded { kind } }' } });
    await new Promise((r) => setTimeout(r, 200));
    c.send({ id: 'same', type: 'subscribe', payload: { query: 'subscription { activityAdded { kind } }' } });
    expect((await c.closed).code).toBe(4409);
  });

  it('closes with 4400 on garbage', async () => {
    const c = raw(server);
    await c.open;
    c.send('this is not json');
    expect((await c.closed).code).toBe(4400);
  });

  it('refuses a 21st subscription on one socket', async () => {
    const c = raw(server);
    await c.open;
    init(c);
    await c.waitFor((m) => m.type === 'connection_ack');
    for (let i = 0; i < 21; i++) c.send({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { activityAdded { kind } }' } });
    const refused = await c.waitFor((m) => m.type === 'error');
    expect(refused.id).toBe('s20');
    expect(refused.payload[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    c.socket.close();
  });

  it('closes the socket on a frame over 64 KiB', async () => {
    const c = raw(server);
    await c.open;
    init(c);
    await c.waitFor((m) => m.type === 'connection_ack');
    c.send({ id: 'big', type: 'subscribe', payload: { query: `{ __typename }`, variables: { pad: 'x'.repeat(70 * 1024) } } });
    expect((await c.closed).code).toBe(1009);
  });

  it('closes the socket when the token expires, so the client re-authenticates', async () => {
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW' } });
    const shortLived = await signToken(server.config, { sub: 'u', org: org.id, roles: ['MEMBER'] }, '2s');
    const c = raw(server);
    await c.open;
    init(c, shortLived);
    await c.waitFor((m) => m.type === 'connection_ack');
    const started = Date.now();
    const { code, reason } = await c.closed;
    expect(code).toBe(4403);
    expect(reason).toBe('token expired');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a revoked session stops at once: its subscription ends (4403), its token is refused, a new token works', async () => {
    const rootAdmin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    const revokedUser = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'to-revoke');
    const bystander = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'bystander');
    const watch = async (t: string) => {
      const c = raw(server);
      await c.open;
      init(c, t);
      await c.waitFor((m) => m.type === 'connection_ack');
      c.send({ id: 's1', type: 'subscribe', payload: { query: 'subscription { activityAdded { kind } }' } });
      return c;
    };
    const target = await watch(revokedUser);
    const other = await watch(bystander);
    await new Promise((r) => setTimeout(r, 200));

    // Only an admin of a top-level organization may revoke.
    const branchAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    const refused = await server.gql('mutation { revokeSessions(userId: "to-revoke") { userId } }', {}, branchAdmin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const started = Date.now();
    const revoked = await server.gql(
      'mutation { revokeSessions(userId: "to-revoke", reason: "岗位调整") { userId reason revokedBy } }',
      {},
      rootAdmin,
    );
    expect(revoked.data.revokeSessions).toEqual({ userId: 'to-revoke', reason: '岗位调整', revokedBy: 'root-admin' });
    const { code, reason } = await target.closed;
    expect(code).toBe(4403);
    expect(reason).toBe('session revoked');
    expect(Date.now() - started).toBeLessThan(1000);

    // The old token is refused everywhere; the bystander's socket is untouched.
    const http = await server.gql('{ organizations(first: 1) { totalCount } }', {}, revokedUser);
    expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const again = raw(server);
    await again.open;
    init(again, revokedUser);
    expect((await again.closed).code).toBe(4403);
    expect(other.socket.readyState).toBe(WebSocket.OPEN);

    // A token issued after the revocation (iat has one-second resolution) is accepted.
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'to-revoke');
    const after = await server.gql('{ organizations(first: 1) { totalCount } }', {}, fresh);
    expect(after.errors).toBeUndefined();
    expect(after.data.organizations.totalCount).toBeGreaterThan(1);
    other.socket.close();
  });

  describe('a token sent with the operation (GraphiQL: empty connection_init, headers in extensions)', () => {
    const anonymous = async () => {
      const c = raw(server);
      await c.open;
      c.send({ type: 'connection_init', payload: {} });
      await c.waitFor((m) => m.type === 'connection_ack');
      return c;
    };
    const withHeaders = (id: string, t: string, query = '{ viewer { userId } }') => ({
      id,
      type: 'subscribe',
      payload: { query, extensions: { headers: { Authorization: `Bearer ${t}` } } },
    });

    it('authenticates the socket once, as connection_init would', async () => {
      const c = await anonymous();
      c.send(withHeaders('q1', await server.token('SZJGGW', ['MEMBER'], 'late-user')));
      expect(await c.waitFor((m) => m.id === 'q1' && m.type === 'next')).toMatchObject({
        payload: { data: { viewer: { userId: 'late-user' } } },
      });
      // The socket now belongs to that viewer: another token in a later operation does not change it.
      c.send(withHeaders('q2', await server.token('SZJGGW', ['MEMBER'], 'someone-else')));
      expect(await c.waitFor((m) => m.id === 'q2' && m.type === 'next')).toMatchObject({
        payload: { data: { viewer: { userId: 'late-user' } } },
      });
      c.socket.close();
    });

    it('closes with 4403 for a bad token, as at the door', async () => {
      const c = await anonymous();
      c.send(withHeaders('q1', 'not-a-token'));
      expect((await c.closed).code).toBe(4403);
    });

    it('ignores a token in extensions on a socket that brought one in connection_init', async () => {
      const c = raw(server);
      await c.open;
      c.send({ type: 'connection_init', payload: { authorization: `Bearer ${await server.token('SZJGGW', ['MEMBER'], 'door-user')}` } });
      await c.waitFor((m) => m.type === 'connection_ack');
      c.send(withHeaders('q1', await server.token('SZJGGW', ['ADMIN'], 'late-admin')));
      expect(await c.waitFor((m) => m.id === 'q1' && m.type === 'next')).toMatchObject({
        payload: { data: { viewer: { userId: 'door-user' } } },
      });
      c.socket.close();
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signToken } from '@dangjian/server';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A raw graphql-transport-ws socket, to send what a well-behaved client never would. */
function raw(server: TestServer) {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
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
});

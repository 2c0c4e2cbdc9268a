import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';

describe('security: HTTP', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token('SZJGGW', ['ADMIN']);
  });
  afterAll(() => server?.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });

  it('refuses a mutation over GET with 405', async () => {
    const url = `${server.url}?query=${encodeURIComponent('mutation { setPluginEnabled(pluginId: "x", enabled: true) { id } }')}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
    expect(res.status).toBe(405);
  });

  it('refuses simple (CSRF-able) requests without the CSRF header with 403', async () => {
    const text = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(text.status).toBe(403);
    const form = await post('query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(403);
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(403);
    const allowed = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(allowed.status).toBe(200);
  });

  it('does not batch', async () => {
    const res = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), {
      'content-type': 'application/json',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } });
    const res = await post(big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
  });

  // Yoga's own body limit is off (it piped every body through a stream); this one must hold alone.
  it('refuses a chunked body of unknown length with 411 before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"query":"{ __typename }", "variables": {"pad": "');
      // The body never ends: only a refusal before reading it answers.
      req.write('x'.repeat(64 * 1024));
    });
    expect(status).toBe(411);
  });

  it('refuses a Content-Length over 1 MiB with 413 before reading the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"query":"{ __typename }"}');
    });
    expect(status).toBe(413);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import type { Builder } from '@dangjian/core';
import { startTestServer, type TestServer } from '@dangjian/testing';

/** Test-only fields: a slow query to hold a request in flight, and a resolver that fails unexpectedly. */
function testFields(builder: Builder) {
  builder.queryField('slow', (t) =>
    t.int({
      description: 'test only',
      args: { ms: t.arg.int({ required: true }) },
      resolve: async (_root, { ms }) => {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      },
    }),
  );
  builder.queryField('boom', (t) =>
    t.string({
      description: 'test only',
      resolve: () => {
        throw new Error('database password is hunter2');
      },
    }),
  );
}

describe('graceful shutdown and error masking', () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  it('masks an unexpected error', async () => {
    server = await startTestServer({ modules: [testFields], dataset: null });
    const result = await server.gql('{ boom }');
    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('finishes in-flight requests, closes sockets with 1001 and refuses new connections', async () => {
    const s = server!;
    const socket = s.ws();
    const closed = new Promise<number>((resolve) => socket.on('closed', (event) => resolve((event as { code: number }).code)));
    await new Promise<void>((resolve) => socket.on('connected', () => resolve()));
    const inFlight = s.gql('{ slow(ms: 800) }');
    await new Promise((r) => setTimeout(r, 100));
    const closing = s.app.close();
    expect(await closed).toBe(1001);
    expect(await inFlight).toEqual({ data: { slow: 800 } });
    await closing;
    await expect(fetch(s.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});

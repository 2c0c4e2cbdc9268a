import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Builder } from '@dangjian/core';
import { createLogger } from '@dangjian/server';
import { startTestServer, type TestServer } from '@dangjian/testing';

const NATIONAL_ID = '11010519491231002X';

/** A resolver failing with personal data and a token in its message, as a driver error quoting values might. */
function failing(builder: Builder) {
  builder.queryField('leakyLog', (t) =>
    t.string({
      description: 'test only',
      resolve: (_root, _args, ctx) => {
        throw new Error(
          `duplicate key (nationalId)=(${NATIONAL_ID}) phone 13812345678 for ${ctx.viewer ? 'viewer' : 'anonymous'} authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl`,
        );
      },
    }),
  );
}

describe('logs in production: JSON lines with the request id, no token or personal data', () => {
  let server: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({
      dataset: null,
      modules: [failing],
      env: { NODE_ENV: 'production' },
      errorLog: createLogger('json', stream).error,
    });
  });
  afterAll(() => server?.close());

  it('a masked error is one JSON line carrying the response’s request id, redacted', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ leakyLog }' }),
    });
    const requestId = res.headers.get('x-request-id');
    const body = (await res.json()) as { errors: { extensions: { requestId: string } }[] };
    expect(body.errors[0]!.extensions.requestId).toBe(requestId);
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ level: 'error', service: 'dangjian', requestId });
    expect(line.msg).toContain('duplicate key');
    const all = lines.join('\n');
    expect(all).not.toContain(NATIONAL_ID);
    expect(all).not.toContain('13812345678');
    expect(all).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });
});

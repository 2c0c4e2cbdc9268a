import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '@dangjian/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ dataset: null });
});
afterAll(() => server?.close());

it('passes every MUST of the GraphQL-over-HTTP audits (graphql-http serverAudits)', async () => {
  const failures: string[] = [];
  let musts = 0;
  for (const audit of serverAudits({ url: server.url, fetchFn: fetch })) {
    const result = await audit.fn();
    if (audit.name.startsWith('MUST')) {
      musts++;
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
  }
  expect(musts).toBeGreaterThan(10);
  expect(failures).toEqual([]);
});

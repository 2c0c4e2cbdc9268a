import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@dangjian/server';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { dropWorkerSchema, insertDepartment, onPostgres, testClock, waitFor, type Department } from './support.ts';

interface Received {
  delivery: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
}

function ok<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

describe(`webhook delivery with retries (${onPostgres ? 'graphile-worker jobs' : 'in process'})`, () => {
  let server: TestServer;
  let receiver: Server;
  let a: Department;
  const received: Received[] = [];
  const clock = testClock('2026-12-20');
  const SECRET = 'a-webhook-secret-of-some-length';

  beforeAll(async () => {
    // The receiver fails its first request, then accepts.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const status = received.length === 0 ? 500 : 200;
        received.push({
          delivery: String(req.headers['x-dangjian-delivery']),
          timestamp: String(req.headers['x-dangjian-timestamp']),
          signature: String(req.headers['x-dangjian-signature']),
          body,
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    server = await startTestServer({
      dataset: null,
      reminders: { enabled: true, now: clock.now, webhookRetryDelaysMs: [200], intervalMs: 3_600_000, cron: '0 0 1 1 *' },
    });
    a = await insertDepartment(server.db.client, 'W');
  });
  afterAll(async () => {
    await server?.close();
    if (server) await dropWorkerSchema(server.db.client, server.db.url).catch(() => {});
    receiver?.close();
  });

  it('POSTs each new notification signed, retries a failure with back-off, and shows the failure to the ADMIN', async () => {
    const admin = await server.token(a.rootCode, ['ADMIN'], 'root-admin');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const SET = 'mutation ($input: UpdateReminderSettingsInput!) { updateReminderSettings(input: $input) { webhookUrl webhookSecretSet } }';
    const bad = await server.gql(SET, { input: { webhookUrl: 'ftp://example.org/x' } }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.webhookUrl' });
    expect(ok(await server.gql(SET, { input: { webhookUrl: url, webhookSecret: SECRET } }, admin)).updateReminderSettings).toEqual({
      webhookUrl: url,
      webhookSecretSet: true,
    });
    // Stored encrypted (a database dump does not let anyone sign webhooks), readable with the deployment's keys.
    const stored = (await server.db.client.reminderSetting.findUniqueOrThrow({ where: { organizationId: a.rootId } })).webhookSecret!;
    expect(stored).not.toContain(SECRET);
    expect(server.vault.decrypt(stored, 'ReminderSetting.webhookSecret')).toBe(SECRET);

    clock.at('2026-12-31');
    await server.app.reminders.runNow();
    // Notifications written from now on have a delivery each (earlier ones were written without a webhook).
    const written = () => server.db.client.webhookDelivery.count({ where: { rootOrganizationId: a.rootId } });
    await waitFor('the run', async () => (await written()) > 0);
    const pending = () => server.db.client.webhookDelivery.count({ where: { rootOrganizationId: a.rootId, status: { not: 'DELIVERED' } } });
    await waitFor('every notification delivered', async () => (await pending()) === 0, 30_000);
    const count = await written();
    expect(new Set(received.filter((r) => r.status === 200).map((r) => r.delivery)).size).toBe(count);

    // Signed: HMAC-SHA256 of "<timestamp>.<body>" with the department's secret.
    for (const r of received) expect(r.signature).toBe(signWebhook(SECRET, r.timestamp, r.body));
    const failed = received[0]!;
    expect(failed.status).toBe(500);
    // The failed delivery was retried and then accepted; no delivery was accepted twice.
    expect(received.filter((r) => r.delivery === failed.delivery).map((r) => r.status)).toEqual([500, 200]);
    const accepted = received.filter((r) => r.status === 200).map((r) => r.delivery);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(JSON.parse(failed.body)).toMatchObject({ kind: expect.stringMatching(/^core\./), title: expect.any(String) });

    const SCHEDULE = '{ reminderSchedule { webhookDeliveries { status attempts lastError deliveredAt } } }';
    const deliveries = ok(await server.gql(SCHEDULE, {}, admin)).reminderSchedule.webhookDeliveries;
    expect(deliveries).toEqual([{ status: 'DELIVERED', attempts: 2, lastError: 'HTTP 500', deliveredAt: expect.any(String) }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderRulesOf, type PubSub } from '@dangjian/core';
import { DEFAULT_REMINDER_OPTIONS, startReminders } from '@dangjian/server';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { insertDepartment, onPostgres, testClock, waitFor } from './support.ts';

describe.skipIf(onPostgres)('reminders on the embedded database catch up a run missed while the process was down', () => {
  let server: TestServer;
  const clock = testClock('2026-12-31');
  const silent = { publish: () => {} } as unknown as PubSub;
  const start = () =>
    startReminders({
      db: server.db,
      vault: server.vault,
      pubsub: silent,
      rules: reminderRulesOf([]),
      enabledFor: async () => new Set(),
      options: { ...DEFAULT_REMINDER_OPTIONS, intervalMs: 3_600_000, now: clock.now },
      log: () => {},
    });

  beforeAll(async () => {
    server = await startTestServer({ dataset: null, reminders: { enabled: false } });
    await insertDepartment(server.db.client, 'E');
  });
  afterAll(() => server?.close());

  it('runs at start when the last scheduled run is older than the interval, and not when it is recent', async () => {
    const db = server.db.client;
    await db.reminderRun.create({
      data: { trigger: 'schedule', evaluatedAt: new Date(), startedAt: new Date(Date.now() - 2 * 3_600_000) },
    });
    const first = await start();
    await waitFor(
      'the catch-up run',
      async () => (await db.reminderRun.count({ where: { trigger: 'catch-up', finishedAt: { not: null } } })) === 1,
    );
    await first.stop();
    expect(await db.notification.count({ where: { kind: 'core.termEnding' } })).toBe(2);

    const second = await start();
    await new Promise((r) => setTimeout(r, 500));
    await second.stop();
    expect(await db.reminderRun.count({ where: { trigger: 'catch-up' } })).toBe(1);
    expect(second.mode).toBe('EMBEDDED');
    expect((await second.nextRunAt())!.getTime()).toBeGreaterThan(Date.now());
  });
});

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderRulesOf, type PubSub } from '@dangjian/core';
import { openDatabase, type Database } from '@dangjian/db';
import { createApp, startReminders, workerTarget, type App, type ReminderScheduler } from '@dangjian/server';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { dropWorkerSchema, gid, insertDepartment, onPostgres, testClock, waitFor, type Department } from './support.ts';

const ADDED = 'subscription { notificationAdded { id kind } }';
const HOURLY = { enabled: true, cron: '0 * * * *', backfillMs: 86_400_000 };

describe.skipIf(!onPostgres)('reminders run once across two server processes on one PostgreSQL (graphile-worker)', () => {
  let server: TestServer;
  let db2: Database;
  let app2: App;
  let url2: string;
  let a: Department;
  const sockets: Client[] = [];
  const clock = testClock('2026-12-31');
  const workerSchema = () => workerTarget(server.db.url!).schema;

  beforeAll(async () => {
    server = await startTestServer({ dataset: null, reminders: { ...HOURLY, now: clock.now } });
    a = await insertDepartment(server.db.client, 'X');
    db2 = await openDatabase({ kind: 'postgres', url: server.db.url!, poolSize: 4 });
    app2 = await createApp(server.config, {
      db: db2,
      vault: server.vault,
      log: () => {},
      errorLog: () => {},
      reminders: { ...HOURLY, now: clock.now },
    });
    url2 = (await app2.listen()).replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await app2?.close();
    await db2?.close();
    if (server) await dropWorkerSchema(server.db.client, server.db.url).catch(() => {});
    await server?.close();
  });

  const listen = (url: string, token: string) => {
    const got: string[] = [];
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    sockets.push(client);
    client.subscribe(
      { query: ADDED },
      { next: (r) => got.push((r.data as any).notificationAdded.id), error: () => {}, complete: () => {} },
    );
    return got;
  };
  const jobsLeft = async () =>
    Number(
      (await server.db.client.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${workerSchema()}"._private_jobs`))[0]!.n,
    );

  it('writes and announces each reminder once when both processes are asked to run at once', async () => {
    const token = await server.token(a.branchCode, ['SECRETARY'], 'sec-x');
    const onOne = listen(server.wsUrl, token);
    const onTwo = listen(url2, token);
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all([server.app.reminders.runNow(), app2.reminders.runNow(), server.app.reminders.runNow(), app2.reminders.runNow()]);
    await waitFor(
      'the queued runs',
      async () => (await jobsLeft()) === 0 && (await server.db.client.reminderRun.count({ where: { finishedAt: null } })) === 0,
    );
    await new Promise((r) => setTimeout(r, 500));

    const mine = await server.db.client.notification.findMany({
      where: { organizationId: a.branchId, role: 'SECRETARY' },
      select: { id: true },
    });
    expect(mine.length).toBeGreaterThanOrEqual(3); // term, probation, dues (and meetings due)
    const ids = mine.map((n) => gid('Notification', n.id)).sort();
    // Each subscriber, on either process, heard each notification exactly once.
    expect([...onOne].sort()).toEqual(ids);
    // The other process hears it through Redis (the suite's PostgreSQL project runs with REDIS_URL).
    if (server.config.redisUrl) expect([...onTwo].sort()).toEqual(ids);
    // The runs together claim to have produced exactly what exists: no reminder was written twice.
    const runs = await server.db.client.reminderRun.findMany({ where: { trigger: 'manual' } });
    const produced = runs
      .flatMap((r) => r.results as { organizationId: string; produced: number }[])
      .filter((r) => r.organizationId === a.rootId);
    const total = await server.db.client.notification.count({ where: { path: { startsWith: `/${a.rootId}/` } } });
    expect(produced.reduce((sum, r) => sum + r.produced, 0)).toBe(total);
  });

  it('runs a check missed while every process was down once, when they come back', async () => {
    await Promise.all([server.app.reminders.stop(), app2.reminders.stop()]);
    // Down since one minute past the previous hour: the tick at the top of this hour was missed.
    await server.db.client.$executeRawUnsafe(
      `UPDATE "${workerSchema()}"._private_known_crontabs SET known_since = now() - interval '1 day', last_execution = date_trunc('hour', now()) - interval '59 minutes'`,
    );
    clock.at('2027-03-31');
    const options = {
      ...HOURLY,
      backfillMs: 86_400_000,
      intervalMs: 3_600_000,
      webhookMaxAttempts: 2,
      webhookRetryDelaysMs: [100],
      now: clock.now,
    };
    const silent = { publish: () => {} } as unknown as PubSub;
    const start = (db: Database) =>
      startReminders({
        db,
        vault: server.vault,
        pubsub: silent,
        rules: reminderRulesOf([]),
        enabledFor: async () => new Set(),
        options,
        log: () => {},
      });
    const restarted: ReminderScheduler[] = await Promise.all([start(server.db), start(db2)]);
    try {
      await waitFor(
        'the catch-up run',
        async () => (await server.db.client.reminderRun.count({ where: { trigger: 'catch-up', finishedAt: { not: null } } })) > 0,
      );
      await new Promise((r) => setTimeout(r, 3000));
      const catchUps = await server.db.client.reminderRun.findMany({ where: { trigger: 'catch-up' } });
      expect(catchUps).toHaveLength(1);
      expect(catchUps[0]!.evaluatedAt.toISOString()).toBe('2027-03-31T08:00:00.000Z');
      // It did its work: the three-month term reminder of the branch.
      expect(
        await server.db.client.notification.count({
          where: { kind: 'core.termEnding', subjectId: a.branchId, dedupKey: { contains: '|3m@' } },
        }),
      ).toBe(2);
    } finally {
      await Promise.all(restarted.map((r) => r.stop()));
    }
  });
});

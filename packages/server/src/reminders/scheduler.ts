import { runReminders, type AnyReminderRule, type PubSub, type ReminderService, type RunSummary } from '@dangjian/core';
import type { Database, PersonalDataVault } from '@dangjian/db';
import { Logger, parseCronItem, run, type Runner, type TaskList } from 'graphile-worker';
import type { ReminderOptions } from './options.ts';
import { attemptWebhook } from './webhook.ts';

const REMINDERS_TASK = 'dangjian_reminders';
const WEBHOOK_TASK = 'dangjian_webhook';

/** The running scheduler: the admin queries' `ReminderService`, and a way to stop it. */
export interface ReminderScheduler extends ReminderService {
  /** Runs the checks in this process now and waits (tests; `runNow` goes through the queue). */
  runOnce(trigger?: string): Promise<RunSummary>;
  stop(): Promise<void>;
}

export interface StartRemindersOptions {
  db: Database;
  /** Decrypts the departments' webhook signing secrets. */
  vault: PersonalDataVault;
  pubsub: PubSub;
  rules: readonly AnyReminderRule[];
  /** Plugins enabled for a department: a plugin's rules run only there. */
  enabledFor: (rootId: string) => Promise<ReadonlySet<string>>;
  options: ReminderOptions;
  log: (message: string) => void;
  /** Told of every finished run (metrics). */
  onRun?: (trigger: string, results: RunSummary['results']) => void;
}

/** The graphile-worker connection and schema for a database URL: the worker's tables beside the app's schema. */
export function workerTarget(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema: schema && schema !== 'public' ? `${schema}_worker` : 'graphile_worker' };
}

/** The next minute on or after `from` (UTC) matching a crontab pattern; null if none within a year. */
export function nextCronRun(pattern: string, from: Date): Date | null {
  const item = parseCronItem({ task: REMINDERS_TASK, match: pattern });
  const t = new Date(Math.ceil(from.getTime() / 60_000) * 60_000);
  for (let i = 0; i < 366 * 24 * 60; i++, t.setTime(t.getTime() + 60_000)) {
    const digest = { min: t.getUTCMinutes(), hour: t.getUTCHours(), date: t.getUTCDate(), month: t.getUTCMonth() + 1, dow: t.getUTCDay() };
    if (item.match(digest)) return new Date(t);
  }
  return null;
}

/**
 * Starts the reminder checks (core's rules and the plugins'):
 * - on PostgreSQL, graphile-worker's crontab: each tick is scheduled once however many processes run, a
 *   tick missed while every process was down is backfilled on start (run as `catch-up`), the job key makes
 *   one job of several requests, and webhook deliveries are jobs retried with the queue's back-off;
 * - on the embedded database (one process), a timer in process, a catch-up run on start when the last run
 *   is older than the interval, and webhook retries on timers.
 * Either way the notifications' unique dedup key is the final guard against a repeated reminder.
 */
export async function startReminders(start: StartRemindersOptions): Promise<ReminderScheduler> {
  const { db, options, log } = start;
  const client = db.client;
  const runOnce = async (trigger = 'manual') => {
    const summary = await runReminders({
      db: client,
      rules: start.rules,
      now: options.now(),
      trigger,
      enabledFor: start.enabledFor,
      publish: (event) => start.pubsub.publish('notification:added', event),
    });
    start.onRun?.(trigger, summary.results);
    return summary;
  };
  const base = { rules: start.rules, runOnce };

  if (!options.enabled) {
    return { ...base, mode: 'OFF', nextRunAt: async () => null, runNow: async () => void (await runOnce('manual')), stop: async () => {} };
  }

  if (db.kind === 'postgres' && db.url) {
    const target = workerTarget(db.url);
    const taskList: TaskList = {
      [REMINDERS_TASK]: async (payload, helpers) => {
        const cron = (payload as { _cron?: { backfilled?: boolean } })._cron;
        const summary = await runOnce(cron ? (cron.backfilled ? 'catch-up' : 'schedule') : 'manual');
        for (const id of summary.deliveries) {
          await helpers.addJob(WEBHOOK_TASK, { deliveryId: id }, { jobKey: `webhook:${id}`, maxAttempts: options.webhookMaxAttempts });
        }
      },
      [WEBHOOK_TASK]: async (payload) => {
        await attemptWebhook(client, start.vault, (payload as { deliveryId: string }).deliveryId, options.webhookMaxAttempts, options.now);
      },
    };
    // A failed webhook attempt is expected (retried, and shown in reminderSchedule); other errors are logged.
    const quiet = new Logger(() => (level, message) => {
      if (level === 'error' && !message.startsWith(`Failed task`)) log(`reminders: ${message}`);
    });
    const runner: Runner = await run({
      ...target,
      taskList,
      parsedCronItems: [
        parseCronItem({
          task: REMINDERS_TASK,
          identifier: REMINDERS_TASK,
          match: options.cron,
          options: {
            backfillPeriod: options.backfillMs,
            jobKey: REMINDERS_TASK,
            jobKeyMode: 'preserve_run_at',
            queueName: REMINDERS_TASK,
            maxAttempts: 3,
          },
        }),
      ],
      concurrency: 2,
      pollInterval: 1000,
      maxPoolSize: 4,
      noHandleSignals: true,
      logger: quiet,
    });
    let stopping: Promise<void> | null = null;
    return {
      ...base,
      mode: 'POSTGRES',
      nextRunAt: async () => nextCronRun(options.cron, new Date()),
      runNow: async () => {
        await runner.addJob(REMINDERS_TASK, {}, { jobKey: REMINDERS_TASK, queueName: REMINDERS_TASK });
      },
      // Idempotent: the app's close may follow an explicit stop.
      stop: () => (stopping ??= runner.stop()),
    };
  }

  // Embedded: one process owns the database; a promise keeps runs from overlapping.
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let nextAt = new Date(Date.now() + options.intervalMs);
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) work();
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  const deliver = (id: string, attempt = 0) => {
    attemptWebhook(client, start.vault, id, options.webhookMaxAttempts, options.now).catch((error: Error) => {
      if (attempt + 1 >= options.webhookMaxAttempts) return log(`reminders: ${error.message}; giving up`);
      const delays = options.webhookRetryDelaysMs;
      later(delays[Math.min(attempt, delays.length - 1)]!, () => deliver(id, attempt + 1));
    });
  };
  const serial = (trigger: string): Promise<RunSummary> => {
    const next = running.then(async () => {
      const summary = await runOnce(trigger);
      for (const id of summary.deliveries) deliver(id);
      return summary;
    });
    running = next.catch((error: Error) => log(`reminders: run failed: ${error.message}`));
    return next;
  };
  const tick = () => {
    nextAt = new Date(Date.now() + options.intervalMs);
    void serial('schedule').catch(() => {});
  };
  const interval = setInterval(tick, options.intervalMs);
  interval.unref();
  // Catch up a run missed while the process was down, and deliveries still pending from before.
  const last = await client.reminderRun.findFirst({
    where: { trigger: { not: 'manual' } },
    orderBy: { startedAt: 'desc' },
    select: { startedAt: true },
  });
  if (!last || Date.now() - last.startedAt.getTime() >= options.intervalMs) void serial('catch-up').catch(() => {});
  const pending = await client.webhookDelivery.findMany({ where: { status: 'PENDING' }, select: { id: true, attempts: true } });
  for (const p of pending) deliver(p.id, p.attempts);
  return {
    ...base,
    runOnce: serial,
    mode: 'EMBEDDED',
    nextRunAt: async () => nextAt,
    runNow: async () => void (await serial('manual')),
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      for (const timer of timers) clearTimeout(timer);
      await running;
    },
  };
}

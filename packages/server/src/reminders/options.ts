/** How the server schedules reminders; `reminderOptionsFromEnv` reads them from the environment. */
export interface ReminderOptions {
  /** Run the scheduler at all. DANGJIAN_REMINDERS=off disables it. @default true (false when NODE_ENV=test) */
  enabled: boolean;
  /** PostgreSQL: the crontab schedule (UTC), DANGJIAN_REMINDER_CRON. @default '0 * * * *' (hourly) */
  cron: string;
  /** PostgreSQL: how far back a run missed while every process was down is caught up on start. @default 2 days */
  backfillMs: number;
  /** Embedded: the interval between runs, DANGJIAN_REMINDER_INTERVAL_MS. @default 3600000 (an hour) */
  intervalMs: number;
  /** Attempts of a webhook delivery before it is marked FAILED. @default 6 */
  webhookMaxAttempts: number;
  /** Embedded: waits between webhook attempts, the last repeated. @default [1 s, 10 s, 1 min, 10 min, 1 h] */
  webhookRetryDelaysMs: readonly number[];
  /** The clock (tests drive it). @default () => new Date() */
  now: () => Date;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = {
  enabled: true,
  cron: '0 * * * *',
  backfillMs: 2 * 86_400_000,
  intervalMs: 3_600_000,
  webhookMaxAttempts: 6,
  webhookRetryDelaysMs: [1000, 10_000, 60_000, 600_000, 3_600_000],
  now: () => new Date(),
};

/** The options from DANGJIAN_REMINDERS, DANGJIAN_REMINDER_CRON and DANGJIAN_REMINDER_INTERVAL_MS. */
export function reminderOptionsFromEnv(env: Record<string, string | undefined> = process.env): ReminderOptions {
  const flag = env.DANGJIAN_REMINDERS?.trim().toLowerCase();
  const enabled = flag ? !['off', 'false', '0', 'no'].includes(flag) : env.NODE_ENV !== 'test';
  const interval = Number(env.DANGJIAN_REMINDER_INTERVAL_MS ?? '');
  return {
    ...DEFAULT_REMINDER_OPTIONS,
    enabled,
    cron: env.DANGJIAN_REMINDER_CRON?.trim() || DEFAULT_REMINDER_OPTIONS.cron,
    intervalMs: Number.isInteger(interval) && interval >= 1000 ? interval : DEFAULT_REMINDER_OPTIONS.intervalMs,
  };
}

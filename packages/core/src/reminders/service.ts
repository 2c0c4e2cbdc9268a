import type { AnyReminderRule } from './rule.ts';

/** How reminders are scheduled in this deployment. */
export type ReminderMode = 'POSTGRES' | 'EMBEDDED' | 'OFF';

/** What the server's scheduler tells the admin queries. */
export interface ReminderService {
  /** Core's rules and the loaded plugins'. */
  readonly rules: readonly AnyReminderRule[];
  readonly mode: ReminderMode;
  /** When the next scheduled run is due; null when not scheduled. */
  nextRunAt(): Promise<Date | null>;
  /** Runs the checks now (ADMIN's `runReminders`), through the job queue where there is one. */
  runNow(): Promise<void>;
}

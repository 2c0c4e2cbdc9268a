import type { PrismaClient } from '@dangjian/db';
import type { Role } from '../auth/viewer.ts';

/** Where a notification goes: a role at an organization (the stable address under an identity provider) or a user. */
export type ReminderAddress = { organizationId: string; role: Role } | { userId: string; organizationId: string };

/** One reminder a rule would send: what about, at which threshold, to whom. */
export interface Reminder {
  /** The thing it is about: the GraphQL type and row id (the notification links to it by global id). */
  subjectType: string;
  subjectId: string;
  /**
   * Which threshold was crossed, e.g. `6` (months), `overdue`, or `3@2026-10` (three months unpaid from
   * October): with the rule and subject it makes the dedup key, so a reminder is never repeated.
   */
  threshold: string;
  /** The organization it is about (its path files the notification for subtree reads). */
  organization: { id: string; path: string };
  to: readonly ReminderAddress[];
  title: string;
  body: string;
}

/** The department a rule runs for (a top-level organization) and the clock and thresholds it runs with. */
export interface ReminderScope {
  root: { id: string; path: string };
  /** The instant the check runs at (injected: tests drive the clock). */
  now: Date;
  /** This rule's thresholds for the department (its settings, or the rule's defaults), largest first. */
  thresholds: readonly number[];
}

/**
 * 提醒规则 — one reminder rule: `load` reads what it needs for a department in a fixed number of statements
 * (never one per row), `evaluate` is pure (given that data and the clock, the reminders it would produce).
 * Plugins contribute rules through `definePlugin({ reminders })`.
 */
export interface ReminderRule<Data = unknown> {
  /** `core.<name>` or `<plugin-id>.<name>`. */
  readonly id: string;
  /** One line for admins: what it checks and whom it tells. */
  readonly description: string;
  /** What a threshold counts, and the thresholds used when a department has set none. */
  readonly unit: 'MONTHS' | 'DAYS';
  readonly defaults: readonly number[];
  load(db: PrismaClient, scope: ReminderScope): Promise<Data>;
  evaluate(data: Data, scope: ReminderScope): Reminder[];
}

/** A rule of any data type, as lists of rules hold them. */
export type AnyReminderRule = ReminderRule<any>;

/** The unique key of one notification: rule, subject, threshold and address. */
export function dedupKey(rule: string, reminder: Pick<Reminder, 'subjectType' | 'subjectId' | 'threshold'>, to: ReminderAddress): string {
  const address = 'role' in to ? `${to.organizationId}/${to.role}` : `user:${to.userId}`;
  return `${rule}|${reminder.subjectType}:${reminder.subjectId}|${reminder.threshold}|${address}`;
}

/** Checks a rule list: ids `<owner>.<name>`, unique, defaults positive whole numbers. */
export function checkReminderRules(owner: string, rules: readonly AnyReminderRule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!rule.id.startsWith(`${owner}.`) || !/^[a-z][a-zA-Z0-9]*$/.test(rule.id.slice(owner.length + 1))) {
      throw new Error(`${owner}: reminder rule "${rule.id}" must be named "${owner}.<camelCaseName>"`);
    }
    if (seen.has(rule.id)) throw new Error(`${owner}: reminder rule "${rule.id}" is declared twice`);
    seen.add(rule.id);
    if (rule.defaults.some((n) => !Number.isInteger(n) || n < 1))
      throw new Error(`${owner}: reminder rule "${rule.id}" has a threshold below 1`);
  }
}

/** Whole days from `from` to `to` (UTC calendar dates; negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 86_400_000);
}

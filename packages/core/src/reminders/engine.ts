import type { PrismaClient } from '@dangjian/db';
import type { NotificationEvent } from '../activity/pubsub.ts';
import { type AnyReminderRule, dedupKey } from './rule.ts';
import { thresholdsOf } from './settings.ts';

/** What one rule produced for one department in a run. */
export interface RuleResult {
  rule: string;
  organizationId: string;
  /** Notifications written (reminders already sent before are not counted: their keys exist). */
  produced: number;
  error?: string;
}

export interface RunRemindersOptions {
  db: PrismaClient;
  /** Core's rules and those of the loaded plugins. */
  rules: readonly AnyReminderRule[];
  /** The clock the rules evaluate at. */
  now: Date;
  /** `schedule`, `catch-up` or `manual`: kept with the run. */
  trigger: string;
  /** Plugins enabled for a department; a plugin's rules run only where it is enabled. All, when absent. */
  enabledFor?: (rootId: string) => Promise<ReadonlySet<string>>;
  /** Told of each notification written (the event bus: `notificationAdded`). */
  publish?: (event: NotificationEvent) => void;
}

export interface RunSummary {
  runId: string;
  results: RuleResult[];
  /** Webhook deliveries created by this run, to be sent. */
  deliveries: string[];
}

/** The owner of a rule id: `core` or a plugin id. */
const ownerOf = (ruleId: string) => ruleId.slice(0, ruleId.indexOf('.'));

/**
 * Runs every rule for every department once at `now`, writes the notifications no earlier run wrote (the
 * unique dedup key is the final guard: two processes running at once write each notification once
 * between them), creates their webhook deliveries in the same transaction, and records the run.
 * A failing rule is recorded and does not stop the others.
 */
export async function runReminders(options: RunRemindersOptions): Promise<RunSummary> {
  const { db, rules, now } = options;
  const run = await db.reminderRun.create({ data: { trigger: options.trigger, evaluatedAt: now }, select: { id: true } });
  const [roots, settings] = await Promise.all([
    db.organization.findMany({ where: { parentId: null }, select: { id: true, path: true }, orderBy: { code: 'asc' } }),
    db.reminderSetting.findMany(),
  ]);
  const settingOf = new Map(settings.map((s) => [s.organizationId, s]));
  const results: RuleResult[] = [];
  const deliveries: string[] = [];
  for (const root of roots) {
    const setting = settingOf.get(root.id);
    const enabled = options.enabledFor ? await options.enabledFor(root.id) : null;
    for (const rule of rules) {
      const owner = ownerOf(rule.id);
      if (owner !== 'core' && enabled && !enabled.has(owner)) continue;
      try {
        const scope = { root, now, thresholds: thresholdsOf(rule, setting?.thresholds) };
        const reminders = rule.evaluate(await rule.load(db, scope), scope);
        const rows = reminders.flatMap((r) =>
          r.to.map((to) => ({
            organizationId: to.organizationId,
            path: r.organization.path,
            role: 'role' in to ? to.role : null,
            userId: 'userId' in to ? to.userId : null,
            kind: rule.id,
            title: r.title,
            body: r.body,
            subjectType: r.subjectType,
            subjectId: r.subjectId,
            dedupKey: dedupKey(rule.id, r, to),
          })),
        );
        const created = rows.length
          ? await db.$transaction(async (tx) => {
              const inserted = await tx.notification.createManyAndReturn({
                data: rows,
                skipDuplicates: true,
                select: { id: true, organizationId: true, role: true, userId: true },
              });
              if (setting?.webhookUrl && inserted.length) {
                const made = await tx.webhookDelivery.createManyAndReturn({
                  data: inserted.map((n) => ({ notificationId: n.id, rootOrganizationId: root.id })),
                  skipDuplicates: true,
                  select: { id: true },
                });
                deliveries.push(...made.map((d) => d.id));
              }
              return inserted;
            })
          : [];
        for (const n of created) options.publish?.({ ...n, rootOrganizationId: root.id });
        results.push({ rule: rule.id, organizationId: root.id, produced: created.length });
      } catch (error) {
        results.push({
          rule: rule.id,
          organizationId: root.id,
          produced: 0,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  await db.reminderRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), results: results as never } });
  return { runId: run.id, results, deliveries };
}

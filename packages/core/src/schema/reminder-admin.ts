import type { Prisma } from '@dangjian/db';
import { transact } from '../activity/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, InputError } from '../errors/errors.ts';
import { optionalText } from '../kit/validate/index.ts';
import { rootOf } from '../plugin/access.ts';
import { CORE_REMINDER_RULES } from '../reminders/registry.ts';
import type { AnyReminderRule } from '../reminders/rule.ts';
import { MAX_THRESHOLD, thresholdsOf } from '../reminders/settings.ts';

/** The department's top-level organization, for an ADMIN acting for it; FORBIDDEN otherwise. */
function departmentOf(ctx: Context): string {
  const viewer = requireViewer(ctx);
  const root = rootOf(viewer);
  if (viewer.organizationId !== root) throw new ForbiddenError('reminder settings belong to the ADMIN of the top-level organization');
  return root;
}

const rulesOf = (ctx: Context): readonly AnyReminderRule[] => ctx.reminders?.rules ?? CORE_REMINDER_RULES;

interface SettingsShape {
  organizationId: string;
  thresholds: Prisma.JsonValue;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

interface RuleResultShape {
  rule: string;
  organizationId: string;
  produced: number;
  error?: string;
}

/** A webhook URL: http(s), at most 500 characters. */
function checkWebhookUrl(value: string, field: string): string {
  if (value.length > 500) throw new InputError(field, 'must be at most 500 characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(field, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(field, 'must be an http(s) URL');
  return url.toString();
}

/** 提醒设置 and 提醒运行: a department's thresholds and webhook, and what the scheduled runs did. */
export function registerReminderAdmin(builder: Builder): void {
  const Unit = builder.enumType('ReminderUnit', {
    description: '阈值单位 — what a rule’s thresholds count',
    values: { MONTHS: { description: '月 — months before (or of) the event' }, DAYS: { description: '天 — days before the event' } },
  });

  const RuleSetting = builder.objectRef<{ rule: AnyReminderRule; thresholds: number[] }>('ReminderRuleSetting').implement({
    description: '提醒规则 — one reminder rule with the thresholds your department uses',
    fields: (t) => ({
      rule: t.string({ description: '规则 — `core.<name>` or `<plugin>.<name>`', resolve: (s) => s.rule.id }),
      description: t.string({ description: '说明 — what it checks and whom it tells', resolve: (s) => s.rule.description }),
      unit: t.field({ type: Unit, description: '单位 — months or days', resolve: (s) => s.rule.unit }),
      defaults: t.intList({
        description: '默认阈值 — the thresholds when your department sets none',
        resolve: (s) => [...s.rule.defaults],
      }),
      thresholds: t.intList({ description: '阈值 — the thresholds in use, largest first', resolve: (s) => s.thresholds }),
    }),
  });

  const Settings = builder.objectRef<SettingsShape>('ReminderSettings').implement({
    description: '提醒设置 — your department’s reminder thresholds and webhook',
    fields: (t) => ({
      rules: t.field({
        type: [RuleSetting],
        description: '规则 — every reminder rule of this deployment with your thresholds',
        resolve: (s, _args, ctx) => rulesOf(ctx).map((rule) => ({ rule, thresholds: thresholdsOf(rule, s.thresholds) })),
      }),
      webhookUrl: t.string({
        nullable: true,
        description: '推送地址 — where new notifications are POSTed (null: no webhook)',
        resolve: (s) => s.webhookUrl,
      }),
      webhookSecretSet: t.boolean({
        description: '签名密钥 — whether a signing secret is set (the secret itself is never shown)',
        resolve: (s) => s.webhookSecret !== null,
      }),
    }),
  });

  const loadSettings = async (ctx: Context, root: string): Promise<SettingsShape> =>
    (await ctx.db.reminderSetting.findUnique({ where: { organizationId: root } })) ?? {
      organizationId: root,
      thresholds: {},
      webhookUrl: null,
      webhookSecret: null,
    };

  builder.queryField('reminderSettings', (t) =>
    t.field({
      type: Settings,
      description: '提醒设置 — your department’s reminder thresholds and webhook (ADMIN of the top-level organization)',
      authScopes: { role: 'ADMIN' },
      resolve: (_root, _args, ctx) => loadSettings(ctx, departmentOf(ctx)),
    }),
  );

  const ThresholdInput = builder.inputType('ReminderThresholdInput', {
    description: '阈值 — one rule’s thresholds',
    fields: (t) => ({
      rule: t.string({ required: true, description: '规则 — the rule id, e.g. `core.termEnding`' }),
      values: t.intList({
        required: true,
        description: '阈值 — 1 to 5 whole numbers from 1 to 366 (the rule’s unit); empty: back to the defaults',
      }),
    }),
  });

  const SettingsInput = builder.inputType('UpdateReminderSettingsInput', {
    description: '修改提醒设置 — what to change; fields left out stay as they are',
    fields: (t) => ({
      thresholds: t.field({ type: [ThresholdInput], required: false, description: '阈值 — thresholds of the rules named' }),
      webhookUrl: t.string({ required: false, description: '推送地址 — an http(s) URL; empty string removes the webhook' }),
      webhookSecret: t.string({ required: false, description: '签名密钥 — 16 to 200 characters; the body is signed with HMAC-SHA256' }),
    }),
  });

  builder.mutationField('updateReminderSettings', (t) =>
    t.field({
      type: Settings,
      description: '修改提醒设置 — set your department’s thresholds and webhook (ADMIN of the top-level organization)',
      authScopes: { role: 'ADMIN' },
      args: { input: t.arg({ type: SettingsInput, required: true, description: '修改内容 — what to change' }) },
      resolve: async (_root, { input }, ctx) => {
        const root = departmentOf(ctx);
        const rules = new Map(rulesOf(ctx).map((r) => [r.id, r]));
        const current = await loadSettings(ctx, root);
        const thresholds = { ...((current.thresholds ?? {}) as Record<string, number[]>) };
        (input.thresholds ?? []).forEach((item, i) => {
          if (!rules.has(item.rule)) throw new InputError(`input.thresholds[${i}].rule`, 'is not a reminder rule of this deployment');
          if (item.values.length > 5) throw new InputError(`input.thresholds[${i}].values`, 'must name at most 5 thresholds');
          item.values.forEach((n, j) => {
            if (!Number.isInteger(n) || n < 1 || n > MAX_THRESHOLD)
              throw new InputError(`input.thresholds[${i}].values[${j}]`, `must be a whole number from 1 to ${MAX_THRESHOLD}`);
          });
          if (item.values.length === 0) delete thresholds[item.rule];
          else thresholds[item.rule] = [...new Set(item.values)].sort((a, b) => b - a);
        });
        const url =
          input.webhookUrl == null
            ? undefined
            : input.webhookUrl.trim() === ''
              ? null
              : checkWebhookUrl(input.webhookUrl.trim(), 'input.webhookUrl');
        const secret = optionalText(input.webhookSecret, 'input.webhookSecret', 'long');
        if (secret != null && (secret.length < 16 || secret.length > 200))
          throw new InputError('input.webhookSecret', 'must be 16 to 200 characters');
        const viewer = requireViewer(ctx);
        return transact(ctx, async (tx, record) => {
          const data = {
            thresholds,
            ...(url !== undefined ? { webhookUrl: url } : {}),
            // Encrypted at rest like national IDs: a database dump must not let anyone sign webhooks.
            ...(secret != null ? { webhookSecret: ctx.vault.encrypt(secret, 'ReminderSetting.webhookSecret') } : {}),
            updatedBy: viewer.userId,
          };
          const saved = await tx.reminderSetting.upsert({
            where: { organizationId: root },
            create: { organizationId: root, ...data },
            update: data,
          });
          const organization = await tx.organization.findUniqueOrThrow({ where: { id: root }, select: { id: true, path: true } });
          await record({
            kind: 'reminder.settingsChanged',
            organization,
            subjectType: 'Organization',
            subjectId: root,
            summary: '修改提醒设置',
            data: { thresholds, webhook: saved.webhookUrl !== null },
          });
          return saved;
        });
      },
    }),
  );

  const RuleResult = builder.objectRef<RuleResultShape>('ReminderRuleResult').implement({
    description: '规则结果 — what one rule produced for your department in a run',
    fields: (t) => ({
      rule: t.exposeString('rule', { description: '规则 — the rule id' }),
      produced: t.exposeInt('produced', { description: '新通知 — notifications written (reminders sent before are not repeated)' }),
      error: t.string({
        nullable: true,
        description: '错误 — why the rule failed in this run, if it did',
        resolve: (r) => r.error ?? null,
      }),
    }),
  });

  const Run = builder.prismaObject('ReminderRun', {
    description: '提醒运行 — one run of the reminder checks',
    fields: (t) => ({
      trigger: t.exposeString('trigger', {
        description: '触发 — `schedule`, `catch-up` (missed while every process was down) or `manual`',
      }),
      evaluatedAt: t.expose('evaluatedAt', { type: 'DateTime', description: '检查时刻 — the clock the rules used' }),
      startedAt: t.expose('startedAt', { type: 'DateTime', description: '开始 — when it started' }),
      finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: '结束 — when it finished (null while running)' }),
      results: t.field({
        type: [RuleResult],
        description: '结果 — what each rule produced for your department',
        resolve: (run, _args, ctx) => {
          const root = rootOf(requireViewer(ctx));
          return ((run.results ?? []) as unknown as RuleResultShape[]).filter((r) => r.organizationId === root);
        },
      }),
    }),
  });

  const Delivery = builder.prismaObject('WebhookDelivery', {
    description: '推送 — delivery of one notification to your webhook',
    fields: (t) => ({
      notificationId: t.string({
        description: '通知 — global ID of the notification sent',
        resolve: (d) => Buffer.from(`Notification:${d.notificationId}`).toString('base64'),
      }),
      status: t.exposeString('status', { description: '状态 — PENDING (retrying), DELIVERED or FAILED (gave up)' }),
      attempts: t.exposeInt('attempts', { description: '尝试次数 — attempts so far' }),
      lastError: t.exposeString('lastError', { nullable: true, description: '最近错误 — why the last attempt failed' }),
      deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, description: '送达时间 — when the receiver accepted it' }),
    }),
  });

  const Schedule = builder.objectRef<{ root: string }>('ReminderSchedule').implement({
    description: '提醒调度 — when the checks run and what they did',
    fields: (t) => ({
      mode: t.string({
        description: '方式 — POSTGRES (graphile-worker cron, once across processes), EMBEDDED (in-process timer) or OFF',
        resolve: (_s, _args, ctx) => ctx.reminders?.mode ?? 'OFF',
      }),
      nextRunAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: '下次运行 — when the next scheduled run is due',
        resolve: async (_s, _args, ctx) => (ctx.reminders ? ctx.reminders.nextRunAt() : null),
      }),
      runs: t.prismaField({
        type: [Run],
        description: '运行记录 — the latest runs, newest first (the first is the last run)',
        args: { first: t.arg.int({ required: false, defaultValue: 10, description: '条数 — how many, 1 to 50' }) },
        resolve: (query, _s, args, ctx) => {
          const first = args.first ?? 10;
          if (first < 1 || first > 50) throw new InputError('first', 'must be between 1 and 50');
          return ctx.db.reminderRun.findMany({ ...query, orderBy: { startedAt: 'desc' }, take: first });
        },
      }),
      webhookDeliveries: t.prismaField({
        type: [Delivery],
        description: '推送记录 — your webhook’s deliveries that failed at least once or are still pending, newest first (at most 50)',
        resolve: (query, s, _args, ctx) =>
          ctx.db.webhookDelivery.findMany({
            ...query,
            where: { rootOrganizationId: s.root, OR: [{ status: { not: 'DELIVERED' } }, { attempts: { gt: 1 } }] },
            orderBy: { createdAt: 'desc' },
            take: 50,
          }),
      }),
    }),
  });

  builder.queryField('reminderSchedule', (t) =>
    t.field({
      type: Schedule,
      description:
        '提醒调度 — last and next run of the reminder checks, what each rule produced, webhook failures (ADMIN of the top-level organization)',
      authScopes: { role: 'ADMIN' },
      resolve: (_root, _args, ctx) => ({ root: departmentOf(ctx) }),
    }),
  );
}

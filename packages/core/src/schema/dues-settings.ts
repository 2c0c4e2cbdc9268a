import type { Builder } from '../builder.ts';
import { requireViewer, scopePath } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { departmentOf, type DuesSettings, duesSettingsOf } from '../dues/data.ts';
import { ForbiddenError, InputError } from '../errors/errors.ts';

/** 党费设置 (DuesSettings): a department's due day and retained share, read by anyone in it, set by its ADMIN. */
export function registerDuesSettings(builder: Builder): void {
  const Settings = builder.objectRef<DuesSettings>('DuesSettings').implement({
    description: '党费设置 — a department’s (top-level organization’s) dues settings',
    fields: (t) => ({
      dueDay: t.int({
        nullable: true,
        description:
          '缴纳期限日 — day of the month (1–28) by which a month’s dues are due; null: the month’s last day (default). A month is in arrears only after it.',
        resolve: (s) => s.dueDay,
      }),
      retainPercent: t.int({
        description: '留存比例 — percent of collected dues organizations keep where the rules allow (default 0: all handed upward)',
        resolve: (s) => s.retainPercent,
      }),
    }),
  });

  builder.queryField('duesSettings', (t) =>
    t.field({
      type: Settings,
      description: '党费设置 — the dues settings of your department',
      authScopes: { authenticated: true },
      resolve: (_root, _args, ctx) => duesSettingsOf(ctx.db, scopePath(requireViewer(ctx))),
    }),
  );

  builder.mutationField('setDuesSettings', (t) =>
    t.field({
      type: Settings,
      description: '设置党费 — set your department’s due day and retained share (ADMIN of the top-level organization)',
      authScopes: { role: 'ADMIN' },
      args: {
        dueDay: t.arg.int({ required: false, description: '缴纳期限日 — 1–28; null for the month’s last day' }),
        retainPercent: t.arg.int({ required: true, description: '留存比例 — 0–100' }),
      },
      resolve: async (_root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const department = departmentOf(scopePath(viewer));
        if (!department || department !== viewer.organizationId) {
          throw new ForbiddenError('only the ADMIN of a department (top-level organization) sets its dues settings');
        }
        const dueDay = args.dueDay ?? null;
        if (dueDay !== null && (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 28))
          throw new InputError('dueDay', 'must be between 1 and 28, or null');
        if (!Number.isInteger(args.retainPercent) || args.retainPercent < 0 || args.retainPercent > 100) {
          throw new InputError('retainPercent', 'must be between 0 and 100');
        }
        return transact(ctx, async (tx, record) => {
          const org = await tx.organization.findUniqueOrThrow({ where: { id: department } });
          const data = { dueDay, retainPercent: args.retainPercent, updatedBy: viewer.userId };
          const row = await tx.duesSetting.upsert({
            where: { organizationId: department },
            create: { organizationId: department, ...data },
            update: data,
          });
          await record({
            kind: 'organization.duesSettingsChanged',
            organization: org,
            subjectType: 'Organization',
            subjectId: org.id,
            summary: `${org.name}党费缴纳期限为每月${dueDay === null ? '月末' : `${dueDay}日`}，留存比例${args.retainPercent}%`,
            data: { dueDay, retainPercent: args.retainPercent },
          });
          return { dueDay: row.dueDay, retainPercent: row.retainPercent };
        });
      },
    }),
  );
}

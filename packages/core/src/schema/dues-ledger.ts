import type { Organization } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { duesSettingsOf } from '../dues/data.ts';
import { monthArg } from '../dues/input.ts';
import { formatFen, parseFen } from '../dues/standard.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { addMonths } from './member-rules.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import { modelRef } from './refs.ts';

interface LedgerRow {
  organization: Organization;
  collectedFen: number;
  payments: number;
}
interface Ledger extends LedgerRow {
  from: Date;
  to: Date;
  retainPercent: number;
  retainedFen: number;
  rows: LedgerRow[];
}

/**
 * Kept share in fen: rounded down, so what is handed upward (上缴) is never less than the rules ask.
 * Integer arithmetic: `collected × percent / 100`, floored.
 */
export function retainedFen(collectedFen: number, retainPercent: number): number {
  return Math.floor((collectedFen * retainPercent) / 100);
}

/** 党费台账 (DuesLedger): what an organization collected in a period, what it hands upward and what it keeps. */
export function registerDuesLedger(builder: Builder): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  const Row = builder.objectRef<LedgerRow>('DuesLedgerRow').implement({
    description: '台账行 — what one direct child organization (its subtree), or the organization’s own members, paid in the period',
    fields: (t) => ({
      organization: t.field({
        type: OrganizationRef,
        description: '党组织 — the child organization, or the organization itself for its own members',
        resolve: (r) => r.organization,
      }),
      collected: t.field({ type: 'Decimal', description: '收缴金额 — paid in the period', resolve: (r) => formatFen(r.collectedFen) }),
      payments: t.int({ description: '笔数 — month parts paid in the period', resolve: (r) => r.payments }),
    }),
  });

  const LedgerRef = builder.objectRef<Ledger>('DuesLedger').implement({
    description: '党费台账 — the dues an organization’s subtree received in a period (by payment date), handed upward (上缴) and kept',
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, description: '党组织 — the organization', resolve: (l) => l.organization }),
      from: t.field({ type: 'Date', description: '起始日期 — first day of the period', resolve: (l) => l.from }),
      to: t.field({
        type: 'Date',
        description: '截止日期 — last day of the period',
        resolve: (l) => new Date(l.to.getTime() - 86_400_000),
      }),
      collected: t.field({
        type: 'Decimal',
        description: '收缴合计 — everything paid in the period, 自愿多交 included',
        resolve: (l) => formatFen(l.collectedFen),
      }),
      payments: t.int({ description: '笔数 — month parts paid in the period', resolve: (l) => l.payments }),
      retainPercent: t.int({
        description: '留存比例 — percent the department lets organizations keep (DuesSettings.retainPercent; default 0: all handed upward)',
        resolve: (l) => l.retainPercent,
      }),
      retained: t.field({
        type: 'Decimal',
        description: '留存 — kept where the rules allow: collected × retainPercent, rounded down to the fen',
        resolve: (l) => formatFen(l.retainedFen),
      }),
      handedUp: t.field({
        type: 'Decimal',
        description: '上缴 — handed to the committee above: collected − retained',
        resolve: (l) => formatFen(l.collectedFen - l.retainedFen),
      }),
      rows: t.field({
        type: [Row],
        description: '明细 — per direct child organization, and the organization’s own members',
        resolve: (l) => l.rows,
      }),
    }),
  });

  builder.queryField('duesLedger', (t) =>
    t.field({
      type: LedgerRef,
      description:
        '党费台账 — what an organization’s subtree received in a year or a month (by payment date), the 上缴 to the committee above and what it keeps; one aggregate statement',
      authScopes: { authenticated: true },
      args: {
        organizationId: t.arg.id({ required: true, description: '党组织 — global ID of the organization' }),
        year: t.arg.int({ required: true, description: '年度 — the year' }),
        month: t.arg.string({ required: false, description: '月份 — `YYYY-MM` inside the year, for one month only' }),
      },
      resolve: async (_root, args, ctx) => {
        const thisYear = utcToday().getUTCFullYear();
        if (!Number.isInteger(args.year) || args.year < 1921 || args.year > thisYear) {
          throw new InputError('year', `must be a year between 1921 and ${thisYear}`);
        }
        let from = new Date(Date.UTC(args.year, 0, 1));
        let to = new Date(Date.UTC(args.year + 1, 0, 1));
        if (args.month) {
          from = monthArg(args.month, 'month');
          if (from.getUTCFullYear() !== args.year) throw new InputError('month', 'must lie in the year');
          to = addMonths(from, 1);
        }
        const org = await findOrganizationInScope(ctx.db, ctx, String(args.organizationId), 'organizationId');
        const [children, sums, settings] = await Promise.all([
          ctx.db.organization.findMany({ where: { parentId: org.id }, orderBy: [{ code: 'asc' }] }),
          ctx.db.$queryRaw<{ path: string; collected: string; payments: number }[]>`
            SELECT o.path, SUM(p.amount)::text AS collected, COUNT(*)::int AS payments
            FROM "DuesPayment" p JOIN "Member" m ON m.id = p."memberId" JOIN "Organization" o ON o.id = m."organizationId"
            WHERE o.path LIKE ${`${org.path}%`} AND p."paidAt" >= ${from} AND p."paidAt" < ${to}
            GROUP BY o.path`,
          duesSettingsOf(ctx.db, org.path),
        ]);
        const own: LedgerRow = { organization: org, collectedFen: 0, payments: 0 };
        const rows: LedgerRow[] = children.map((c) => ({ organization: c, collectedFen: 0, payments: 0 }));
        let collectedFen = 0;
        let payments = 0;
        for (const sum of sums) {
          const fen = parseFen(sum.collected) ?? 0;
          collectedFen += fen;
          payments += sum.payments;
          const row = rows.find((r) => sum.path.startsWith(r.organization.path)) ?? own;
          row.collectedFen += fen;
          row.payments += sum.payments;
        }
        return {
          organization: org,
          from,
          to,
          collectedFen,
          payments,
          retainPercent: settings.retainPercent,
          retainedFen: retainedFen(collectedFen, settings.retainPercent),
          rows: own.payments > 0 ? [own, ...rows] : rows,
        };
      },
    }),
  );
}

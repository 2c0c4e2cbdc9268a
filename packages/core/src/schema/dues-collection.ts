import type { Organization } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { addToTally, type CollectionTally, dueStatements, emptyTally, loadSubtreeDues, percent } from '../dues/collection.ts';
import { formatFen } from '../dues/standard.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import { formatMonth } from './member-rules.ts';
import { modelRef } from './refs.ts';

interface CollectionPeriod {
  month: Date | null;
  tally: CollectionTally;
}
interface Collection {
  organization: Organization;
  year: number;
  total: CollectionTally;
  months: CollectionPeriod[];
  children: Collection[];
}

/** 党费收缴率 (DuesCollection): due member-months of a year compared with their standards, per month and per organization. */
export function registerDuesCollection(builder: Builder): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  const Period = builder.objectRef<CollectionPeriod>('DuesCollectionPeriod').implement({
    description: '收缴情况 — the due member-months of a month (or of the whole year) and what was paid for them',
    fields: (t) => ({
      month: t.string({
        nullable: true,
        description: '月份 — `YYYY-MM`; null for the year’s total',
        resolve: (p) => (p.month ? formatMonth(p.month) : null),
      }),
      dueMemberMonths: t.int({
        description: '应缴人月 — member-months due (from each member’s joining month, up to the latest due month)',
        resolve: (p) => p.tally.dueMonths,
      }),
      paidMemberMonths: t.int({
        description: '已缴人月 — of those, paid in full (exempt months included)',
        resolve: (p) => p.tally.settledMonths,
      }),
      onTimeMemberMonths: t.int({ description: '按时人月 — of those, paid in full by the due date', resolve: (p) => p.tally.onTimeMonths }),
      rate: t.float({
        nullable: true,
        description: '收缴率 — paid member-months as a percentage of due member-months (two decimals); null when nothing is due',
        resolve: (p) => percent(p.tally.settledMonths, p.tally.dueMonths),
      }),
      expected: t.field({
        type: 'Decimal',
        description: '应缴金额 — the standards of the due months (months without a standard add nothing)',
        resolve: (p) => formatFen(p.tally.expectedFen),
      }),
      paid: t.field({ type: 'Decimal', description: '实缴金额 — paid for those months', resolve: (p) => formatFen(p.tally.paidFen) }),
      voluntary: t.field({
        type: 'Decimal',
        description: '自愿多交 — paid above the standards',
        resolve: (p) => formatFen(p.tally.voluntaryFen),
      }),
      owed: t.field({
        type: 'Decimal',
        description: '欠缴金额 — still owed for those months (known standards)',
        resolve: (p) => formatFen(p.tally.owedFen),
      }),
    }),
  });

  const CollectionRef = builder.objectRef<Collection>('DuesCollection');
  CollectionRef.implement({
    description: '党费收缴 — the collection of an organization (its whole subtree) in a year',
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, description: '党组织 — the organization', resolve: (c) => c.organization }),
      year: t.int({ description: '年度 — year', resolve: (c) => c.year }),
      total: t.field({ type: Period, description: '全年 — the year so far', resolve: (c) => ({ month: null, tally: c.total }) }),
      months: t.field({
        type: [Period],
        description: '各月 — each month of the year up to the latest due month',
        resolve: (c) => c.months,
      }),
      children: t.field({
        type: [CollectionRef],
        description: '下级党组织 — the same for each direct child organization (its subtree)',
        resolve: (c) => c.children,
      }),
    }),
  });

  builder.queryField('duesCollection', (t) =>
    t.field({
      type: CollectionRef,
      description:
        '党费收缴率 — collection of an organization’s subtree in a year, per month and for each direct child; members count where their membership is now. Fixed number of statements however large the subtree.',
      authScopes: { authenticated: true },
      args: {
        organizationId: t.arg.id({ required: true, description: '党组织 — global ID of the organization' }),
        year: t.arg.int({ required: true, description: '年度 — the year, e.g. 2026' }),
      },
      resolve: async (_root, args, ctx) => {
        const today = utcToday();
        if (!Number.isInteger(args.year) || args.year < 1921 || args.year > today.getUTCFullYear()) {
          throw new InputError('year', `must be a year between 1921 and ${today.getUTCFullYear()}`);
        }
        const org = await findOrganizationInScope(ctx.db, ctx, String(args.organizationId), 'organizationId');
        const children = await ctx.db.organization.findMany({ where: { parentId: org.id }, orderBy: [{ code: 'asc' }] });
        const from = new Date(Date.UTC(args.year, 0, 1));
        const to = new Date(Date.UTC(args.year, 11, 1));
        const { members, data, settings } = await loadSubtreeDues(ctx.db, [org.path], from);
        const make = (o: Organization): Collection => ({ organization: o, year: args.year, total: emptyTally(), months: [], children: [] });
        const root = make(org);
        root.children = children.map(make);
        const monthsOf = new Map<Collection, Map<number, CollectionPeriod>>();
        const add = (c: Collection, s: ReturnType<typeof dueStatements>[number]) => {
          addToTally(c.total, s);
          let byMonth = monthsOf.get(c);
          if (!byMonth) monthsOf.set(c, (byMonth = new Map()));
          let period = byMonth.get(s.month.getTime());
          if (!period) byMonth.set(s.month.getTime(), (period = { month: s.month, tally: emptyTally() }));
          addToTally(period.tally, s);
        };
        for (const member of members) {
          const memberData = data.get(member.id);
          if (!memberData) continue;
          const child = root.children.find((c) => member.path.startsWith(c.organization.path));
          for (const s of dueStatements(memberData, from, to, settings(member.path).dueDay, today)) {
            add(root, s);
            if (child) add(child, s);
          }
        }
        for (const c of [root, ...root.children]) {
          c.months = [...(monthsOf.get(c)?.values() ?? [])].sort((a, b) => a.month!.getTime() - b.month!.getTime());
        }
        return root;
      },
    }),
  );
}

import type { Organization } from '@dangjian/db';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { resolveUnder } from '../kit/under.ts';
import type { Shortfall } from './meeting-cadence.ts';
import { queryShortfalls } from './meeting-shortfall-sql.ts';
import type { GraphQLResolveInfo } from 'graphql';
import type { MeetingKindRef } from './meeting.ts';
import { modelRef } from './refs.ts';
import { utcToday } from '../kit/dates.ts';
import { checkPeriod } from '../kit/validate/index.ts';

/** Longest period one check may cover; the answer grows with the number of months. */
const MAX_PERIOD_YEARS = 10;

/** A checked shortfall period: the subtree's path and [from, to] cut at today, or null when nothing can be owed yet. */
export interface ShortfallPeriod {
  path: string;
  from: Date;
  to: Date;
}

/** Checks `from`/`to`/`under` as both shortfall fields take them. */
export async function shortfallPeriod(
  ctx: Context,
  args: { from: Date; to: Date; under?: string | number | null },
): Promise<ShortfallPeriod | null> {
  checkPeriod(args.from, args.to, MAX_PERIOD_YEARS);
  const path = await resolveUnder(ctx, args.under);
  // Months that have not ended yet cannot be owed: the period stops today.
  const today = utcToday();
  const to = args.to.getTime() > today.getTime() ? today : args.to;
  if (to.getTime() < args.from.getTime()) return null;
  return { path, from: args.from, to };
}

/** A shortfall with its branch loaded for the selection the client asked for. */
export type Row = Shortfall & { organization: Organization };

/** Shortfalls with their branches, loaded in one statement for the selection the client asked for at `path`. */
export async function withOrganizations(
  ctx: Context,
  shortfalls: readonly Shortfall[],
  info: GraphQLResolveInfo,
  path: string[],
): Promise<Row[]> {
  if (shortfalls.length === 0) return [];
  const organizations = await ctx.db.organization.findMany({
    ...(await queryFromInfo({ context: ctx, info, typeName: 'Organization', path, awaitSelections: true })),
    where: { id: { in: [...new Set(shortfalls.map((s) => s.organizationId))] } },
  });
  const byId = new Map(organizations.map((o) => [o.id, o]));
  return shortfalls.map((s) => ({ ...s, organization: byId.get(s.organizationId)! }));
}

/** The `MeetingShortfall` type and `meetingShortfalls` (deprecated list); returns the type for the connection. */
export function registerMeetingShortfalls(builder: Builder, refs: { Kind: MeetingKindRef }) {
  const OrganizationRef = modelRef(builder, 'Organization');

  const Cadence = builder.enumType('MeetingCadence', {
    description: '开展频次 — how often a kind of meeting is due',
    values: {
      MONTHLY: { description: '每月 — every calendar month' },
      QUARTERLY: { description: '每季度 — every calendar quarter' },
    },
  });

  const ShortfallRef = builder.objectRef<Row>('MeetingShortfall').implement({
    description:
      '组织生活未达标 — a branch that held a kind of meeting in fewer months (or quarters) than the period requires. ' +
      'Only whole calendar months/quarters inside the period count, both for required and for held.',
    fields: (t) => ({
      organization: t.field({
        type: OrganizationRef,
        description: '党支部 — the branch (党支部 or 临时党支部)',
        resolve: (row) => row.organization,
      }),
      kind: t.field({ type: refs.Kind, description: '类别 — the kind of meeting', resolve: (row) => row.kind }),
      cadence: t.field({ type: Cadence, description: '频次 — monthly or quarterly', resolve: (row) => row.cadence }),
      required: t.exposeInt('required', {
        description:
          '应开展 — months (monthly kinds) or quarters (quarterly kinds) wholly inside the period; for 党小组会, times the number of groups',
      }),
      held: t.exposeInt('held', {
        description: '已开展 — of those months or quarters, how many had at least one such meeting (per group for 党小组会)',
      }),
      meetingCount: t.exposeInt('meetingCount', { description: '会议次数 — meetings of this kind held in those months or quarters' }),
    }),
  });

  builder.queryField('meetingShortfalls', (t) =>
    t.field({
      type: [ShortfallRef],
      deprecationReason:
        'Unpaged: a large subtree answers with tens of thousands of rows. Use `meetingShortfallConnection` (pages, totalCount, counts per kind).',
      description:
        '三会一课未达标 — branches in your subtree short of the required cadence in a period: 支部党员大会 and 党课 quarterly; ' +
        '支部委员会 monthly (where the branch has a committee); 党小组会 monthly from each 党小组 (where it has groups); 主题党日 monthly. ' +
        'One row per (branch, kind) short, branches by code.',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — check branches in this organization and below it (default: your own)' }),
        from: t.arg({ type: 'Date', required: true, description: '起始日期 — first day of the period' }),
        to: t.arg({ type: 'Date', required: true, description: '截止日期 — last day of the period; days after today are not counted' }),
      },
      resolve: async (_root, args, ctx, info) => {
        const period = await shortfallPeriod(ctx, args);
        if (!period) return [];
        const { rows } = await queryShortfalls(ctx, { ...period, after: null, limit: null });
        return withOrganizations(ctx, rows, info, ['organization']);
      },
    }),
  );
  return ShortfallRef;
}

/** The GraphQL object type of a shortfall. */
export type MeetingShortfallRef = ReturnType<typeof registerMeetingShortfalls>;

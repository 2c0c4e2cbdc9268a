import type { MemberStanding, MemberStatus, Prisma } from '@dangjian/db';
import { ON_ROLL } from './member-lifecycle-rules.ts';
import type { Builder } from '../builder.ts';
import { ownedByScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { requestLoader } from '../loaders.ts';
import { optionalText } from '../kit/validate/index.ts';
import { resolveUnder } from '../kit/under.ts';
import { decodeId } from './global-id.ts';
import type { MemberEnums } from './member.ts';
import { addMonths, unpaidMonths, windowMonths } from './member-rules.ts';
import { utcToday } from '../kit/dates.ts';

/** Default length of the dues window, in months: the current month and the two before it. */
export const DEFAULT_ARREARS_MONTHS = 3;
/** Longest dues window a query may ask for; every month is one condition of the SQL filter. */
export const MAX_ARREARS_MONTHS = 24;

/** Checks the length of a dues window. */
export function checkArrearsMonths(months: number, field: string): number {
  if (!Number.isInteger(months) || months < 1 || months > MAX_ARREARS_MONTHS) {
    throw new InputError(field, `must be between 1 and ${MAX_ARREARS_MONTHS}`);
  }
  return months;
}

/**
 * Members with (or, negated, without) an unpaid due month in the window, as a Prisma where — so the
 * filter, the page and totalCount are each one SQL statement, however many members there are. A month
 * is due when the member had joined by its end, and unpaid when no payment row names it.
 */
export function arrearsWhere(inArrears: boolean, months: number, today: Date = utcToday()): Prisma.MemberWhereInput {
  const unpaid: Prisma.MemberWhereInput = {
    // LIFECYCLE: members who left or died owe no dues (the one condition the member lifecycle adds here).
    standing: { in: [...ON_ROLL] },
    OR: windowMonths(today, months).map((month) => ({ joinedAt: { lt: addMonths(month, 1) }, dues: { none: { month } } })),
  };
  return inArrears ? unpaid : { NOT: unpaid };
}

interface MemberFilterInput {
  under?: string | number | null;
  organizationId?: string | number | null;
  status?: MemberStatus | null;
  search?: string | null;
  inArrears?: boolean | null;
  arrearsMonths?: number | null;
  standing?: MemberStanding[] | null;
  mobile?: boolean | null;
  lostContact?: boolean | null;
  retained?: boolean | null;
}

/** A yes/no situation filter on a nullable "since" column. */
const since = (column: 'mobileSince' | 'lostContactSince' | 'retainedSince', value: boolean | null | undefined): Prisma.MemberWhereInput =>
  value === true ? { [column]: { not: null } } : value === false ? { [column]: null } : {};

/** The `members` filter as a Prisma where, always inside the viewer's subtree. */
async function membersWhere(ctx: Context, filter: MemberFilterInput | null | undefined): Promise<Prisma.MemberWhereInput> {
  const f = filter ?? {};
  const months = checkArrearsMonths(f.arrearsMonths ?? DEFAULT_ARREARS_MONTHS, 'filter.arrearsMonths');
  const organizationId = f.organizationId ? decodeId('Organization', String(f.organizationId), 'filter.organizationId') : null;
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  const search = optionalText(f.search, 'filter.search', 'name');
  return {
    AND: [
      // `path` is the viewer's own or, from `under`, one checked to lie inside it.
      { organization: { path: { startsWith: path } } },
      organizationId ? { organizationId } : {},
      f.status ? { status: f.status } : {},
      // Members who left (出党, 取消预备党员资格) or died are out of the roster unless asked for.
      { standing: { in: f.standing?.length ? f.standing : [...ON_ROLL] } },
      since('mobileSince', f.mobile),
      since('lostContactSince', f.lostContact),
      since('retainedSince', f.retained),
      search ? { name: { contains: search, mode: 'insensitive' } } : {},
      f.inArrears === true || f.inArrears === false ? arrearsWhere(f.inArrears, months) : {},
    ],
  };
}

/** Paid months of many members inside the last `months` months, in one statement. */
async function loadPaidMonths(ctx: Context, memberIds: readonly string[], months: number): Promise<Date[][]> {
  const since = windowMonths(utcToday(), months)[0]!;
  const rows = await ctx.db.duesPayment.findMany({
    where: { memberId: { in: [...memberIds] }, month: { gte: since } },
    select: { memberId: true, month: true },
  });
  const byMember = new Map<string, Date[]>();
  for (const row of rows) byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), row.month]);
  return memberIds.map((id) => byMember.get(id) ?? []);
}

/** Queries of members: one by ID, the filtered list, and the arrears of each member. */
export function registerMemberQueries(builder: Builder, enums: MemberEnums): void {
  const Filter = builder.inputType('MemberFilter', {
    description: '党员筛选 — conditions on members (all must hold); always limited to your subtree',
    fields: (t) => ({
      under: t.id({ required: false, description: '党组织范围 — only memberships in this organization and everything below it' }),
      organizationId: t.id({ required: false, description: '所在党组织 — only memberships belonging directly to this organization' }),
      status: t.field({ type: enums.Status, required: false, description: '状态 — only probationary or only full members' }),
      search: t.string({ required: false, description: '搜索 — part of the name' }),
      inArrears: t.boolean({
        required: false,
        description:
          '欠缴党费 — true: only members with an unpaid month in the last `arrearsMonths` months; false: only members without one',
      }),
      arrearsMonths: t.int({
        required: false,
        defaultValue: DEFAULT_ARREARS_MONTHS,
        description: `欠缴统计月数 — length of the window \`inArrears\` looks at, the current month included (1–${MAX_ARREARS_MONTHS}, default ${DEFAULT_ARREARS_MONTHS})`,
      }),
      standing: t.field({
        type: [enums.Standing],
        required: false,
        description: '党籍状态 — any of these standings (default: ACTIVE and SUSPENDED; members who left or died only when asked for)',
      }),
      mobile: t.boolean({ required: false, description: '流动党员 — true: only mobile members; false: only members who are not' }),
      lostContact: t.boolean({
        required: false,
        description: '失联党员 — true: only members out of contact; false: only those in contact',
      }),
      retained: t.boolean({
        required: false,
        description: '保留党籍 — true: only members whose membership is retained; false: the others',
      }),
    }),
  });

  builder.prismaObjectField('Member', 'unpaidMonths', (t) =>
    t.stringList({
      description:
        '欠缴月份 — months (`YYYY-MM`, oldest first) of the last `months` months, the current one included, for which no dues were paid; months before joining are not owed',
      args: {
        months: t.arg.int({
          required: true,
          defaultValue: DEFAULT_ARREARS_MONTHS,
          description: `统计月数 — length of the window (1–${MAX_ARREARS_MONTHS})`,
        }),
      },
      select: { joinedAt: true },
      resolve: async (member, args, ctx) => {
        const months = checkArrearsMonths(args.months, 'months');
        const loader = requestLoader<string, Date[]>(ctx, `member.paidMonths.${months}`, (ids) => loadPaidMonths(ctx, ids, months));
        return unpaidMonths(member.joinedAt, await loader.load(member.id), utcToday(), months);
      },
    }),
  );

  builder.queryField('member', (t) =>
    t.prismaField({
      type: 'Member',
      nullable: true,
      description: '党员 — one member by global ID; null when it does not exist or its membership lies outside your subtree',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '全局 ID — global ID of the member' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.member.findFirst({ ...query, where: { id: decodeId('Member', String(args.id), 'id'), ...ownedByScope(ctx) } }),
    }),
  );

  builder.queryField('members', (t) =>
    t.prismaConnection(
      {
        type: 'Member',
        cursor: 'id',
        description: '党员列表 — members whose membership lies in your subtree, by name',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件 — filter' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.member.findMany({ ...query, where: await membersWhere(ctx, args.filter), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        totalCount: async (_root, args, ctx) => {
          const f = args.filter ?? {};
          const everyone = !f.organizationId && !f.status && !optionalText(f.search, 'filter.search', 'name') && f.inArrears == null;
          if (!everyone) return ctx.db.member.count({ where: await membersWhere(ctx, args.filter) });
          // Every member of a subtree: its top organization's rollup (kept by database triggers in each
          // writing transaction) answers in one row, where counting would join the whole subtree.
          checkArrearsMonths(f.arrearsMonths ?? DEFAULT_ARREARS_MONTHS, 'filter.arrearsMonths');
          const path = await resolveUnder(ctx, f.under, 'filter.under');
          const top = await ctx.db.organization.findFirst({ where: { path }, select: { subtreeMemberCount: true } });
          return top?.subtreeMemberCount ?? 0;
        },
      },
      { description: '党员列表分页 — a page of members' },
      { description: '党员 — one member with its cursor' },
    ),
  );
}

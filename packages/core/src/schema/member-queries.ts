import type { MemberStanding, MemberStatus, Prisma } from '@dangjian/db';
import { ON_ROLL } from './member-lifecycle-rules.ts';
import type { Builder } from '../builder.ts';
import { ownedByScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { optionalText } from '../kit/validate/index.ts';
import { resolveUnder } from '../kit/under.ts';
import { decodeId } from './global-id.ts';
import type { MemberEnums } from './member.ts';
import { addMonths, formatMonth, monthStart } from './member-rules.ts';
import { utcToday } from '../kit/dates.ts';
import { DEFAULT_DUES_SETTINGS, departmentOf, duesSettingsOf } from '../dues/data.ts';
import { duesSettingsLoader, settledMonthsLoader } from '../dues/loaders.ts';
import { dueWindow } from '../dues/statement.ts';

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
 * Members with (or, negated, without) an owed month in the window, as a Prisma where — so the filter,
 * the page and totalCount are each one SQL statement, however many members there are. The window is the
 * last `months` months that are due (past the department's due day: on 4 December with the default
 * month-end due date, December is not yet owed). A month is owed when the member had joined by its end
 * and it lies in an unsettled run (unpaid, or paid below its standard: see DuesUnsettledRun).
 */
export function arrearsWhere(inArrears: boolean, months: number, dueDay: number | null, today: Date = utcToday()): Prisma.MemberWhereInput {
  const window = dueWindow(today, dueDay, months);
  // Runs start no earlier than the joining month, so "joined by then" needs no condition of its own. The
  // index (toMonth, fromMonth) leaves out old gaps (ended before the window) and the paid-up (open run
  // starting after it).
  const owed: Prisma.MemberWhereInput = {
    // LIFECYCLE: members who left or died owe no dues (the one condition the member lifecycle adds here;
    // arrearsOnlyCount holds it too).
    standing: { in: [...ON_ROLL] },
    duesRuns: { some: { fromMonth: { lte: window[window.length - 1]! }, OR: [{ toMonth: null }, { toMonth: { gte: window[0]! } }] } },
  };
  return inArrears ? owed : { NOT: owed };
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
      f.inArrears === true || f.inArrears === false ? arrearsWhere(f.inArrears, months, (await duesSettingsOf(ctx.db, path)).dueDay) : {},
    ],
  };
}

/** True when the filter asks for the roster's default: members on the roll, whatever their situation. */
function onlyOnRoll(f: MemberFilterInput): boolean {
  const standing = f.standing?.length ? new Set(f.standing) : null;
  const defaultStanding = !standing || (standing.size === ON_ROLL.length && ON_ROLL.every((s) => standing.has(s)));
  return defaultStanding && f.mobile == null && f.lostContact == null && f.retained == null;
}

/**
 * The count of a subtree's members in arrears read from the dues rollups alone, when the filter asks
 * nothing else: the committee-wide arrears screen sums a few rows (bench scenarios 3 and 7a). Null when
 * the filter has other conditions — then the general count runs. A condition added to `arrearsWhere`
 * (e.g. members who left) must be added here too.
 *
 * Each member has one open run (toMonth null, from the month after the last settled one) carrying the
 * member's latest closed run (gapFrom–gapTo): it owes a month of the window when the open run began by the
 * window's last month, or when that gap began by then and ends in or after the window's first. Members on
 * the roll are counted per (fromMonth, gapFrom, gapTo) for every organization above them
 * (DuesArrearsRollup, kept by triggers in each writing transaction; "no gap" is 0001-01-01, before any
 * window), so that test is a sum over the subtree top's rows. Only where the latest gap lies wholly after
 * the window (paid ahead with a gap, rare) are the member's closed runs read, by index.
 */
async function arrearsOnlyCount(ctx: Context, filter: MemberFilterInput | null | undefined): Promise<number | null> {
  const f = filter ?? {};
  if (f.inArrears !== true || f.organizationId || f.status || f.search || !onlyOnRoll(f)) return null;
  const months = checkArrearsMonths(f.arrearsMonths ?? DEFAULT_ARREARS_MONTHS, 'filter.arrearsMonths');
  const path = await resolveUnder(ctx, f.under, 'filter.under');
  const window = dueWindow(utcToday(), (await duesSettingsOf(ctx.db, path)).dueDay, months);
  const first = window[0]!;
  const last = window[window.length - 1]!;
  // The subtree's top organization: the last id of its path `/rootId/…/id/`.
  const top = path.split('/').filter(Boolean).at(-1) ?? '';
  // LIFECYCLE: as in arrearsWhere, members who left or died owe no dues ("onRoll", in the rollup and below).
  const [row] = await ctx.db.$queryRaw<{ count: number }[]>`
    SELECT ((SELECT coalesce(sum(a.members), 0) FROM "DuesArrearsRollup" a
              WHERE a."organizationId" = ${top}
                AND (a."fromMonth" <= ${last}::date OR (a."gapFrom" <= ${last}::date AND a."gapTo" >= ${first}::date)))
          + (SELECT count(*) FROM "DuesUnsettledRun" r
              WHERE r."toMonth" IS NULL AND r."onRoll" AND r."gapFrom" > ${last}::date AND r."fromMonth" > ${last}::date
                AND r.path LIKE ${`${path}%`}
                AND EXISTS (SELECT 1 FROM "DuesUnsettledRun" c
                             WHERE c."memberId" = r."memberId" AND c."toMonth" IS NOT NULL
                               AND c."fromMonth" <= ${last}::date AND c."toMonth" >= ${first}::date)))::int AS count`;
  return row?.count ?? 0;
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
          '欠缴党费 — true: only members with an owed month (unpaid, or paid below its standard) among the last `arrearsMonths` due months; false: only members without one',
      }),
      arrearsMonths: t.int({
        required: false,
        defaultValue: DEFAULT_ARREARS_MONTHS,
        description: `欠缴统计月数 — length of the window \`inArrears\` looks at, in due months: the current month counts once its due day has passed (1–${MAX_ARREARS_MONTHS}, default ${DEFAULT_ARREARS_MONTHS})`,
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
        '欠缴月份 — months (`YYYY-MM`, oldest first) of the last `months` due months (the current month only once its due day has passed) not paid in full — unpaid, or paid below the standard; months before joining are not owed',
      args: {
        months: t.arg.int({
          required: true,
          defaultValue: DEFAULT_ARREARS_MONTHS,
          description: `统计月数 — length of the window (1–${MAX_ARREARS_MONTHS})`,
        }),
      },
      select: { joinedAt: true, organization: { select: { path: true } } },
      resolve: async (member, args, ctx) => {
        const months = checkArrearsMonths(args.months, 'months');
        // Month states answer "settled?" without the bases and payments: two statements for a page.
        const department = departmentOf(member.organization.path);
        const { dueDay } = department ? await duesSettingsLoader(ctx).load(department) : DEFAULT_DUES_SETTINGS;
        const window = dueWindow(utcToday(), dueDay, months);
        const earliest = addMonths(monthStart(utcToday()), -MAX_ARREARS_MONTHS);
        const settled = await settledMonthsLoader(ctx, earliest).load(member.id);
        const joined = monthStart(member.joinedAt).getTime();
        return window.filter((m) => m.getTime() >= joined && !settled.has(m.getTime())).map(formatMonth);
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
          const arrears = await arrearsOnlyCount(ctx, args.filter);
          if (arrears !== null) return arrears;
          const f = args.filter ?? {};
          const everyone =
            !f.organizationId && !f.status && !optionalText(f.search, 'filter.search', 'name') && f.inArrears == null && onlyOnRoll(f);
          if (!everyone) return ctx.db.member.count({ where: await membersWhere(ctx, args.filter) });
          // Every member on the roll of a subtree: its top organization's rollup (kept by database triggers
          // in each writing transaction) answers in one row, where counting would join the whole subtree.
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

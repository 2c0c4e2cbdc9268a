import {
  activityDetails,
  type ActivityEvent,
  activitySubscription,
  type Builder,
  type Context,
  createPluginApi,
  hasRole,
  isoDate,
  loadOrganization,
  modelRef,
  type PubSub,
  requireViewer,
  resolveUnder,
  scopePath,
  systemContext,
  utcToday,
} from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';
import { ADMIN_OR_DISCIPLINE, INSPECTION_READERS, visibleInspectionWhere } from './access.ts';
import type { Deps } from './deps.ts';
import { EVENTS } from './events.ts';
import { onTimeRate } from './rectification-rules.ts';

interface BoardCounts {
  total: number;
  open: number;
  submitted: number;
  overdue: number;
  accepted: number;
  acceptedOnTime: number;
}

interface OrganizationRow extends BoardCounts {
  organizationId: string;
}

interface Board {
  totals: BoardCounts;
  organizations: OrganizationRow[];
}

const EMPTY: BoardCounts = { total: 0, open: 0, submitted: 0, overdue: 0, accepted: 0, acceptedOnTime: 0 };

/** Counts per inspected organization of a subtree, in one grouped statement. */
async function boardRows(ctx: Context, path: string, now: Date): Promise<OrganizationRow[]> {
  const today = isoDate(utcToday(now));
  return ctx.db.$queryRaw<OrganizationRow[]>`
    SELECT i."inspectedOrganizationId" AS "organizationId",
           count(*)::int AS total,
           (count(*) FILTER (WHERE r.status::text IN ('OPEN', 'REOPENED')))::int AS open,
           (count(*) FILTER (WHERE r.status::text = 'SUBMITTED'))::int AS submitted,
           (count(*) FILTER (WHERE r.status::text <> 'ACCEPTED' AND r.deadline < ${today}::date))::int AS overdue,
           (count(*) FILTER (WHERE r.status::text = 'ACCEPTED'))::int AS accepted,
           (count(*) FILTER (WHERE r.status::text = 'ACCEPTED' AND r."acceptedAt"::date <= r.deadline))::int AS "acceptedOnTime"
      FROM "DisciplineRectification" r
      JOIN "DisciplineInspectionProblem" p ON p.id = r."problemId"
      JOIN "DisciplineInspection" i ON i.id = p."inspectionId"
      JOIN "Organization" o ON o.id = i."inspectedOrganizationId"
     WHERE o.path LIKE ${`${path}%`}
     GROUP BY i."inspectedOrganizationId"
     ORDER BY i."inspectedOrganizationId"`;
}

const schedulerApi = createPluginApi('discipline', EVENTS);

/**
 * Raises `discipline.rectificationOverdue` once for every item whose deadline day has passed without
 * acceptance (under `path`, or everywhere). Each item is claimed by setting `overdueNotifiedAt` in one
 * conditional UPDATE, so two checks running at once raise it once between them; the claim and the
 * activities commit together. Returns how many items it raised.
 */
async function raiseOverdue(ctx: Context, api: Deps['api'], now: Date, path: string | null): Promise<number> {
  return api.transact(ctx, async (tx, publish) => {
    const orgIds =
      path === null
        ? null
        : (await tx.organization.findMany({ where: { path: { startsWith: path } }, select: { id: true } })).map((o) => o.id);
    const claimed = await tx.disciplineRectification.updateManyAndReturn({
      where: {
        status: { not: 'ACCEPTED' },
        deadline: { lt: utcToday(now) },
        overdueNotifiedAt: null,
        ...(orgIds ? { problem: { inspection: { inspectedOrganizationId: { in: orgIds } } } } : {}),
      },
      data: { overdueNotifiedAt: now },
      select: { id: true, measure: true, deadline: true, problemId: true },
    });
    if (claimed.length === 0) return 0;
    const problems = await tx.disciplineInspectionProblem.findMany({
      where: { id: { in: [...new Set(claimed.map((c) => c.problemId))] } },
      select: { id: true, inspection: { select: { inspectedOrganizationId: true } } },
    });
    const orgOfProblem = new Map(problems.map((p) => [p.id, p.inspection.inspectedOrganizationId]));
    const orgs = await tx.organization.findMany({
      where: { id: { in: [...new Set(orgOfProblem.values())] } },
      select: { id: true, path: true, name: true },
    });
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    for (const item of claimed) {
      const org = orgById.get(orgOfProblem.get(item.problemId)!)!;
      const deadline = isoDate(item.deadline);
      await publish('discipline.rectificationOverdue', {
        organization: { id: org.id, path: org.path },
        subjectType: 'Rectification',
        subjectId: item.id,
        summary: `${org.name}整改事项逾期未完成（时限${deadline}）：${item.measure}`,
        data: { deadline, problemId: item.problemId },
      });
    }
    return claimed.length;
  });
}

/**
 * The scheduled overdue check, for a deployment's timer (cron, a worker): raises
 * `discipline.rectificationOverdue` once per overdue item. Pass the server's event bus so open
 * subscriptions hear of it; `under` (an organization path) limits it to a subtree.
 */
export function raiseOverdueRectifications(
  db: PrismaClient,
  now: Date = new Date(),
  options: { pubsub?: PubSub; under?: string } = {},
): Promise<number> {
  return raiseOverdue(systemContext(db, options.pubsub), schedulerApi, now, options.under ?? null);
}

/** The rectification board, `checkOverdueRectifications` and the `rectificationOverdue` subscription. */
export function registerRectificationBoard(builder: Builder, { api }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');

  const Counts = builder.objectRef<BoardCounts>('RectificationCounts').implement({
    description: '整改统计 — rectification items counted by where they stand',
    fields: (t) => ({
      total: t.exposeInt('total', { description: '整改事项 — all items' }),
      open: t.exposeInt('open', { description: '整改中 — items OPEN or REOPENED' }),
      submitted: t.exposeInt('submitted', { description: '待验收 — items SUBMITTED, awaiting review' }),
      overdue: t.exposeInt('overdue', { description: '逾期 — items not accepted whose deadline day has passed' }),
      accepted: t.exposeInt('accepted', { description: '已验收 — items ACCEPTED' }),
      acceptedOnTime: t.exposeInt('acceptedOnTime', { description: '按期验收 — items accepted on or before their deadline day' }),
      onTimeRate: t.float({
        nullable: true,
        description: '按期整改率 — accepted on time ÷ (accepted + overdue), 0 to 1 to four places; null while nothing is due',
        resolve: (row) => onTimeRate(row.acceptedOnTime, row.accepted, row.overdue),
      }),
    }),
  });

  const OrgRow = builder.objectRef<OrganizationRow>('RectificationBoardRow').implement({
    description: '整改台账行 — the rectification figures of one inspected organization',
    fields: (t) => ({
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '被督查党组织 — the organization',
        resolve: (query, row, _args, ctx) => loadOrganization(ctx, row.organizationId, query),
      }),
      counts: t.field({ type: Counts, description: '整改统计 — its figures', resolve: (row) => row }),
    }),
  });

  const BoardRef = builder.objectRef<Board>('RectificationBoard').implement({
    description: '整改台账 — rectification items of a subtree: open, overdue, accepted and the on-time rate',
    fields: (t) => ({
      totals: t.field({ type: Counts, description: '合计 — figures of the whole subtree', resolve: (b) => b.totals }),
      organizations: t.field({
        type: [OrgRow],
        description: '分单位 — the figures per inspected organization that has items',
        resolve: (b) => b.organizations,
      }),
    }),
  });

  builder.queryField('rectificationBoard', (t) =>
    t.field({
      type: BoardRef,
      description:
        '整改台账 — rectification figures of inspections in a subtree (ADMIN, SECRETARY, DISCIPLINE or AUDITOR; zeros for anyone else)',
      authScopes: { authenticated: true },
      args: { under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }) },
      resolve: async (_root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const path = await resolveUnder(ctx, args.under);
        const organizations = hasRole(viewer, ...INSPECTION_READERS) ? await boardRows(ctx, path, new Date()) : [];
        const totals = { ...EMPTY };
        for (const row of organizations) for (const key of Object.keys(EMPTY) as (keyof BoardCounts)[]) totals[key] += row[key];
        return { totals, organizations };
      },
    }),
  );

  builder.mutationField('checkOverdueRectifications', (t) =>
    t.int({
      description:
        '逾期检查 — run the overdue check for your subtree now (ADMIN or DISCIPLINE): raises `discipline.rectificationOverdue` once per newly overdue item and returns how many',
      authScopes: ADMIN_OR_DISCIPLINE,
      resolve: (_root, _args, ctx) => raiseOverdue(ctx, api, new Date(), scopePath(requireViewer(ctx))),
    }),
  );

  builder.subscriptionField('rectificationOverdue', (t) =>
    t.prismaField({
      type: 'DisciplineRectification',
      description: '整改逾期 — streams rectification items of a subtree as the overdue check finds them overdue',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — watch this organization and everything below it (default: your own)' }),
      },
      subscribe: (_root, args, ctx) =>
        activitySubscription(ctx, {
          kinds: ['discipline.rectificationOverdue'],
          under: args.under,
          // Only items of inspections this viewer may read are streamed.
          refine: async (event) => {
            const subjectId = (await activityDetails(ctx, event))?.subjectId;
            if (!subjectId) return false;
            return (
              (await ctx.db.disciplineRectification.count({
                where: { id: subjectId, problem: { inspection: await visibleInspectionWhere(ctx) } },
              })) > 0
            );
          },
        }),
      resolve: async (query, event, _args, ctx) => {
        const { subjectId } = (await activityDetails(ctx, event as unknown as ActivityEvent))!;
        return ctx.db.disciplineRectification.findUniqueOrThrow({ ...query, where: { id: subjectId! } });
      },
    }),
  );
}

import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { Prisma } from '@dangjian/db';
import { decodeId } from './global-id.ts';
import { readShared } from '../activity/shared-read.ts';
import { activitiesWhere, activitySubscription } from '../kit/subscription.ts';
import { resolveUnder } from '../kit/under.ts';

/**
 * Fields whose value depends only on the activity row: a subscription that selects nothing else is executed
 * once per event for all its subscribers (the server's shared subscription events), not once per subscriber.
 */
const sameForEveryone = { viewerIndependent: true } as const;

/** The feed's where for this viewer (see `activitiesWhere`), with `under` resolved. */
async function feedWhere(
  ctx: Context,
  args: { under?: string | number | null; kinds?: readonly string[] | null; since?: Date | null },
): Promise<Prisma.ActivityWhereInput> {
  return activitiesWhere(ctx, await resolveUnder(ctx, args.under), args);
}

/** 动态 (Activity): the feed entry type, its list query and its subscription. */
export function registerActivity(builder: Builder): void {
  builder.prismaNode('Activity', {
    description: '动态 — something that happened on an organization (a transfer, a meeting, a brand approved …)',
    id: { field: 'id', extensions: sameForEveryone },
    // `node(id:)` answers only what the feed would show this viewer: subtree, enabled plugins, roles.
    findUnique: async (id, ctx) => ({ id, AND: [await feedWhere(ctx, {})] }),
    nullable: true,
    fields: (t) => ({
      kind: t.exposeString('kind', { extensions: sameForEveryone, description: '类别 — `<area>.<event>`, e.g. `member.transferred`' }),
      summary: t.exposeString('summary', { extensions: sameForEveryone, description: '摘要 — one line for a feed' }),
      actorId: t.exposeString('actorId', {
        extensions: sameForEveryone,
        nullable: true,
        description: '操作人 — user id of who did it (null for the system)',
      }),
      subjectType: t.exposeString('subjectType', {
        extensions: sameForEveryone,
        nullable: true,
        description: '对象类型 — GraphQL type of the thing it is about',
      }),
      subjectId: t.string({
        nullable: true,
        extensions: sameForEveryone,
        description: '对象 ID — global ID of the thing it is about',
        resolve: (a) => (a.subjectType && a.subjectId ? Buffer.from(`${a.subjectType}:${a.subjectId}`).toString('base64') : null),
      }),
      data: t.expose('data', {
        extensions: sameForEveryone,
        type: 'JSON',
        nullable: true,
        description: '详情 — structured details of the change',
      }),
      createdAt: t.expose('createdAt', { extensions: sameForEveryone, type: 'DateTime', description: '时间 — when it happened' }),
      organization: t.relation('organization', { nullable: true, description: '党组织 — where it happened (null once dissolved)' }),
    }),
  });

  builder.queryField('activities', (t) =>
    t.prismaConnection({
      type: 'Activity',
      cursor: 'id',
      description: '动态列表 — activities in an organization and its subtree, newest first',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({
          required: false,
          description: '党组织 — limit to this organization and everything below it (default: your own)',
        }),
        kinds: t.arg.stringList({ required: false, description: '类别 — only these kinds' }),
        since: t.arg({ type: 'DateTime', required: false, description: '起始时间 — only activities after this instant' }),
      },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.activity.findMany({ ...query, where: await feedWhere(ctx, args), orderBy: { id: 'desc' } }),
      totalCount: async (_root, args, ctx) => ctx.db.activity.count({ where: await feedWhere(ctx, args) }),
    }),
  );

  builder.subscriptionField('activityAdded', (t) =>
    t.prismaField({
      type: 'Activity',
      description: '新动态 — streams activities of an organization and its subtree as they happen',
      authScopes: { authenticated: true },
      // Which events reach a subscriber is decided in `subscribe`; resolving one reads the row for everyone alike.
      extensions: sameForEveryone,
      args: {
        under: t.arg.id({ required: false, description: '党组织 — watch this organization and everything below it (default: your own)' }),
        after: t.arg.id({
          required: false,
          description:
            '续传 — the ID of the last activity you received: first what you missed since then (from the feed), then new activities as they happen, none twice',
        }),
      },
      // The stream itself, not a generator around it: a return() must reach it while it waits.
      subscribe: (_root, args, ctx) => activitySubscription(ctx, { under: args.under, after: args.after }),
      resolve: (query, event, _args, ctx) => {
        const id = (event as unknown as { id: string }).id;
        return readShared(`activity:${id}:${JSON.stringify(query)}`, () => ctx.db.activity.findUniqueOrThrow({ ...query, where: { id } }));
      },
    }),
  );
}

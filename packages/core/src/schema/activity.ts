import type { Builder } from '../builder.ts';
import { organizationScope, requireViewer } from '../auth/subtree.ts';
import { NotFoundError } from '../errors/errors.ts';
import type { Context } from '../context.ts';
import { decodeId } from './global-id.ts';

/** Resolves the `under` argument to an organization path inside the viewer's subtree. */
export async function resolveUnder(ctx: Context, under: string | null | undefined, field = 'under'): Promise<string> {
  const viewer = requireViewer(ctx);
  if (!under) return viewer.organizationPath;
  const id = decodeId('Organization', under, field);
  const org = await ctx.db.organization.findFirst({ where: { id, ...organizationScope(ctx) }, select: { path: true } });
  if (!org) throw new NotFoundError('Organization', under);
  return org.path;
}

/** 动态 (Activity): the feed entry type, its list query and its subscription. */
export function registerActivity(builder: Builder): void {
  builder.prismaNode('Activity', {
    description: '动态 — something that happened on an organization (a transfer, a meeting, a brand approved …)',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, path: { startsWith: requireViewer(ctx).organizationPath } }),
    nullable: true,
    fields: (t) => ({
      kind: t.exposeString('kind', { description: '类别 — `<area>.<event>`, e.g. `member.transferred`' }),
      summary: t.exposeString('summary', { description: '摘要 — one line for a feed' }),
      actorId: t.exposeString('actorId', { nullable: true, description: '操作人 — user id of who did it (null for the system)' }),
      subjectType: t.exposeString('subjectType', { nullable: true, description: '对象类型 — GraphQL type of the thing it is about' }),
      subjectId: t.string({
        nullable: true,
        description: '对象 ID — global ID of the thing it is about',
        resolve: (a) => (a.subjectType && a.subjectId ? Buffer.from(`${a.subjectType}:${a.subjectId}`).toString('base64') : null),
      }),
      data: t.expose('data', { type: 'JSON', nullable: true, description: '详情 — structured details of the change' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '时间 — when it happened' }),
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
        under: t.arg.id({ required: false, description: '党组织 — limit to this organization and everything below it (default: your own)' }),
        kinds: t.arg.stringList({ required: false, description: '类别 — only these kinds' }),
        since: t.arg({ type: 'DateTime', required: false, description: '起始时间 — only activities after this instant' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const path = await resolveUnder(ctx, args.under);
        return ctx.db.activity.findMany({
          ...query,
          where: {
            path: { startsWith: path },
            ...(args.kinds?.length ? { kind: { in: args.kinds } } : {}),
            ...(args.since ? { createdAt: { gt: args.since } } : {}),
          },
          orderBy: { id: 'desc' },
        });
      },
    }),
  );

  builder.subscriptionField('activityAdded', (t) =>
    t.prismaField({
      type: 'Activity',
      description: '新动态 — streams activities of an organization and its subtree as they happen',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — watch this organization and everything below it (default: your own)' }),
      },
      subscribe: async function* (_root, args, ctx) {
        const path = await resolveUnder(ctx, args.under);
        for await (const event of ctx.pubsub.subscribe('activity:added')) {
          if (event.path.startsWith(path)) yield event;
        }
      },
      resolve: (query, event, _args, ctx) =>
        ctx.db.activity.findUniqueOrThrow({ ...query, where: { id: (event as unknown as { id: string }).id } }),
    }),
  );
}

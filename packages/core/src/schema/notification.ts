import { filter } from '@graphql-yoga/subscription';
import type { Prisma } from '@dangjian/db';
import type { NotificationEvent } from '../activity/pubsub.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { decodeId } from './global-id.ts';

/** Most ids one `markNotificationsRead` may name. */
const MAX_MARK_IDS = 100;

/** Notifications addressed to the viewer: a role of theirs at the organization they act for, or them. */
export function addressedTo(viewer: Viewer): Prisma.NotificationWhereInput {
  return { OR: [{ organizationId: viewer.organizationId, role: { in: [...viewer.roles] } }, { userId: viewer.userId }] };
}

/** The same test for a published event, so a process decides without reading the row. */
function isAddressedTo(event: NotificationEvent, viewer: Viewer): boolean {
  if (event.userId !== null) return event.userId === viewer.userId;
  return event.organizationId === viewer.organizationId && event.role !== null && (viewer.roles as readonly string[]).includes(event.role);
}

const unreadBy = (viewer: Viewer): Prisma.NotificationWhereInput => ({ reads: { none: { userId: viewer.userId } } });

function unreadCount(ctx: Context): Promise<number> {
  const viewer = requireViewer(ctx);
  return ctx.db.notification.count({ where: { AND: [addressedTo(viewer), unreadBy(viewer)] } });
}

/** 通知 (Notification): the inbox connection, marking read, and the live subscription. */
export function registerNotification(builder: Builder): void {
  builder.prismaNode('Notification', {
    description:
      '通知 — a reminder or message addressed to a role at your organization or to you; never repeated for the same subject and threshold',
    id: { field: 'id' },
    // `node(id:)` answers only a notification addressed to the viewer.
    findUnique: (id, ctx) => ({ id, AND: [addressedTo(requireViewer(ctx))] }),
    nullable: true,
    fields: (t) => ({
      kind: t.exposeString('kind', {
        description: '类别 — the rule that produced it, e.g. `core.termEnding`, `discipline.rectificationDue`',
      }),
      title: t.exposeString('title', { description: '标题 — one line' }),
      body: t.exposeString('body', { description: '内容 — the message' }),
      role: t.exposeString('role', {
        nullable: true,
        description: '收件角色 — the role at your organization it is addressed to (null when addressed to you by user id)',
      }),
      subjectId: t.string({
        nullable: true,
        description: '对象 ID — global ID of what it is about (an organization, a member, a rectification …), for `node(id:)`',
        resolve: (n) => (n.subjectType && n.subjectId ? Buffer.from(`${n.subjectType}:${n.subjectId}`).toString('base64') : null),
      }),
      read: t.boolean({
        description: '已读 — whether you have marked it read (read state is per user)',
        select: (_args, ctx) => ({ reads: { where: { userId: ctx.viewer?.userId ?? '' }, select: { userId: true } } }),
        resolve: (n) => n.reads.length > 0,
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '时间 — when it was written' }),
    }),
  });

  builder.queryField('notifications', (t) =>
    t.prismaConnection(
      {
        type: 'Notification',
        cursor: 'id',
        description: '通知 — your inbox: notifications addressed to one of your roles at your organization, or to you; newest first',
        authScopes: { authenticated: true },
        args: {
          unreadOnly: t.arg.boolean({ required: false, defaultValue: false, description: '仅未读 — only those you have not marked read' }),
        },
        resolve: (query, _root, args, ctx) => {
          const viewer = requireViewer(ctx);
          return ctx.db.notification.findMany({
            ...query,
            where: { AND: [addressedTo(viewer), args.unreadOnly ? unreadBy(viewer) : {}] },
            orderBy: { id: 'desc' },
          });
        },
      },
      {
        fields: (c) => ({
          unreadCount: c.int({
            description: '未读数 — how many notifications addressed to you are unread (whatever the page)',
            resolve: (_connection, _args, ctx) => unreadCount(ctx),
          }),
        }),
      },
    ),
  );

  builder.mutationField('markNotificationsRead', (t) =>
    t.int({
      description:
        '标为已读 — mark notifications read for you (name them in `ids`, or `all: true`); answers how many were unread. ' +
        'Read state is yours alone: others addressed by the same role keep theirs.',
      authScopes: { authenticated: true },
      args: {
        ids: t.arg.idList({ required: false, description: '通知 — global IDs of notifications addressed to you (at most 100)' }),
        all: t.arg.boolean({ required: false, description: '全部 — every notification addressed to you' }),
      },
      resolve: async (_root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const all = args.all === true;
        if (all === (args.ids != null)) throw new InputError(all ? 'ids' : 'all', 'give either `ids` or `all: true`');
        const ids = (args.ids ?? []).map((id, i) => decodeId('Notification', String(id), `ids[${i}]`));
        if (ids.length > MAX_MARK_IDS) throw new InputError('ids', `must name at most ${MAX_MARK_IDS} notifications`);
        if (!all && ids.length === 0) return 0;
        // One statement: only notifications addressed to the viewer, only those not yet read by them.
        const unread = await ctx.db.notification.findMany({
          where: { AND: [addressedTo(viewer), unreadBy(viewer), all ? {} : { id: { in: ids } }] },
          select: { id: true },
        });
        if (unread.length === 0) return 0;
        const marked = await ctx.db.notificationRead.createMany({
          data: unread.map((n) => ({ notificationId: n.id, userId: viewer.userId })),
          skipDuplicates: true,
        });
        return marked.count;
      },
    }),
  );

  builder.subscriptionField('notificationAdded', (t) =>
    t.prismaField({
      type: 'Notification',
      description:
        '新通知 — notifications addressed to you (a role of yours at your organization, or you) as they are written, from any server process',
      authScopes: { authenticated: true },
      subscribe: (_root, _args, ctx) => {
        const viewer = requireViewer(ctx);
        return filter((event: NotificationEvent) => isAddressedTo(event, viewer))(ctx.pubsub.subscribe('notification:added'));
      },
      resolve: (query, event, _args, ctx) =>
        ctx.db.notification.findUniqueOrThrow({ ...query, where: { id: (event as unknown as NotificationEvent).id } }),
    }),
  );
}

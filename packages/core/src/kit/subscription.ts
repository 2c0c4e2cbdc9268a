import type { Prisma } from '@dangjian/db';
import { requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import type { ActivityEvent } from '../activity/pubsub.ts';
import { activityStream, openOnFirstRead } from '../activity/stream.ts';
import { mayViewKind, rootOf } from '../plugin/access.ts';
import { decodeId } from '../schema/global-id.ts';
import { resolveUnder } from './under.ts';

/**
 * The feed's where for this viewer: the subtree at `path`, the requested kinds and time, minus
 * activities of plugins not enabled for the viewer's department and kinds the viewer's roles may not
 * see — all in SQL, so pages and counts stay exact.
 */
export async function activitiesWhere(
  ctx: Context,
  path: string,
  args: { kinds?: readonly string[] | null; since?: Date | null } = {},
): Promise<Prisma.ActivityWhereInput> {
  const viewer = requireViewer(ctx);
  const enabled = await ctx.plugins.enabledFor(rootOf(viewer));
  const hiddenPlugins = [...ctx.plugins.loaded].filter((id) => !enabled.has(id));
  const kinds = args.kinds?.length ? args.kinds : null;
  const restricted = [...new Set([...ctx.plugins.restrictedKinds, ...(kinds ?? [])])].filter(
    (k) => !mayViewKind(ctx.plugins, enabled, viewer, k),
  );
  return {
    AND: [
      { path: { startsWith: path } },
      kinds ? { kind: { in: [...kinds] } } : {},
      args.since ? { createdAt: { gt: args.since } } : {},
      restricted.length ? { kind: { notIn: restricted } } : {},
      ...hiddenPlugins.map((id) => ({ NOT: { kind: { startsWith: `${id}.` } } })),
    ],
  };
}

/** What `activitySubscription` streams. */
export interface ActivitySubscriptionOptions {
  /** Only activities of these kinds (all kinds when absent). */
  kinds?: readonly string[];
  /** The `under` argument: an organization's global id in the viewer's subtree (default: the viewer's own). */
  under?: string | number | null;
  /** The `after` argument: an activity's global id; committed activities after it are replayed first. */
  after?: string | number | null;
  /**
   * A further per-event check SQL cannot express (e.g. "the viewer may read this clue"), applied to live
   * and replayed activities alike; `path` is the subtree `under` resolved to.
   */
  refine?: (event: ActivityEvent, path: string) => boolean | Promise<boolean>;
}

/**
 * Activities as a subscription's event stream: of the given kinds, in the viewer's subtree (or under
 * `under`), of plugins enabled for the viewer's department — read per event, so a plugin disabled while
 * the subscription is open stops it — and of kinds the viewer's roles may see (`eventRoles`). It is the
 * stream of `activityAdded`, so it also catches up from the table after the event bus lost events.
 *
 * Return it from a subscription field's `subscribe`; the field's `resolve` receives each activity event
 * (`{ id, kind, organizationId, path, createdAt }`). Checks (authentication, `under`) fail the first read.
 */
export function activitySubscription(ctx: Context, options: ActivitySubscriptionOptions = {}): AsyncIterableIterator<ActivityEvent> {
  const kinds = options.kinds ? new Set(options.kinds) : null;
  return openOnFirstRead(async () => {
    const viewer = requireViewer(ctx);
    const path = await resolveUnder(ctx, options.under);
    const after = options.after ? decodeId('Activity', String(options.after), 'after') : null;
    const refine = options.refine;
    return activityStream(ctx, {
      after,
      where: () => activitiesWhere(ctx, path, { kinds: options.kinds }),
      accept: (event) => {
        if ((kinds && !kinds.has(event.kind)) || !event.path.startsWith(path)) return false;
        // Enablement is read per event: a plugin disabled while this subscription is open stops here.
        const root = rootOf(viewer);
        const enabled = ctx.plugins.enabledNow?.(root);
        if (enabled) return mayViewKind(ctx.plugins, enabled, viewer, event.kind);
        return ctx.plugins.enabledFor(root).then((loaded) => mayViewKind(ctx.plugins, loaded, viewer, event.kind));
      },
      refine: refine && ((event) => refine(event, path)),
    });
  });
}

/** What an activity was written with beyond its event: the thing it is about and its details. */
export interface ActivityDetails {
  subjectId: string | null;
  data: Prisma.JsonValue | null;
}

/**
 * The subject id and data of a streamed activity (null if the row is gone), from which a subscription's
 * `refine` and `resolve` find the row the activity is about.
 */
export function activityDetails(ctx: Context, event: Pick<ActivityEvent, 'id'>): Promise<ActivityDetails | null> {
  return ctx.db.activity.findUnique({ where: { id: event.id }, select: { subjectId: true, data: true } });
}

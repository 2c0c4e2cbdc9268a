import type { PrismaClient } from '@dangjian/db';
import type { Viewer } from './auth/viewer.ts';
import type { PubSub } from './activity/pubsub.ts';
import type { PluginAccess } from './plugin/access.ts';

/** What every resolver receives: the request's database handle, who is asking, and the event bus. */
export interface Context {
  /** Prisma client for this request; resolvers never import a singleton. */
  db: PrismaClient;
  /** The authenticated user, or null for anonymous requests. */
  viewer: Viewer | null;
  /** The activity event bus (in-process, or Redis when several servers run). */
  pubsub: PubSub;
  /** Loaded plugins, per-organization enablement and event visibility. */
  plugins: PluginAccess;
}

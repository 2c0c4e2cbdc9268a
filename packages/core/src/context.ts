import type { PersonalDataVault, PrismaClient } from '@dangjian/db';
import type { Viewer } from './auth/viewer.ts';
import type { PubSub } from './activity/pubsub.ts';
import type { PluginAccess } from './plugin/access.ts';
import type { ReminderService } from './reminders/service.ts';

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
  /** Encrypts, decrypts and hashes national IDs (never store or compare them in clear). */
  vault: PersonalDataVault;
  /** Who asked from where, for the audit trail. */
  requestInfo: RequestInfo;
  /** The reminder scheduler: its rules and state (absent where nothing schedules reminders). */
  reminders?: ReminderService;
}

/** The request as the audit trail records it. */
export interface RequestInfo {
  /** Shared by the audit records, the masked errors and the server log of one request. */
  id: string;
  /** The client's IP address (the socket's peer, or X-Forwarded-For behind a trusted proxy). */
  clientAddress: string | null;
}

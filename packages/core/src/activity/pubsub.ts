import type { PubSub as YogaPubSub } from '@graphql-yoga/subscription';

/** A published activity, as subscribers receive it (the row plus the organization path for filtering). */
export interface ActivityEvent {
  id: string;
  kind: string;
  organizationId: string | null;
  path: string;
  createdAt: string;
}

/** A notification was written (`notificationAdded`): its address, so each process filters without reading it. */
export interface NotificationEvent {
  id: string;
  organizationId: string;
  role: string | null;
  userId: string | null;
  rootOrganizationId: string;
}

/** Topics of the event bus. */
export type PubSubTopics = {
  'activity:added': [ActivityEvent];
  /** A top-level organization enabled or disabled a plugin (every server process drops its cache). */
  'plugins:changed': [{ rootOrganizationId: string; pluginId: string; enabled: boolean }];
  /**
   * The bus may have lost events published since `since` (ISO time): Redis was unreachable for this
   * process, or a publish failed. Subscribers catch up from the activity table; caches are dropped.
   */
  'bus:gap': [{ since: string }];
  /** Tokens of `userId` issued before `revokedBefore` (ms since epoch) are void: every process closes that user's sockets. */
  'sessions:revoked': [{ userId: string; revokedBefore: number }];
  /** A reminder (or other notification) was written; subscribers addressed by it receive it. */
  'notification:added': [NotificationEvent];
};

/** The event bus type; yoga's createPubSub, over Redis when configured. */
export type PubSub = YogaPubSub<PubSubTopics> & {
  /**
   * Calls `listener` with each event of `topic` until the returned function is called. Unlike `subscribe`
   * there is no iterator, so an event reaches thousands of listeners without a promise and a turn of the
   * event loop each. The activity stream listens this way.
   */
  listen<K extends keyof PubSubTopics>(topic: K, listener: (payload: PubSubTopics[K][0]) => void): () => void;
};

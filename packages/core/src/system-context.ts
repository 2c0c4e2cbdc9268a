import { randomUUID } from 'node:crypto';
import type { PersonalDataVault, PrismaClient } from '@dangjian/db';
import type { PubSub } from './activity/pubsub.ts';
import type { Context } from './context.ts';
import { noPlugins } from './plugin/access.ts';

// Scheduled work never reads personal data; a vault that refuses makes any attempt fail loudly rather
// than run with keys it was never given.
const noVault = new Proxy({} as PersonalDataVault, {
  get() {
    throw new Error('scheduled work has no access to personal data (no national-ID keys in a system context)');
  },
});

const silent = {
  publish: () => {},
  subscribe: () => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) }),
  listen: () => () => {},
};

/** A context for work the system does on its own (a scheduler), not for a request: no viewer, no client. */
export function systemContext(db: PrismaClient, pubsub?: PubSub): Context {
  return {
    db,
    viewer: null,
    pubsub: pubsub ?? (silent as unknown as PubSub),
    plugins: noPlugins,
    vault: noVault,
    requestInfo: { id: `system-${randomUUID()}`, clientAddress: null },
  };
}

import type { Builder } from '../builder.ts';

/** Declares the three root types; every schema file adds its own fields to them. */
export function registerRoots(builder: Builder): void {
  builder.queryType({ description: '查询 — read operations' });
  builder.mutationType({ description: '变更 — write operations; each one records an activity' });
  builder.subscriptionType({ description: '订阅 — live updates over graphql-ws' });
}

/** Scenario 2: a nested read of four levels, where batching (or its absence) shows. */
import type { HttpScenario } from './http-scenario.ts';
import { nested, nestedPostGraphile, normalizeNested } from './nested-read.ts';

export const s2: HttpScenario = {
  key: 's2',
  title: 'nested read organizations(first: 20) → children → members(first: 10) → cadrePosts',
  // The naive peer has a scenario of its own (s2n): its 28,000-statement requests kept PostgreSQL busy
  // into every later round of every contender.
  contenders: ['ours', 'yoga', 'postgraphile', 'ours-pglite'],
  connections: 4,
  body: (key) => JSON.stringify({ query: key === 'postgraphile' ? nestedPostGraphile(20, 10) : nested(20, 10) }),
  smallBody: (key) => JSON.stringify({ query: key === 'postgraphile' ? nestedPostGraphile(2, 1) : nested(2, 1) }),
  normalize: normalizeNested,
};

/** Scenario 2b: the nested read on a page small enough for naive (N+1) resolvers to finish. */
import type { HttpScenario } from './http-scenario.ts';
import { nested, normalizeNested } from './nested-read.ts';

export const s2n: HttpScenario = {
  key: 's2n',
  title: 'nested read, small page: organizations(first: 2) → children → members(first: 10) → cadrePosts, against naive resolvers',
  contenders: ['ours', 'yoga', 'yoga-naive'],
  connections: 4,
  body: () => JSON.stringify({ query: nested(2, 10) }),
  smallBody: () => JSON.stringify({ query: nested(1, 1) }),
  normalize: normalizeNested,
};

/** Scenario 3: aggregates over a whole subtree, where the hierarchy's SQL shows. */
import { globalId } from '../setup/auth.ts';
import type { HttpScenario } from './http-scenario.ts';

const S3 = `query S3($id: ID!) {
  organization(id: $id) { name subtreeMemberCount }
  arrears: members(filter: { under: $id, inArrears: true, arrearsMonths: 1 }) { totalCount }
  overdue: organizations(filter: { under: $id, overdueTerm: true }) { totalCount }
}`;

export const s3: HttpScenario = {
  key: 's3',
  title: 'subtree aggregate: member count, members in arrears, overdue terms under the working committee',
  contenders: ['ours', 'yoga', 'ours-pglite'],
  connections: 4,
  body: (key, f) => JSON.stringify({ query: S3, variables: { id: globalId('Organization', f.rootId) } }),
  normalize: (json) => json.data,
};

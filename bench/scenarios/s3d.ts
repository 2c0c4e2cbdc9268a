/**
 * Scenario 3d (issue 25): the committee-wide dues arrears list with its count and the amount each member
 * owes — the screen a working committee opens to chase 不按时缴纳党费. Target: ≤ 100 ms at p99 on the
 * `--scale` data (100k members), whose one paid month makes a one-month window the comparable question (as in
 * scenario 3). The filter is an index range over the unsettled runs of the few owing members; the amounts
 * of a page come from one batch of dues data.
 */
import { globalId } from '../setup/auth.ts';
import type { HttpScenario } from './http-scenario.ts';

const S3D = `query S3D($id: ID!) {
  members(filter: { under: $id, inArrears: true, arrearsMonths: 1 }, first: 20) {
    totalCount
    edges { node { id name duesOwed(months: 1) unpaidMonths(months: 1) } }
  }
}`;

export const s3d: HttpScenario = {
  key: 's3d',
  title: 'committee-wide dues arrears: members in arrears (count and first page) with the amount each owes',
  contenders: ['ours'],
  // The target is the latency one committee user sees opening the screen, so one connection: four at once
  // on the two shared cores of the reference machine queue behind each other (see RESULTS.md).
  connections: 1,
  body: (_key, f) => JSON.stringify({ query: S3D, variables: { id: globalId('Organization', f.rootId) } }),
  normalize: (json) => json.data,
};

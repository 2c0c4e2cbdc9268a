/** Scenario 1: a small query, where the framework's own cost per request shows. */
import { globalId } from '../setup/auth.ts';
import type { HttpScenario } from './http-scenario.ts';

export const S1 = `query S1($id: ID!) { organization(id: $id) { name kind } }`;

export const s1: HttpScenario = {
  key: 's1',
  title: 'small query { organization(id) { name kind } }',
  contenders: ['ours', 'yoga', 'apollo', 'mercurius', 'ours-pglite'],
  connections: 16,
  body: (key, f) => JSON.stringify({ query: S1, variables: { id: globalId('Organization', f.committeeId) } }),
  normalize: (json) => json.data,
};

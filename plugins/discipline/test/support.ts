import { globalId, orgId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { disciplinePlugin } from '../src/index.ts';

export { globalId, orgId };

/** Today minus `days`, as `YYYY-MM-DD` (UTC, like every stored date). */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The server with only this plugin, and global ids of the demo organizations the suites use. */
export async function startDiscipline(): Promise<{
  server: TestServer;
  org: Record<'root' | 'mzj' | 'shjz' | 'ylfw' | 'kx' | 'kxBgs', string>;
}> {
  const server = await startTestServer({ plugins: [disciplinePlugin] });
  const org = {
    root: await orgId(server.db, 'SZJGGW'),
    mzj: await orgId(server.db, 'SZJGGW-MZJ'),
    shjz: await orgId(server.db, 'SZJGGW-MZJ-SHJZ'),
    ylfw: await orgId(server.db, 'SZJGGW-MZJ-YLFW'),
    kx: await orgId(server.db, 'SZJGGW-KX'),
    kxBgs: await orgId(server.db, 'SZJGGW-KX-BGS'),
  };
  return { server, org };
}

/** Global id of some member whose membership lies in the organization with this code. */
export async function memberIn(server: TestServer, code: string): Promise<{ id: string; raw: string; name: string }> {
  const m = await server.db.client.member.findFirstOrThrow({ where: { organization: { code } }, orderBy: { id: 'asc' } });
  return { id: globalId('Member', m.id), raw: m.id, name: m.name };
}

/** Data of a result that must have succeeded (the errors in the failure message). */
export function ok<T = any>(result: GqlResult<T>): T {
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The code and field of the first error. */
export function err(result: GqlResult) {
  return {
    code: result.errors?.[0]?.extensions?.code,
    field: result.errors?.[0]?.extensions?.field,
    state: result.errors?.[0]?.extensions?.state,
  };
}

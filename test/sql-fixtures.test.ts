// SQL fixtures of the busiest reads. Each test/fixtures/sql/<name>.graphql (first line: `# viewer: <org code>
// <ROLE>…`) is sent over HTTP as a client sends it; every statement Prisma issues for it is normalized and
// compared with <name>.sql beside it. A change of query shape fails here and shows as a diff of that file:
// accept a meant change with `UPDATE_SQL_FIXTURES=1 npx vitest run test/sql-fixtures.test.ts` (on both
// databases the fixtures must hold: add DATABASE_URL to run it on PostgreSQL too). The statement counts are
// asserted separately (statement-count.test.ts); these files pin what the statements are.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@dangjian/core';
import type { Database } from '@dangjian/db';
import {
  startTestServer,
  type TestServer,
  expectSqlFixture,
  normalizeSql,
  sqlRecorder,
  sqlSchemas,
  addMembers,
  insertTree,
} from '@dangjian/testing';

const DIR = fileURLToPath(new URL('./fixtures/sql/', import.meta.url));
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .map((f) => f.slice(0, -'.graphql'.length));

/** Rows for one list of each plugin, with every relation those lists select present at least once. */
async function insertPluginRows(db: Database, branches: string[]): Promise<void> {
  const client = db.client;
  const root = await client.organization.findUniqueOrThrow({ where: { code: 'N1' } });
  const committee = await client.organization.findUniqueOrThrow({ where: { code: 'N1-0' } });
  const members = await client.member.findMany({ orderBy: { name: 'asc' } });
  const [a, b] = [members[0]!, members[1]!];
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  const plan = await client.partyBrandPlan.create({
    data: { organizationId: root.id, name: '党建品牌三年行动', startYear: 2024, endYear: 2026 },
  });
  for (const [i, organizationId] of branches.slice(0, 2).entries()) {
    await client.partyBrand.create({
      data: {
        organizationId,
        planId: plan.id,
        name: `品牌${i}`,
        business: '党建+服务',
        state: 'APPROVED',
        transitions: { create: [{ to: 'DRAFT' }, { from: 'DRAFT', to: 'SUBMITTED' }, { from: 'SUBMITTED', to: 'APPROVED' }] },
        evaluations: { create: [{ year: 2025, integration: 20, innovation: 20, effect: 20, publicity: 20 }] },
      },
    });
  }

  for (const [i, member] of [a, b].entries()) {
    await client.talent.create({
      data: {
        name: `能人${i}`,
        gender: 'MALE',
        trade: '种植',
        village: '一村',
        organizationId: member.organizationId,
        memberId: i === 0 ? member.id : null,
        stage: 'ACTIVIST',
        stageSince: day('2025-03-01'),
        stages: {
          create: [
            { stage: 'APPLICANT', date: day('2025-01-01'), organizationId: member.organizationId, cultivatorMemberId: b.id },
            { stage: 'ACTIVIST', date: day('2025-03-01'), organizationId: member.organizationId, cultivatorMemberId: a.id },
          ],
        },
      },
    });
  }

  const community = await client.community.create({ data: { rootOrganizationId: root.id, name: '幸福里社区' } });
  await client.communityRegistration.createMany({
    data: [
      { communityId: community.id, organizationId: branches[0]!, date: day('2025-02-01'), certificateNo: 'BD-0001' },
      { communityId: community.id, organizationId: a.organizationId, memberId: a.id, date: day('2025-02-02'), certificateNo: 'BD-0002' },
    ],
  });

  for (const [i, inspected] of branches.slice(0, 2).entries()) {
    await client.disciplineInspection.create({
      data: {
        inspectedOrganizationId: inspected,
        inspectingOrganizationId: i === 0 ? committee.id : root.id,
        date: day(`2025-0${i + 4}-01`),
        scope: '三会一课',
        inspectors: ['督查员甲', '督查员乙'],
        createdBy: 'test',
        problems: {
          create: [
            {
              category: 'ORGANIZATIONAL',
              description: '会议记录不全',
              responsibilities: {
                create: [
                  { kind: 'PRIMARY', organizationId: inspected },
                  { kind: 'DIRECT', memberId: a.id },
                ],
              },
              rectifications: { create: [{ measure: '补齐记录', deadline: day('2025-06-30') }] },
            },
          ],
        },
      },
    });
  }
}

describe('SQL fixtures: the SQL of the busiest reads is pinned beside each query', () => {
  let server: TestServer;
  let schemas: string[];
  const recorder = sqlRecorder();
  beforeAll(async () => {
    server = await startTestServer({ dataset: null, onQuery: recorder.onQuery });
    const branches = await insertTree(server.db);
    await addMembers(server.db, branches, 8, 0);
    await insertPluginRows(server.db, branches);
    schemas = await sqlSchemas(server.db);
  });
  afterAll(() => server?.close());

  it('has a fixture for the nested organization read, the meeting shortfalls and a list of each plugin', () => {
    expect(fixtures).toEqual([
      'community-report-registrations',
      'discipline-inspections',
      'dual-cultivation-talents',
      'meeting-shortfall-connection',
      'organizations-members-cadres',
      'party-brand-brands',
    ]);
  });

  it('normalizes away what varies between databases and data: schema names, IN-list lengths, whitespace', () => {
    const sql =
      'SELECT "t_1a2b"."Member"."id" FROM  "t_1a2b"."Member"\n WHERE "t_1a2b"."Member"."id" IN ($1,$2,$3) AND "name" LIKE \'% FROM \' OFFSET $4';
    expect(normalizeSql(sql, ['public', 't_1a2b'])).toBe(
      'SELECT "Member"."id"\n  FROM "Member"\n  WHERE "Member"."id" IN ($1, …) AND "name" LIKE \'% FROM \'\n  OFFSET $2',
    );
  });

  it.each(fixtures)('%s', async (name) => {
    const query = readFileSync(`${DIR}${name}.graphql`, 'utf8');
    const viewer = /^# viewer: (\S+) (.+)$/m.exec(query);
    if (!viewer) throw new Error(`${name}.graphql: the first line must be "# viewer: <org code> <ROLE>…"`);
    const token = await server.token(viewer[1]!, viewer[2]!.trim().split(/\s+/) as Role[]);
    const send = async () => {
      const result = await server.gql(query, {}, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result;
    };
    // The first request fills per-process caches (the token, the viewer's path, the department's plugins).
    await send();
    const statements = await recorder.capture(send);
    expectSqlFixture(
      `${DIR}${name}.sql`,
      statements.map((sql) => normalizeSql(sql, schemas)),
      `${name}.graphql`,
    );
  });
});

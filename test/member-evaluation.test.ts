import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const FIELDS = `id year date pendingFollowUps organization { id code } grades { id grade followUp followUpDate followUpNote member { id } }`;
const RECORD = `mutation ($input: RecordBranchEvaluationInput!) { recordBranchEvaluation(input: $input) { ${FIELDS} } }`;
const FOLLOW = `mutation ($input: EvaluationFollowUpInput!) { recordEvaluationFollowUp(input: $input) { ${FIELDS} } }`;
const LIST = `query ($under: ID, $year: Int!) { branchEvaluations(under: $under, year: $year) { ${FIELDS} } }`;
const MISSING = `query ($under: ID, $year: Int!) { branchesNotEvaluated(under: $under, year: $year) { id code } }`;

describe('民主评议党员', () => {
  let server: TestServer;
  let secretary: string;
  let sibling: string;
  let branch: { id: string; gid: string };
  let full: string[];
  let probationary: string[];
  const year = today().getUTCFullYear() - 1;
  const date = iso(new Date(Date.UTC(year, 11, 20)));

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } });
    branch = { id: org.id, gid: gid('Organization', org.id) };
    const members = await server.db.client.member.findMany({
      where: { organizationId: org.id, joinedAt: { lte: new Date(date) } },
      orderBy: { name: 'asc' },
    });
    full = members.filter((m) => m.status === 'FULL').map((m) => gid('Member', m.id));
    probationary = members.filter((m) => m.status === 'PROBATIONARY').map((m) => gid('Member', m.id));
  });
  afterAll(() => server?.close());

  const grades = (excellent: number, unqualified = 0) =>
    full.map((memberId, i) => ({
      memberId,
      grade: i < excellent ? 'EXCELLENT' : i >= full.length - unqualified ? 'UNQUALIFIED' : 'QUALIFIED',
    }));

  it('grades every full member once, 优秀 at most a third, probationary members not graded', async () => {
    const input = { organizationId: branch.gid, year, date };
    const limit = Math.floor(full.length / 3);
    const tooMany = await server.gql(RECORD, { input: { ...input, grades: grades(limit + 1) } }, secretary);
    expectError(tooMany, 'BAD_USER_INPUT', 'input.grades');
    expect(tooMany.errors![0]!.message).toContain(`${limit + 1} of ${full.length}`);
    expectError(await server.gql(RECORD, { input: { ...input, grades: grades(1).slice(1) } }, secretary), 'BAD_USER_INPUT', 'input.grades');
    if (probationary.length > 0) {
      expectError(
        await server.gql(
          RECORD,
          { input: { ...input, grades: [...grades(1), { memberId: probationary[0], grade: 'QUALIFIED' }] } },
          secretary,
        ),
        'BAD_USER_INPUT',
        `input.grades[${full.length}].memberId`,
      );
    }
    expectError(
      await server.gql(RECORD, { input: { ...input, year: year + 2, grades: grades(1) } }, secretary),
      'BAD_USER_INPUT',
      'input.year',
    );
    const evaluation = expectOk(
      await server.gql(RECORD, { input: { ...input, grades: grades(limit, 1) } }, secretary),
    ).recordBranchEvaluation;
    expect(evaluation.grades).toHaveLength(full.length);
    expect(evaluation.pendingFollowUps).toBe(1);
    expectError(await server.gql(RECORD, { input: { ...input, grades: grades(1) } }, secretary), 'CONFLICT', 'input.year');
    expect(
      await server.db.client.activity.count({
        where: { kind: 'member.evaluated', subjectId: Buffer.from(evaluation.id, 'base64').toString().split(':')[1] },
      }),
    ).toBe(1);
  });

  it('needs a follow-up of an UNQUALIFIED grade, and 除名 goes through the lifecycle', async () => {
    const [evaluation] = expectOk(await server.gql(LIST, { under: branch.gid, year }, secretary)).branchEvaluations;
    const unqualified = evaluation.grades.find((g: any) => g.grade === 'UNQUALIFIED');
    const qualified = evaluation.grades.find((g: any) => g.grade === 'QUALIFIED');
    expectError(
      await server.gql(FOLLOW, { input: { gradeId: qualified.id, followUp: 'RECTIFY', date: iso(today()), note: 'x' } }, secretary),
      'ILLEGAL_STATE',
    );
    const done = expectOk(
      await server.gql(
        FOLLOW,
        { input: { gradeId: unqualified.id, followUp: 'REMOVE', date: iso(today()), note: '经教育仍无转变，予以除名' } },
        secretary,
      ),
    ).recordEvaluationFollowUp;
    expect(done.pendingFollowUps).toBe(0);
    expect(done.grades.find((g: any) => g.id === unqualified.id)).toMatchObject({
      followUp: 'REMOVE',
      followUpNote: '经教育仍无转变，予以除名',
    });
    const member = await server.db.client.member.findUniqueOrThrow({
      where: { id: Buffer.from(unqualified.member.id, 'base64').toString().split(':')[1] },
      include: { lifecycle: true },
    });
    expect(member.standing).toBe('LEFT');
    expect(member.lifecycle.map((e) => e.kind)).toEqual(['REMOVED']);
    expectError(
      await server.gql(FOLLOW, { input: { gradeId: unqualified.id, followUp: 'RECTIFY', date: iso(today()), note: 'x' } }, secretary),
      'ILLEGAL_STATE',
    );
    expectError(
      await server.gql(FOLLOW, { input: { gradeId: unqualified.id, followUp: 'RECTIFY', date: iso(today()), note: 'x' } }, sibling),
      'NOT_FOUND',
    );
  });

  it('lists the branches that have not evaluated, per year, within the subtree only', async () => {
    const missing = expectOk(await server.gql(MISSING, { year }, secretary)).branchesNotEvaluated.map((o: any) => o.code);
    expect(missing).not.toContain('SZJGGW-MZJ-BGS');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((code: string) => code.startsWith('SZJGGW-MZJ'))).toBe(true);
    const other = expectOk(await server.gql(MISSING, { year: year - 1 }, secretary)).branchesNotEvaluated.map((o: any) => o.code);
    expect(other).toContain('SZJGGW-MZJ-BGS');
    expect(expectOk(await server.gql(LIST, { year }, sibling)).branchEvaluations).toEqual([]);
    expectError(await server.gql(LIST, { under: branch.gid, year }, sibling), 'NOT_FOUND');
  });
});

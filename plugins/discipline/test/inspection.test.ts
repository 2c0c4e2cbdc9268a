import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, type TestServer } from '@dangjian/testing';
import { raiseOverdueRectifications } from '../src/index.ts';
import { daysAgo, err, globalId, memberIn, ok, startDiscipline } from './support.ts';

const OPEN = `mutation ($input: OpenInspectionInput!) { openInspection(input: $input) { id date scope inspectors inspectedOrganization { name } inspectingOrganization { name } } }`;
const ADD_PROBLEM = `mutation ($input: AddInspectionProblemInput!) {
  addInspectionProblem(input: $input) {
    id category description
    responsibilities { kind member { name } organization { name } }
    rectifications { id measure deadline status overdue }
  }
}`;
const ITEM = 'id status evidence reviewComment reopenCount acceptedAt overdue closedOnTime';
const SUBMIT = `mutation ($id: ID!, $e: String!) { submitRectification(id: $id, evidence: $e) { ${ITEM} } }`;
const ACCEPT = `mutation ($id: ID!) { acceptRectification(id: $id, comment: "整改到位") { ${ITEM} } }`;
const REOPEN = `mutation ($id: ID!, $r: String!) { reopenRectification(id: $id, reason: $r) { ${ITEM} } }`;
const BOARD = `query ($under: ID) { rectificationBoard(under: $under) {
  totals { total open submitted overdue accepted acceptedOnTime onTimeRate }
  organizations { organization { code } counts { total overdue } }
} }`;

describe('discipline: inspections, problems and rectification', () => {
  let server: TestServer;
  let org: Awaited<ReturnType<typeof startDiscipline>>['org'];
  let mzjDiscipline: string; // 纪委 of 市民政局机关党委: the inspecting committee
  let mzjAdmin: string;
  let mzjSecretary: string;
  let shjzSecretary: string; // the inspected branch
  let shjzAdmin: string;
  let shjzMember: string;
  let kxAdmin: string; // a sibling agency
  let inspectionId: string;
  let itemA: string; // deadline in the future
  let itemB: string; // deadline already passed

  beforeAll(async () => {
    ({ server, org } = await startDiscipline());
    mzjDiscipline = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], 'mzj-jw');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    mzjSecretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-sec');
    shjzSecretary = await server.token('SZJGGW-MZJ-SHJZ', ['SECRETARY'], 'shjz-sec');
    shjzAdmin = await server.token('SZJGGW-MZJ-SHJZ', ['ADMIN'], 'shjz-admin');
    shjzMember = await server.token('SZJGGW-MZJ-SHJZ', ['MEMBER'], 'shjz-member');
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN', 'DISCIPLINE'], 'kx-admin');
  });
  afterAll(() => server?.close());

  const openInput = (over: Record<string, unknown> = {}) => ({
    inspectedOrganizationId: org.shjz,
    date: daysAgo(30),
    scope: '三会一课落实情况',
    inspectors: ['王督查', '李督查'],
    ...over,
  });

  it('opens an inspection by a superior committee, validating the tree, kind, date and inspectors', async () => {
    expect(err(await server.gql(OPEN, { input: openInput({ inspectedOrganizationId: org.mzj }) }, mzjDiscipline))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.inspectedOrganizationId',
    });
    expect(
      err(
        await server.gql(
          OPEN,
          { input: openInput({ inspectingOrganizationId: org.shjz, inspectedOrganizationId: org.shjz }) },
          mzjDiscipline,
        ),
      ),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.inspectingOrganizationId',
    });
    expect(err(await server.gql(OPEN, { input: openInput({ date: daysAgo(-3) }) }, mzjDiscipline))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.date',
    });
    expect(err(await server.gql(OPEN, { input: openInput({ inspectors: [] }) }, mzjDiscipline))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.inspectors',
    });
    expect(err(await server.gql(OPEN, { input: openInput({ inspectors: ['王督查', ' 王督查 '] }) }, mzjDiscipline))).toMatchObject({
      field: 'input.inspectors[1]',
    });
    expect(err(await server.gql(OPEN, { input: openInput() }, shjzSecretary)).code).toBe('FORBIDDEN');
    // A sibling agency cannot even name the branch.
    expect(err(await server.gql(OPEN, { input: openInput() }, kxAdmin)).code).toBe('NOT_FOUND');
    // A branch cannot inspect its own committee's work, and a committee acts only for itself and below.
    expect(err(await server.gql(OPEN, { input: openInput({ inspectingOrganizationId: org.root }) }, mzjDiscipline)).code).toBe('NOT_FOUND');

    const opened = ok(await server.gql(OPEN, { input: openInput() }, mzjDiscipline)).openInspection;
    expect(opened).toMatchObject({
      scope: '三会一课落实情况',
      inspectors: ['王督查', '李督查'],
      inspectedOrganization: { name: '社会救助处党支部' },
      inspectingOrganization: { name: '市民政局机关党委' },
    });
    inspectionId = opened.id;
    expect(err(await server.gql(OPEN, { input: openInput() }, mzjDiscipline))).toMatchObject({ code: 'CONFLICT', field: 'input.scope' });
  });

  it('records a problem with its responsibility and rectification lists, only by the inspecting side', async () => {
    const member = await memberIn(server, 'SZJGGW-MZJ-SHJZ');
    const outsider = await memberIn(server, 'SZJGGW-KX-BGS');
    const input = (over: Record<string, unknown> = {}) => ({
      inspectionId,
      category: 'ORGANIZATIONAL',
      description: '支部委员会未按月召开',
      responsibilities: [
        { kind: 'PRIMARY', organizationId: org.shjz },
        { kind: 'DIRECT', memberId: member.id },
      ],
      rectifications: [
        { measure: '制定年度组织生活计划', deadline: daysAgo(-30) },
        { measure: '补开支部委员会', deadline: daysAgo(5) },
      ],
      ...over,
    });
    expect(
      err(
        await server.gql(ADD_PROBLEM, { input: input({ responsibilities: [{ kind: 'DIRECT', memberId: outsider.id }] }) }, mzjDiscipline),
      ),
    ).toMatchObject({
      field: 'input.responsibilities[0].memberId',
    });
    expect(err(await server.gql(ADD_PROBLEM, { input: input({ responsibilities: [{ kind: 'DIRECT' }] }) }, mzjDiscipline))).toMatchObject({
      field: 'input.responsibilities[0].memberId',
    });
    expect(err(await server.gql(ADD_PROBLEM, { input: input({ responsibilities: [] }) }, mzjDiscipline))).toMatchObject({
      field: 'input.responsibilities',
    });
    expect(
      err(await server.gql(ADD_PROBLEM, { input: input({ rectifications: [{ measure: '补开', deadline: daysAgo(40) }] }) }, mzjDiscipline)),
    ).toMatchObject({
      field: 'input.rectifications[0].deadline',
    });
    // The inspected branch answers problems; it does not record them.
    expect(err(await server.gql(ADD_PROBLEM, { input: input() }, shjzAdmin)).code).toBe('FORBIDDEN');
    expect(err(await server.gql(ADD_PROBLEM, { input: input() }, kxAdmin)).code).toBe('NOT_FOUND');

    const problem = ok(await server.gql(ADD_PROBLEM, { input: input() }, mzjDiscipline)).addInspectionProblem;
    expect(problem.responsibilities).toEqual([
      { kind: 'PRIMARY', member: null, organization: { name: '社会救助处党支部' } },
      { kind: 'DIRECT', member: { name: member.name }, organization: null },
    ]);
    expect(problem.rectifications.map((r: any) => [r.measure, r.status, r.overdue])).toEqual([
      ['补开支部委员会', 'OPEN', true],
      ['制定年度组织生活计划', 'OPEN', false],
    ]);
    [itemB, itemA] = problem.rectifications.map((r: any) => r.id);
  });

  it('the inspected organization sees its own problems; members and other agencies see nothing', async () => {
    const q = `query ($id: ID!) { inspection(id: $id) { scope inspectingOrganization { name } problems { description rectifications { measure } } } node(id: $id) { id } }`;
    const own = ok(await server.gql(q, { id: inspectionId }, shjzSecretary));
    // The committee above the branch lies outside the branch's subtree: it reads as absent.
    expect(own.inspection).toMatchObject({
      scope: '三会一课落实情况',
      inspectingOrganization: null,
      problems: [{ description: '支部委员会未按月召开' }],
    });
    for (const token of [shjzMember, kxAdmin]) {
      expect(ok(await server.gql(q, { id: inspectionId }, token))).toEqual({ inspection: null, node: null });
      const list = ok(await server.gql('{ inspections { totalCount edges { node { id } } } rectifications { totalCount } }', {}, token));
      expect(list).toEqual({ inspections: { totalCount: 0, edges: [] }, rectifications: { totalCount: 0 } });
    }
    expect(ok(await server.gql('{ inspections { totalCount } }', {}, mzjAdmin)).inspections.totalCount).toBe(1);
  });

  it('walks an item OPEN → SUBMITTED → REOPENED → SUBMITTED → ACCEPTED, each side doing its part', async () => {
    expect(err(await server.gql(ACCEPT, { id: itemA }, mzjDiscipline))).toMatchObject({ code: 'ILLEGAL_STATE', state: 'OPEN' });
    // The inspecting committee's own secretary is not the inspected side.
    expect(err(await server.gql(SUBMIT, { id: itemA, e: '已制定计划' }, mzjSecretary)).code).toBe('FORBIDDEN');
    expect(err(await server.gql(SUBMIT, { id: itemA, e: '  ' }, shjzSecretary))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'evidence',
    });
    expect(ok(await server.gql(SUBMIT, { id: itemA, e: '已制定计划，见附件1' }, shjzSecretary)).submitRectification).toMatchObject({
      status: 'SUBMITTED',
      evidence: '已制定计划，见附件1',
    });
    expect(err(await server.gql(SUBMIT, { id: itemA, e: '再次提交' }, shjzSecretary))).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'SUBMITTED',
    });
    // Nobody accepts their own rectification.
    expect(err(await server.gql(ACCEPT, { id: itemA }, shjzAdmin)).code).toBe('FORBIDDEN');
    expect(err(await server.gql(ACCEPT, { id: itemA }, kxAdmin)).code).toBe('NOT_FOUND');

    expect(ok(await server.gql(REOPEN, { id: itemA, r: '计划缺少党课安排' }, mzjDiscipline)).reopenRectification).toMatchObject({
      status: 'REOPENED',
      reopenCount: 1,
      reviewComment: '计划缺少党课安排',
    });
    expect(err(await server.gql(ACCEPT, { id: itemA }, mzjDiscipline))).toMatchObject({ code: 'ILLEGAL_STATE', state: 'REOPENED' });
    ok(await server.gql(SUBMIT, { id: itemA, e: '已补充党课安排' }, shjzSecretary));
    const accepted = ok(await server.gql(ACCEPT, { id: itemA }, mzjAdmin)).acceptRectification;
    expect(accepted).toMatchObject({
      status: 'ACCEPTED',
      evidence: '已补充党课安排',
      overdue: false,
      closedOnTime: true,
      reviewComment: '整改到位',
    });
    expect(accepted.acceptedAt).toBeTruthy();
    expect(err(await server.gql(REOPEN, { id: itemA, r: '再看看' }, mzjDiscipline))).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'ACCEPTED',
    });

    const feed = `{ activities(kinds: ["discipline.inspectionOpened", "discipline.rectificationAccepted"]) { edges { node { kind summary } } } }`;
    expect(ok(await server.gql(feed, {}, mzjAdmin)).activities.edges.map((e: any) => e.node.kind)).toEqual([
      'discipline.rectificationAccepted',
      'discipline.inspectionOpened',
    ]);
    // Working papers of committees stay out of a plain member's feed.
    expect(ok(await server.gql(feed, {}, shjzMember)).activities.edges).toEqual([]);
  });

  it('the board counts open, overdue and on-time items of a subtree; problems are counted by category', async () => {
    const board = ok(await server.gql(BOARD, { under: org.mzj }, mzjAdmin)).rectificationBoard;
    expect(board.totals).toEqual({ total: 2, open: 1, submitted: 0, overdue: 1, accepted: 1, acceptedOnTime: 1, onTimeRate: 0.5 });
    expect(board.organizations).toEqual([{ organization: { code: 'SZJGGW-MZJ-SHJZ' }, counts: { total: 2, overdue: 1 } }]);
    expect(ok(await server.gql(BOARD, { under: org.ylfw }, mzjAdmin)).rectificationBoard.totals).toMatchObject({
      total: 0,
      onTimeRate: null,
    });
    expect(ok(await server.gql(BOARD, {}, shjzMember)).rectificationBoard).toEqual({
      totals: { total: 0, open: 0, submitted: 0, overdue: 0, accepted: 0, acceptedOnTime: 0, onTimeRate: null },
      organizations: [],
    });
    expect(err(await server.gql(BOARD, { under: org.mzj }, kxAdmin)).code).toBe('NOT_FOUND');
    const overdue = ok(
      await server.gql('{ rectifications(filter: { overdue: true }) { edges { node { id measure } } } }', {}, shjzSecretary),
    ).rectifications.edges;
    expect(overdue.map((e: any) => e.node.id)).toEqual([itemB]);

    const byCategory = ok(
      await server.gql('{ problemsByCategory { category problems inspections openRectifications } }', {}, mzjDiscipline),
    ).problemsByCategory;
    expect(byCategory).toHaveLength(6);
    expect(byCategory.find((c: any) => c.category === 'ORGANIZATIONAL')).toEqual({
      category: 'ORGANIZATIONAL',
      problems: 1,
      inspections: 1,
      openRectifications: 1,
    });
    expect(byCategory.filter((c: any) => c.problems > 0)).toHaveLength(1);
    const none = ok(await server.gql('{ problemsByCategory { problems } }', {}, shjzMember)).problemsByCategory;
    expect(none.every((c: any) => c.problems === 0)).toBe(true);
  });

  it('the overdue check raises discipline.rectificationOverdue once per item and streams it to subscribers', async () => {
    expect(err(await server.gql('mutation { checkOverdueRectifications }', {}, shjzSecretary)).code).toBe('FORBIDDEN');
    const ws = server.ws(mzjDiscipline);
    const stream = nextResults(ws, 'subscription { rectificationOverdue { id measure overdue } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));

    expect(ok(await server.gql('mutation { checkOverdueRectifications }', {}, mzjDiscipline)).checkOverdueRectifications).toBe(1);
    const [first] = await stream.done;
    expect(first?.data?.rectificationOverdue).toEqual({ id: itemB, measure: '补开支部委员会', overdue: true });
    expect(ok(await server.gql('mutation { checkOverdueRectifications }', {}, mzjAdmin)).checkOverdueRectifications).toBe(0);
    expect(await raiseOverdueRectifications(server.db.client, new Date())).toBe(0);

    const feed = `{ activities(kinds: ["discipline.rectificationOverdue"]) { totalCount edges { node { summary subjectId } } } }`;
    const seen = ok(await server.gql(feed, {}, mzjAdmin)).activities;
    expect(seen.totalCount).toBe(1);
    expect(seen.edges[0].node).toMatchObject({ subjectId: itemB, summary: expect.stringContaining('逾期') });
    const item = ok(
      await server.gql(`query ($id: ID!) { node(id: $id) { ... on Rectification { overdueNotifiedAt } } }`, { id: itemB }, shjzSecretary),
    );
    expect(item.node.overdueNotifiedAt).toBeTruthy();
  });

  it('the exported scheduled function raises newly overdue items once, wherever they are', async () => {
    const problem = await server.db.client.disciplineInspectionProblem.findFirstOrThrow();
    const add = `mutation ($input: AddRectificationInput!) { addRectification(input: $input) { id status } }`;
    const late = ok(
      await server.gql(
        add,
        { input: { problemId: globalId('InspectionProblem', problem.id), measure: '整改台账归档', deadline: daysAgo(1) } },
        mzjDiscipline,
      ),
    ).addRectification;
    expect(
      err(
        await server.gql(
          add,
          { input: { problemId: globalId('InspectionProblem', problem.id), measure: '归档', deadline: daysAgo(1) } },
          shjzSecretary,
        ),
      ).code,
    ).toBe('FORBIDDEN');
    // Not yet overdue yesterday: the deadline day itself still counts as in time.
    expect(await raiseOverdueRectifications(server.db.client, new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await raiseOverdueRectifications(server.db.client, new Date())).toBe(1);
    expect(await raiseOverdueRectifications(server.db.client, new Date())).toBe(0);
    const rows = await server.db.client.activity.findMany({
      where: { kind: 'discipline.rectificationOverdue' },
      select: { subjectId: true, actorId: true },
    });
    expect(rows.map((r) => r.subjectId).sort()).toEqual(
      [itemB, late.id].map((g) => Buffer.from(g, 'base64').toString().split(':')[1]).sort(),
    );
    expect(rows.find((r) => r.subjectId === Buffer.from(late.id, 'base64').toString().split(':')[1])?.actorId).toBeNull();
  });
});

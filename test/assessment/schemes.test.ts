import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { assessmentFixturePlugin } from '../fixtures/assessment-plugin.ts';
import { CREATE, expectError, expectOk, gid, PUBLISH, schemeInput, SET_MANUAL, thisYear, UPDATE } from './helpers.ts';

const SCHEME = `query ($id: ID!) { assessmentScheme(id: $id) { id name state items { name } } }`;
const SCHEMES = `query ($year: Int) { assessmentSchemes(year: $year) { id name year } }`;

describe('assessment schemes', () => {
  let server: TestServer;
  let admin: string;
  let secretary: string;
  let mzjAdmin: string;
  let branchSecretary: string;
  let otherDepartment: string;
  const org: Record<string, { id: string; gid: string }> = {};

  beforeAll(async () => {
    server = await startTestServer({ plugins: [assessmentFixturePlugin] });
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    secretary = await server.token('SZJGGW', ['SECRETARY'], 'root-secretary');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    branchSecretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    const rootId = crypto.randomUUID();
    await server.db.client.organization.create({
      data: { id: rootId, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${rootId}/`, depth: 0 },
    });
    otherDepartment = await server.token('XZJGGW', ['ADMIN'], 'county-admin');
    for (const o of await server.db.client.organization.findMany()) org[o.code] = { id: o.id, gid: gid('Organization', o.id) };
  });
  afterAll(() => server?.close());

  it('creates a draft scheme with its items in order, and lists it for the department only', async () => {
    const { createAssessmentScheme: scheme } = expectOk(await server.gql(CREATE, { input: schemeInput('创建测试') }, admin));
    expect(scheme).toMatchObject({ year: thisYear(), name: '创建测试', totalPoints: '100.00', state: 'DRAFT', publishedAt: null });
    expect(scheme.kinds).toEqual(['BRANCH', 'TEMPORARY_BRANCH']);
    expect(scheme.items.map((i: any) => [i.position, i.maxPoints, i.rule.kind])).toEqual([
      [0, '30.00', 'PROPORTIONAL'],
      [1, '20.00', 'STEPPED'],
      [2, '10.00', 'DEDUCTION'],
      [3, '25.00', 'PROPORTIONAL'],
      [4, '15.00', 'PROPORTIONAL'],
      [5, '0.00', 'VETO'],
    ]);
    expect(scheme.items[1].rule.steps).toEqual([
      { atLeast: '5.00', points: '10.00' },
      { atLeast: '10.00', points: '20.00' },
    ]);
    expect(scheme.items[2].rule).toMatchObject({ perOccurrence: '2.50', floor: '2.00', target: null });
    // A branch of the department sees the scheme; another department does not, as if it did not exist.
    expect(expectOk(await server.gql(SCHEME, { id: scheme.id }, branchSecretary)).assessmentScheme.name).toBe('创建测试');
    expect(expectOk(await server.gql(SCHEME, { id: scheme.id }, otherDepartment)).assessmentScheme).toBeNull();
    expect(expectOk(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: scheme.id }, otherDepartment)).node).toBeNull();
    expect(expectOk(await server.gql(SCHEMES, { year: thisYear() }, admin)).assessmentSchemes.map((s: any) => s.name)).toContain(
      '创建测试',
    );
    expect(expectOk(await server.gql(SCHEMES, {}, otherDepartment)).assessmentSchemes).toEqual([]);
  });

  it('lets the department’s secretary write, but not an agency committee, a branch or another department', async () => {
    expectOk(await server.gql(CREATE, { input: schemeInput('书记创建') }, secretary));
    expectError(await server.gql(CREATE, { input: schemeInput('党委创建') }, mzjAdmin), 'FORBIDDEN');
    expectError(await server.gql(CREATE, { input: schemeInput('支部创建') }, branchSecretary), 'FORBIDDEN');
    const { createAssessmentScheme: county } = expectOk(await server.gql(CREATE, { input: schemeInput('县里的方案') }, otherDepartment));
    // The county's own scheme is invisible and unwritable from the city.
    expectError(await server.gql(UPDATE, { id: county.id, input: { name: '改名' } }, admin), 'NOT_FOUND');
  });

  it('answers a duplicate name in the same year with CONFLICT', async () => {
    expectOk(await server.gql(CREATE, { input: schemeInput('重名') }, admin));
    expectError(await server.gql(CREATE, { input: schemeInput('重名') }, admin), 'CONFLICT', 'input.name');
  });

  describe('validation names the field', () => {
    const bad = async (mutate: (input: any) => void, field: string) => {
      const input = schemeInput(`校验${field}`);
      mutate(input);
      const before = await server.db.client.assessmentScheme.count();
      expectError(await server.gql(CREATE, { input }, admin), 'BAD_USER_INPUT', field);
      expect(await server.db.client.assessmentScheme.count()).toBe(before);
    };
    it('points that do not add up to the total', () => bad((i) => (i.items[0].maxPoints = '29.99'), 'input.items'));
    it('a total that is not exact points', () => bad((i) => (i.totalPoints = '100.001'), 'input.totalPoints'));
    it('a max of zero outside a veto', () => bad((i) => (i.items[2].maxPoints = '0'), 'input.items[2].maxPoints'));
    it('a max with three decimals', () => bad((i) => (i.items[2].maxPoints = '9.999'), 'input.items[2].maxPoints'));
    it('a proportional rule without its target', () =>
      bad((i) => (i.items[0].rule = { kind: 'PROPORTIONAL' }), 'input.items[0].rule.target'));
    it('a target of zero', () => bad((i) => (i.items[0].rule = { kind: 'PROPORTIONAL', target: '0' }), 'input.items[0].rule.target'));
    it('a stepped rule without steps', () => bad((i) => (i.items[1].rule = { kind: 'STEPPED', steps: [] }), 'input.items[1].rule.steps'));
    it('steps not increasing', () =>
      bad(
        (i) =>
          (i.items[1].rule.steps = [
            { atLeast: '10', points: '10' },
            { atLeast: '5', points: '20' },
          ]),
        'input.items[1].rule.steps[1].atLeast',
      ));
    it('a step worth more than the item', () =>
      bad((i) => (i.items[1].rule.steps[1].points = '20.01'), 'input.items[1].rule.steps[1].points'));
    it('a deduction without its floor', () =>
      bad((i) => (i.items[2].rule = { kind: 'DEDUCTION', perOccurrence: '1' }), 'input.items[2].rule.floor'));
    it('a floor above the item', () => bad((i) => (i.items[2].rule.floor = '11'), 'input.items[2].rule.floor'));
    it('a veto without its cap', () => bad((i) => (i.items[5].rule = { kind: 'VETO', threshold: '1' }), 'input.items[5].rule.cap'));
    it('a veto cap above the total', () => bad((i) => (i.items[5].rule.cap = '101'), 'input.items[5].rule.cap'));
    it('an indicator item without an indicator', () => bad((i) => delete i.items[0].indicatorId, 'input.items[0].indicatorId'));
    it('a malformed indicator id', () => bad((i) => (i.items[0].indicatorId = 'not an id'), 'input.items[0].indicatorId'));
    it('an indicator on a manual item', () =>
      bad((i) => (i.items[3].indicatorId = 'core.tasks.acceptedOnTime'), 'input.items[3].indicatorId'));
    it('an empty item name', () => bad((i) => (i.items[4].name = '  '), 'input.items[4].name'));
    it('no kinds', () => bad((i) => (i.kinds = []), 'input.kinds'));
    it('no items', () => bad((i) => (i.items = []), 'input.items'));
    it('a year out of range', () => bad((i) => (i.year = 1999), 'input.year'));
  });

  it('accepts an indicator id nothing provides (it scores not applicable)', async () => {
    const input = schemeInput('未知指标');
    input.items[0]!.indicatorId = 'nobody.provides.this';
    expectOk(await server.gql(CREATE, { input }, admin));
  });

  it('updates a draft: items replaced as a whole, the total checked against the items kept', async () => {
    const { createAssessmentScheme: scheme } = expectOk(await server.gql(CREATE, { input: schemeInput('修改测试') }, admin));
    expectError(await server.gql(UPDATE, { id: scheme.id, input: { totalPoints: '90' } }, admin), 'BAD_USER_INPUT', 'input.items');
    const input = schemeInput('x');
    const items = [...input.items.slice(0, 3), input.items[5]!];
    items[0] = { ...items[0]!, maxPoints: '25' };
    // The veto's cap must stay within the new total.
    expectError(
      await server.gql(UPDATE, { id: scheme.id, input: { totalPoints: '55', items } }, admin),
      'BAD_USER_INPUT',
      'input.items[3].rule.cap',
    );
    items[3] = { ...items[3]!, rule: { kind: 'VETO', threshold: '1', cap: '30' } };
    const { updateAssessmentScheme: updated } = expectOk(
      await server.gql(UPDATE, { id: scheme.id, input: { name: '修改后', totalPoints: '55', items } }, admin),
    );
    expect(updated).toMatchObject({ name: '修改后', totalPoints: '55.00' });
    expect(updated.items.map((i: any) => i.name)).toEqual(['会议次数', '党员规模', '预备党员（扣分）', '严重违纪（一票否决）']);
  });

  it('refuses every change to a published scheme with ILLEGAL_STATE, and deletes only drafts', async () => {
    const { createAssessmentScheme: scheme } = expectOk(await server.gql(CREATE, { input: schemeInput('发布后不可改') }, admin));
    const draft = expectOk(await server.gql(CREATE, { input: schemeInput('草稿可删') }, admin)).createAssessmentScheme;
    const del = `mutation ($id: ID!) { deleteAssessmentScheme(id: $id) }`;
    expect(expectOk(await server.gql(del, { id: draft.id }, admin)).deleteAssessmentScheme).toBe(draft.id);
    expect(await server.db.client.assessmentScheme.count({ where: { name: '草稿可删' } })).toBe(0);
    expectOk(await server.gql(PUBLISH, { id: scheme.id }, admin));
    expectError(await server.gql(UPDATE, { id: scheme.id, input: { name: '改' } }, admin), 'ILLEGAL_STATE');
    expectError(await server.gql(PUBLISH, { id: scheme.id }, admin), 'ILLEGAL_STATE');
    expectError(await server.gql(del, { id: scheme.id }, admin), 'ILLEGAL_STATE');
    const manual = scheme.items.find((i: any) => i.source === 'MANUAL');
    expectError(
      await server.gql(
        SET_MANUAL,
        { input: { schemeId: scheme.id, itemId: manual.id, organizationId: org['SZJGGW-MZJ-BGS']!.gid, value: '20', reason: '迟到' } },
        admin,
      ),
      'ILLEGAL_STATE',
    );
  });

  it('records an activity for every change', async () => {
    const kinds = (
      await server.db.client.activity.findMany({ where: { kind: { startsWith: 'assessment.' } }, select: { kind: true } })
    ).map((a) => a.kind);
    for (const kind of ['assessment.schemeCreated', 'assessment.schemeUpdated', 'assessment.schemeDeleted', 'assessment.schemePublished'])
      expect(kinds).toContain(kind);
  });
});

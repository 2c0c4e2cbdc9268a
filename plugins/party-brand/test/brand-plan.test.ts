import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, nextResults, orgId, startTestServer, type TestServer } from '@dangjian/testing';
import { partyBrandPlugin } from '../src/index.ts';
import { brandClient, errorOf, idOf } from './helpers.ts';

const YEAR = new Date().getUTCFullYear();
const STATES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED', 'CULTIVATING', 'MODEL', 'REVOKED'];
const PLAN_TYPES = ['Brand', 'BrandPlan', 'BrandTransition', 'BrandEvaluation', 'BrandState', 'BrandPlanDashboard', 'BrandPlanGoal'];

const DASHBOARD = `query ($id: ID!, $under: ID) { brandPlan(id: $id) { name organization { code } dashboard(under: $under) {
  total byState { state count }
  years { year appliedGoal approvedGoal modelGoal applied approved model appliedRate }
  overall { year appliedGoal applied approved model approvedRate modelRate }
} } }`;

describe('party-brand: plans, dashboard, subtree visibility and per-department enablement', () => {
  let server: TestServer;
  let api: ReturnType<typeof brandClient>;
  let statements: string[] = [];
  let rootAdmin: string;
  let rootMember: string;
  let committeeAdmin: string; // 市民政局机关党委
  let kxAdmin: string; // 市科协机关党委
  let planId: string;
  let foreignPlanId: string; // a plan of another department
  const brands: Record<string, string> = {};

  /** Creates a brand for a branch and takes it through the steps, as its secretary and the root admin. */
  async function brandIn(code: string, steps: string[], planned = true): Promise<string> {
    const secretary = await server.token(code, ['SECRETARY']);
    const id = idOf(await api.create(secretary, code, { name: `${code}品牌`, ...(planned ? { planId } : {}) }), 'createBrand');
    for (const step of steps) {
      const result = await api.step(step === 'submitBrand' ? secretary : rootAdmin, step, id);
      expect(result.errors, `${code} ${step}`).toBeUndefined();
    }
    return id;
  }

  beforeAll(async () => {
    server = await startTestServer({ plugins: [partyBrandPlugin], onQuery: (sql) => statements.push(sql) });
    api = brandClient(server);
    rootAdmin = await server.token('SZJGGW', ['ADMIN']);
    rootMember = await server.token('SZJGGW', ['MEMBER']);
    committeeAdmin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN']);

    // A second department (another top-level working committee) with a plan of its own.
    const county = randomUUID();
    await server.db.client.organization.create({
      data: { id: county, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${county}/`, depth: 0 },
    });
    const countyPlan = await api.createPlan(await server.token('XZJGGW', ['ADMIN']), {
      organizationId: globalId('Organization', county),
      name: '县直品牌规划',
      startYear: YEAR,
      endYear: YEAR,
      goals: [{ year: YEAR, applied: 1, approved: 1, model: 0 }],
    });
    foreignPlanId = idOf(countyPlan, 'createBrandPlan');
  });
  afterAll(() => server?.close());

  it('creates a plan of a working committee with a goal for every year, as its ADMIN', async () => {
    const input = {
      organizationId: await orgId(server.db, 'SZJGGW'),
      name: '党建品牌三年行动计划',
      description: '三年创建一批、培育一批、示范一批',
      startYear: YEAR - 1,
      endYear: YEAR + 1,
      goals: [
        { year: YEAR + 1, applied: 2, approved: 3, model: 1 },
        { year: YEAR - 1, applied: 2, approved: 1, model: 0 },
        { year: YEAR, applied: 6, approved: 4, model: 2 },
      ],
    };
    expect(errorOf(await api.createPlan(rootMember, input))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.createPlan(committeeAdmin, input))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await api.createPlan(committeeAdmin, { ...input, organizationId: await orgId(server.db, 'SZJGGW-MZJ') }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.organizationId',
    });
    expect(errorOf(await api.createPlan(rootAdmin, { ...input, goals: input.goals.slice(1) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.goals',
    });
    expect(errorOf(await api.createPlan(rootAdmin, { ...input, endYear: YEAR - 2 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.endYear',
    });

    const created = await api.createPlan(rootAdmin, input);
    planId = idOf(created, 'createBrandPlan');
    expect(created.data.createBrandPlan.goals.map((g: { year: number }) => g.year)).toEqual([YEAR - 1, YEAR, YEAR + 1]);

    const updated = await server.gql(
      'mutation ($id: ID!) { updateBrandPlan(id: $id, input: { name: "品牌创建三年计划" }) { name } }',
      { id: planId },
      rootAdmin,
    );
    expect(updated.data.updateBrandPlan.name).toBe('品牌创建三年计划');
    expect(
      errorOf(
        await server.gql(
          'mutation ($id: ID!) { updateBrandPlan(id: $id, input: { name: "改" }) { name } }',
          { id: planId },
          committeeAdmin,
        ),
      ),
    ).toEqual({ code: 'FORBIDDEN' });
    expect(
      errorOf(
        await server.gql(
          'mutation ($id: ID!) { updateBrandPlan(id: $id, input: { name: "改" }) { name } }',
          { id: foreignPlanId },
          rootAdmin,
        ),
      ),
    ).toEqual({ code: 'NOT_FOUND' });
  });

  it('the dashboard counts brands by state and by the year each first reached a milestone, matching the data', async () => {
    brands.shjz = await brandIn('SZJGGW-MZJ-SHJZ', []);
    brands.bgs = await brandIn('SZJGGW-MZJ-BGS', ['submitBrand']);
    brands.ylfw = await brandIn('SZJGGW-MZJ-YLFW', ['submitBrand', 'approveBrand']);
    brands.shzz = await brandIn('SZJGGW-MZJ-SHZZ', ['submitBrand', 'approveBrand', 'revokeBrand']);
    brands.xhb = await brandIn('SZJGGW-KX-XHB', ['submitBrand', 'returnBrand', 'submitBrand', 'approveBrand', 'cultivateBrand']);
    brands.kpb = await brandIn('SZJGGW-KX-KPB', ['submitBrand', 'approveBrand', 'cultivateBrand', 'nameModelBrand']);
    brands.llc = await brandIn('SZJGGW-XCB-LLC', ['submitBrand', 'returnBrand']);
    brands.unplanned = await brandIn('SZJGGW-KX-BGS', ['submitBrand'], false);
    // 科普部 applied and was approved last year.
    const kpb = await server.db.client.partyBrand.findFirstOrThrow({ where: { name: 'SZJGGW-KX-KPB品牌' } });
    await server.db.client.partyBrandTransition.updateMany({
      where: { brandId: kpb.id, to: { in: ['SUBMITTED', 'APPROVED'] } },
      data: { at: new Date(Date.UTC(YEAR - 1, 10, 1)) },
    });

    const { data, errors } = await server.gql(DASHBOARD, { id: planId }, rootMember);
    expect(errors).toBeUndefined();
    const dashboard = data.brandPlan.dashboard;
    expect(dashboard.total).toBe(7);
    expect(dashboard.byState).toEqual(STATES.map((state) => ({ state, count: 1 })));
    expect(dashboard.years).toEqual([
      { year: YEAR - 1, appliedGoal: 2, approvedGoal: 1, modelGoal: 0, applied: 1, approved: 1, model: 0, appliedRate: 0.5 },
      // The returned-and-resubmitted 学会部 brand counts once.
      { year: YEAR, appliedGoal: 6, approvedGoal: 4, modelGoal: 2, applied: 5, approved: 3, model: 1, appliedRate: 0.8333 },
      { year: YEAR + 1, appliedGoal: 2, approvedGoal: 3, modelGoal: 1, applied: 0, approved: 0, model: 0, appliedRate: 0 },
    ]);
    expect(dashboard.overall).toEqual({
      year: null,
      appliedGoal: 10,
      applied: 6,
      approved: 4,
      model: 1,
      approvedRate: 0.5,
      modelRate: 0.3333,
    });

    // The same figures straight from the tables.
    const plan = await server.db.client.partyBrandPlan.findFirstOrThrow({ where: { name: '品牌创建三年计划' } });
    const rows = await server.db.client.partyBrand.findMany({ where: { planId: plan.id }, include: { transitions: true } });
    expect(rows.length).toBe(dashboard.total);
    for (const { state, count } of dashboard.byState) expect(rows.filter((r) => r.state === state).length).toBe(count);
    const firstYear = (r: (typeof rows)[number], to: string) => {
      const times = r.transitions.filter((t) => t.to === to).map((t) => t.at.getTime());
      return times.length ? new Date(Math.min(...times)).getUTCFullYear() : null;
    };
    for (const line of dashboard.years) {
      expect(rows.filter((r) => firstYear(r, 'SUBMITTED') === line.year).length).toBe(line.applied);
      expect(rows.filter((r) => firstYear(r, 'APPROVED') === line.year).length).toBe(line.approved);
      expect(rows.filter((r) => firstYear(r, 'MODEL') === line.year).length).toBe(line.model);
    }

    // Counted over a subtree: 市民政局 only.
    const mzj = await server.gql(DASHBOARD, { id: planId, under: await orgId(server.db, 'SZJGGW-MZJ') }, rootMember);
    expect(mzj.data.brandPlan.dashboard.total).toBe(4);
    expect(
      mzj.data.brandPlan.dashboard.byState.filter((s: { count: number }) => s.count > 0).map((s: { state: string }) => s.state),
    ).toEqual(['DRAFT', 'SUBMITTED', 'APPROVED', 'REVOKED']);
  });

  it('a branch reads its committee’s plan, counted over its own subtree only; other departments’ plans do not exist for it', async () => {
    const branch = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY']);
    const { data } = await server.gql(DASHBOARD, { id: planId }, branch);
    expect(data.brandPlan.name).toBe('品牌创建三年计划');
    expect(data.brandPlan.organization).toBeNull();
    expect(data.brandPlan.dashboard.total).toBe(1);
    expect(data.brandPlan.dashboard.byState.find((s: { state: string }) => s.state === 'SUBMITTED').count).toBe(1);

    const plans = await server.gql('{ brandPlans { totalCount edges { node { name } } } }', {}, branch);
    expect(plans.data.brandPlans).toEqual({ totalCount: 1, edges: [{ node: { name: '品牌创建三年计划' } }] });
    expect((await server.gql(`{ brandPlans(year: ${YEAR + 5}) { totalCount } }`, {}, rootAdmin)).data.brandPlans.totalCount).toBe(0);
    expect(
      (await server.gql('query ($id: ID!) { brandPlan(id: $id) { name } node(id: $id) { id } }', { id: foreignPlanId }, rootAdmin)).data,
    ).toEqual({ brandPlan: null, node: null });
    // A brand cannot be put under another department's plan: the plan reads as unknown.
    const shjz = await server.token('SZJGGW-MZJ-SHJZ', ['SECRETARY']);
    expect(errorOf(await api.update(shjz, brands.shjz!, { planId: foreignPlanId }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.planId',
    });
  });

  it('answers for brands outside the subtree exactly as for missing ones, through every path', async () => {
    const mzjBrand = brands.ylfw!;
    const read = await server.gql('query ($id: ID!) { brand(id: $id) { name } node(id: $id) { id } }', { id: mzjBrand }, kxAdmin);
    expect(read.data).toEqual({ brand: null, node: null });
    expect(
      (
        await server.gql(
          'query ($id: ID!) { node(id: $id) { ... on Brand { name organization { code } } } }',
          { id: mzjBrand },
          committeeAdmin,
        )
      ).data.node,
    ).toEqual({
      name: 'SZJGGW-MZJ-YLFW品牌',
      organization: { code: 'SZJGGW-MZJ-YLFW' },
    });
    const kxList = await server.gql('{ brands { totalCount edges { node { organization { code } } } } }', {}, kxAdmin);
    expect(kxList.data.brands.totalCount).toBe(3);
    expect(
      kxList.data.brands.edges.every((e: { node: { organization: { code: string } } }) => e.node.organization.code.startsWith('SZJGGW-KX')),
    ).toBe(true);
    const foreign = await server.gql(
      'query ($u: ID) { brands(filter: { under: $u }) { totalCount } }',
      { u: await orgId(server.db, 'SZJGGW-MZJ') },
      kxAdmin,
    );
    expect(errorOf(foreign)).toEqual({ code: 'NOT_FOUND' });
    // The dashboard of a plan seen from 市科协 counts 市科协's brands only.
    expect((await server.gql(DASHBOARD, { id: planId }, kxAdmin)).data.brandPlan.dashboard.total).toBe(2);

    const filtered = await server.gql(
      'query ($p: ID) { byPlan: brands(filter: { plan: $p, state: [APPROVED, CULTIVATING] }) { totalCount } search: brands(filter: { search: "kx-kpb" }) { edges { node { state } } } }',
      { p: planId },
      rootAdmin,
    );
    expect(filtered.data.byPlan.totalCount).toBe(2);
    expect(filtered.data.search.edges).toEqual([{ node: { state: 'MODEL' } }]);
  });

  it('lists organizations of a subtree still without a brand, and each organization’s current brand', async () => {
    const under = await orgId(server.db, 'SZJGGW-MZJ');
    const q =
      'query ($u: ID, $k: [OrganizationKind!]) { organizationsWithoutBrand(under: $u, kinds: $k) { totalCount edges { node { code currentBrand { name } } } } }';
    const all = await server.gql(q, { u: under }, rootMember);
    // 社会组织管理局's brand was revoked; the 机关党委 itself never had one; 党小组 hold no brands.
    expect(all.data.organizationsWithoutBrand).toEqual({
      totalCount: 2,
      edges: [{ node: { code: 'SZJGGW-MZJ', currentBrand: null } }, { node: { code: 'SZJGGW-MZJ-SHZZ', currentBrand: null } }],
    });
    const branches = await server.gql(q, { u: under, k: ['BRANCH'] }, rootMember);
    expect(branches.data.organizationsWithoutBrand.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['SZJGGW-MZJ-SHZZ']);
    expect(errorOf(await server.gql(q, { u: under }, kxAdmin))).toEqual({ code: 'NOT_FOUND' });

    const current = await server.gql(
      'query ($id: ID!) { organization(id: $id) { currentBrand { name state } } }',
      { id: await orgId(server.db, 'SZJGGW-MZJ-YLFW') },
      rootMember,
    );
    expect(current.data.organization.currentBrand).toEqual({ name: 'SZJGGW-MZJ-YLFW品牌', state: 'APPROVED' });
  });

  it('does not grow the number of SQL statements with the brands listed', async () => {
    const query = `query ($u: ID) { brands(first: 50, filter: { under: $u }) { totalCount edges { node {
      name organization { name currentBrand { name } parent { name } secretary { post member { name } } } plan { name goals { year } dashboard { total } }
      history { to } evaluations { year } evaluationSummary { count average { overall } direction }
    } } } }`;
    const countFor = async (code: string) => {
      const under = await orgId(server.db, code);
      statements = [];
      const result = await server.gql(query, { u: under }, rootAdmin);
      expect(result.errors).toBeUndefined();
      return { statements, brands: result.data.brands.totalCount as number };
    };
    const small = await countFor('SZJGGW-XCB');
    const large = await countFor('SZJGGW');
    expect(small.brands).toBe(1);
    expect(large.brands).toBe(8);
    expect(large.statements.length, large.statements.join('\n')).toBe(small.statements.length);
  });

  it('disabled for the department, all of it disappears — types, fields, events, subscriptions — and comes back unchanged', async () => {
    const setEnabled = (enabled: boolean) =>
      server.gql(
        'mutation ($e: Boolean!) { setPluginEnabled(pluginId: "party-brand", enabled: $e) { id enabled } }',
        { e: enabled },
        rootAdmin,
      );
    const types = async (token: string) =>
      ((await server.gql('{ __schema { types { name } } }', {}, token)).data.__schema.types as { name: string }[]).map((t) => t.name);
    const kinds =
      '["party-brand.submitted", "party-brand.approved", "party-brand.returned", "party-brand.namedModel", "party-brand.revoked"]';
    const feedCount = async () =>
      (await server.gql(`{ activities(kinds: ${kinds}) { totalCount } }`, {}, rootAdmin)).data.activities.totalCount as number;
    const before = await feedCount();
    expect(before).toBeGreaterThan(0);

    expect(
      errorOf(await server.gql('mutation { setPluginEnabled(pluginId: "party-brand", enabled: false) { id } }', {}, committeeAdmin)),
    ).toEqual({ code: 'FORBIDDEN' });
    const ws = server.ws(rootMember);
    const open = nextResults(ws, 'subscription { brandStatusChanged { to } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await setEnabled(false)).data.setPluginEnabled).toEqual({ id: 'party-brand', enabled: false });

    const [ended] = await open.done;
    expect(ended?.errors?.[0]?.extensions?.code).toBe('PLUGIN_DISABLED');
    const hidden = await types(rootMember);
    for (const name of PLAN_TYPES) expect(hidden).not.toContain(name);
    expect(errorOf(await server.gql('{ brands { totalCount } }', {}, rootMember))).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(errorOf(await server.gql('{ organizations(first: 1) { edges { node { currentBrand { name } } } } }', {}, rootMember))).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(await feedCount()).toBe(0);
    // A brand's global ID answers like any object the viewer cannot see, not with an error.
    const brandId = Buffer.from(`Brand:${(await server.db.client.partyBrand.findFirstOrThrow()).id}`).toString('base64');
    const byNode = await server.gql('query ($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }', { id: brandId }, rootMember);
    expect(byNode).toEqual({ data: { node: null, nodes: [null] } });
    // Another department keeps the plugin.
    expect(await types(await server.token('XZJGGW', ['MEMBER']))).toContain('Brand');

    await setEnabled(true);
    const shown = await types(rootMember);
    for (const name of PLAN_TYPES) expect(shown).toContain(name);
    expect(await feedCount()).toBe(before);
    expect((await server.gql('{ brands { totalCount } }', {}, rootMember)).data.brands.totalCount).toBe(8);
  });
});

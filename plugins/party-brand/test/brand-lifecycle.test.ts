import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, orgId, startTestServer, type TestServer } from '@dangjian/testing';
import { partyBrandPlugin } from '../src/index.ts';
import { brandClient, errorOf, idOf, STEPS } from './helpers.ts';

const YEAR = new Date().getUTCFullYear();

describe('party-brand: a brand through every state, with the roles allowed and forbidden', () => {
  let server: TestServer;
  let api: ReturnType<typeof brandClient>;
  // 社会救助处党支部 (a branch of 市民政局) and the people around it.
  let branchSecretary: string;
  let branchAdmin: string;
  let branchMember: string;
  let siblingAdmin: string; // 办公室党支部 of the same agency: a sibling, sees nothing of SHJZ
  let committeeAdmin: string; // 市民政局机关党委: the committee above
  let committeeSecretary: string;
  let committeeMember: string;
  let otherCommitteeAdmin: string; // 市科协机关党委: another agency
  let rootAdmin: string;
  let planId: string;

  beforeAll(async () => {
    server = await startTestServer({ plugins: [partyBrandPlugin] });
    api = brandClient(server);
    branchSecretary = await server.token('SZJGGW-MZJ-SHJZ', ['SECRETARY'], 'shjz-secretary');
    branchAdmin = await server.token('SZJGGW-MZJ-SHJZ', ['ADMIN'], 'shjz-admin');
    branchMember = await server.token('SZJGGW-MZJ-SHJZ', ['MEMBER']);
    siblingAdmin = await server.token('SZJGGW-MZJ-BGS', ['ADMIN']);
    committeeAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    committeeSecretary = await server.token('SZJGGW-MZJ', ['SECRETARY']);
    committeeMember = await server.token('SZJGGW-MZJ', ['MEMBER']);
    otherCommitteeAdmin = await server.token('SZJGGW-KX', ['ADMIN']);
    rootAdmin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    const plan = await api.createPlan(rootAdmin, {
      organizationId: await orgId(server.db, 'SZJGGW'),
      name: '党建品牌三年行动计划',
      startYear: YEAR - 1,
      endYear: YEAR + 1,
      goals: [YEAR - 1, YEAR, YEAR + 1].map((year) => ({ year, applied: 5, approved: 3, model: 1 })),
    });
    planId = idOf(plan, 'createBrandPlan');
  });
  afterAll(() => server?.close());

  /** Tries every step not in `legal` with a token allowed to take it, expecting ILLEGAL_STATE naming `state`. */
  async function expectOnlyLegal(brandId: string, state: string, legal: readonly string[]) {
    for (const step of STEPS.filter((s) => !legal.includes(s))) {
      const token = step === 'submitBrand' ? branchSecretary : committeeAdmin;
      expect({ step, ...errorOf(await api.step(token, step, brandId)) }).toEqual({ step, code: 'ILLEGAL_STATE', state });
    }
  }

  it('creates a draft only for the organization one acts for, as its SECRETARY or ADMIN', async () => {
    expect(errorOf(await api.create(branchMember, 'SZJGGW-MZJ-SHJZ'))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.create(committeeAdmin, 'SZJGGW-MZJ-SHJZ'))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.create(otherCommitteeAdmin, 'SZJGGW-MZJ-SHJZ'))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await api.create(branchSecretary, 'SZJGGW-MZJ-SHJZ', { business: '科技' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.business',
    });
    expect(errorOf(await api.create(branchSecretary, 'SZJGGW-MZJ-SHJZ', { name: ' ' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    // A party group holds no brand; nor does the top working committee (nobody above it reviews).
    const group = await server.token('SZJGGW-MZJ-YLFW-G1', ['SECRETARY']);
    expect(errorOf(await api.create(group, 'SZJGGW-MZJ-YLFW-G1'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });

    const created = await api.create(branchSecretary, 'SZJGGW-MZJ-SHJZ', {
      name: '救在身边',
      slogan: '民有所呼，我有所应',
      business: '党建＋社会救助',
      planId,
    });
    expect(created.errors).toBeUndefined();
    expect(created.data.createBrand).toMatchObject({
      name: '救在身边',
      state: 'DRAFT',
      business: '党建+社会救助',
      organization: { code: 'SZJGGW-MZJ-SHJZ' },
      plan: { name: '党建品牌三年行动计划' },
    });
  });

  it('keeps one brand per organization (一个支部一个品牌)', async () => {
    expect(errorOf(await api.create(branchAdmin, 'SZJGGW-MZJ-SHJZ'))).toEqual({ code: 'CONFLICT', field: 'input.organizationId' });
    expect(await server.db.client.partyBrand.count({ where: { name: 'SZJGGW-MZJ-SHJZ品牌' } })).toBe(0);
  });

  it('walks DRAFT → SUBMITTED → RETURNED → SUBMITTED → APPROVED → CULTIVATING → MODEL → REVOKED, refusing every other step on the way', async () => {
    const brand = await server.db.client.partyBrand.findFirstOrThrow({ where: { name: '救在身边' } });
    const id = Buffer.from(`Brand:${brand.id}`).toString('base64');

    // DRAFT
    await expectOnlyLegal(id, 'DRAFT', ['submitBrand']);
    expect(errorOf(await api.step(committeeAdmin, 'submitBrand', id))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.step(branchMember, 'submitBrand', id))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.step(siblingAdmin, 'submitBrand', id))).toEqual({ code: 'NOT_FOUND' });
    expect((await api.update(branchAdmin, id, { slogan: '民有所呼 我有所应' })).data.updateBrand.slogan).toBe('民有所呼 我有所应');
    expect((await api.step(branchSecretary, 'submitBrand', id, '请审核')).data.submitBrand.state).toBe('SUBMITTED');

    // SUBMITTED: only the committee above decides; the branch can no longer edit.
    await expectOnlyLegal(id, 'SUBMITTED', ['approveBrand', 'returnBrand']);
    expect(errorOf(await api.update(branchSecretary, id, { name: '改名' }))).toEqual({ code: 'ILLEGAL_STATE', state: 'SUBMITTED' });
    for (const token of [branchAdmin, committeeSecretary, committeeMember]) {
      expect(errorOf(await api.step(token, 'approveBrand', id))).toEqual({ code: 'FORBIDDEN' });
      expect(errorOf(await api.step(token, 'returnBrand', id))).toEqual({ code: 'FORBIDDEN' });
    }
    expect(errorOf(await api.step(otherCommitteeAdmin, 'approveBrand', id))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await api.step(committeeAdmin, 'returnBrand', id, '  '))).toEqual({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect((await api.step(committeeAdmin, 'returnBrand', id, '举措不够具体')).data.returnBrand.state).toBe('RETURNED');

    // RETURNED: the branch revises and resubmits.
    await expectOnlyLegal(id, 'RETURNED', ['submitBrand']);
    expect((await api.update(branchSecretary, id, { business: '党建+救助' })).data.updateBrand.business).toBe('党建+救助');
    expect((await api.step(branchSecretary, 'submitBrand', id, '已修改')).data.submitBrand.state).toBe('SUBMITTED');

    // The working committee at the top is also above the branch.
    expect((await api.step(rootAdmin, 'approveBrand', id, '同意认定')).data.approveBrand.state).toBe('APPROVED');

    await expectOnlyLegal(id, 'APPROVED', ['cultivateBrand', 'revokeBrand']);
    expect(errorOf(await api.update(branchSecretary, id, { name: '改名' }))).toEqual({ code: 'ILLEGAL_STATE', state: 'APPROVED' });
    expect(errorOf(await api.step(branchAdmin, 'cultivateBrand', id))).toEqual({ code: 'FORBIDDEN' });
    expect((await api.step(committeeAdmin, 'cultivateBrand', id)).data.cultivateBrand.state).toBe('CULTIVATING');

    await expectOnlyLegal(id, 'CULTIVATING', ['nameModelBrand', 'revokeBrand']);
    expect(errorOf(await api.step(committeeSecretary, 'nameModelBrand', id))).toEqual({ code: 'FORBIDDEN' });
    expect((await api.step(committeeAdmin, 'nameModelBrand', id, '命名为示范品牌')).data.nameModelBrand.state).toBe('MODEL');

    await expectOnlyLegal(id, 'MODEL', ['revokeBrand']);
    expect(errorOf(await api.step(branchAdmin, 'revokeBrand', id))).toEqual({ code: 'FORBIDDEN' });
    expect((await api.step(committeeAdmin, 'revokeBrand', id, '创建工作停滞')).data.revokeBrand.state).toBe('REVOKED');

    await expectOnlyLegal(id, 'REVOKED', []);

    const { data } = await server.gql(
      'query ($id: ID!) { brand(id: $id) { state history { from to actorId comment } } }',
      { id },
      branchMember,
    );
    expect(data.brand.history).toEqual([
      { from: null, to: 'DRAFT', actorId: 'shjz-secretary', comment: null },
      { from: 'DRAFT', to: 'SUBMITTED', actorId: 'shjz-secretary', comment: '请审核' },
      { from: 'SUBMITTED', to: 'RETURNED', actorId: 'mzj-admin', comment: '举措不够具体' },
      { from: 'RETURNED', to: 'SUBMITTED', actorId: 'shjz-secretary', comment: '已修改' },
      { from: 'SUBMITTED', to: 'APPROVED', actorId: 'root-admin', comment: '同意认定' },
      { from: 'APPROVED', to: 'CULTIVATING', actorId: 'mzj-admin', comment: null },
      { from: 'CULTIVATING', to: 'MODEL', actorId: 'mzj-admin', comment: '命名为示范品牌' },
      { from: 'MODEL', to: 'REVOKED', actorId: 'mzj-admin', comment: '创建工作停滞' },
    ]);

    // Each reported step is an activity on the branch, visible in the committee's feed.
    const feed = await server.gql(
      '{ activities(kinds: ["party-brand.submitted", "party-brand.approved", "party-brand.returned", "party-brand.namedModel", "party-brand.revoked"]) { totalCount edges { node { kind subjectId summary } } } }',
      {},
      committeeMember,
    );
    expect(feed.data.activities.edges.map((e: { node: { kind: string } }) => e.node.kind).reverse()).toEqual([
      'party-brand.submitted',
      'party-brand.returned',
      'party-brand.submitted',
      'party-brand.approved',
      'party-brand.namedModel',
      'party-brand.revoked',
    ]);
    expect(feed.data.activities.edges.every((e: { node: { subjectId: string } }) => e.node.subjectId === id)).toBe(true);
    expect(feed.data.activities.edges[0].node.summary).toContain('救在身边');
  });

  it('revokes from APPROVED and CULTIVATING too, and frees the organization for a new brand', async () => {
    const bgsSecretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY']);
    const approved = idOf(await api.create(bgsSecretary, 'SZJGGW-MZJ-BGS'), 'createBrand');
    await api.step(bgsSecretary, 'submitBrand', approved);
    await api.step(committeeAdmin, 'approveBrand', approved);
    expect((await api.step(committeeAdmin, 'revokeBrand', approved, '不再开展')).data.revokeBrand.state).toBe('REVOKED');

    const ylfwSecretary = await server.token('SZJGGW-MZJ-YLFW', ['SECRETARY']);
    const cultivating = idOf(await api.create(ylfwSecretary, 'SZJGGW-MZJ-YLFW'), 'createBrand');
    await api.step(ylfwSecretary, 'submitBrand', cultivating);
    await api.step(committeeAdmin, 'approveBrand', cultivating);
    await api.step(committeeAdmin, 'cultivateBrand', cultivating);
    expect((await api.step(committeeAdmin, 'revokeBrand', cultivating, '不再开展')).data.revokeBrand.state).toBe('REVOKED');

    // The branch whose brand was revoked may start another.
    expect((await api.create(branchSecretary, 'SZJGGW-MZJ-SHJZ', { name: '救助暖心' })).data.createBrand.state).toBe('DRAFT');
  });

  it('refuses to resubmit a returned brand once the organization holds another one', async () => {
    const secretary = await server.token('SZJGGW-MZJ-SHZZ', ['SECRETARY']);
    const first = idOf(await api.create(secretary, 'SZJGGW-MZJ-SHZZ', { name: '第一稿' }), 'createBrand');
    await api.step(secretary, 'submitBrand', first);
    await api.step(committeeAdmin, 'returnBrand', first, '重新设计');
    const second = idOf(await api.create(secretary, 'SZJGGW-MZJ-SHZZ', { name: '第二稿' }), 'createBrand');
    expect(errorOf(await api.step(secretary, 'submitBrand', first))).toEqual({ code: 'CONFLICT', field: 'id' });
    expect((await api.step(secretary, 'submitBrand', second)).data.submitBrand.state).toBe('SUBMITTED');
  });

  it('settles concurrent writes: one draft per organization, one decision per submission', async () => {
    const secretary = await server.token('SZJGGW-RSJ-BGS', ['SECRETARY']);
    const drafts = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => api.create(secretary, 'SZJGGW-RSJ-BGS', { name: `并发${n}` })));
    expect(drafts.filter((r) => !r.errors).length).toBe(1);
    expect(drafts.filter((r) => r.errors).map(errorOf)).toEqual(Array(7).fill({ code: 'CONFLICT', field: 'input.organizationId' }));
    const id = drafts.find((r) => !r.errors)!.data.createBrand.id as string;
    await api.step(secretary, 'submitBrand', id);
    const rsjAdmin = await server.token('SZJGGW-RSJ', ['ADMIN']);
    const [approve, reject] = await Promise.all([api.step(rsjAdmin, 'approveBrand', id), api.step(rootAdmin, 'returnBrand', id, '不同意')]);
    const outcomes = [approve, reject].map((r) => (r.errors ? errorOf(r) : 'ok'));
    expect(outcomes.filter((o) => o === 'ok').length).toBe(1);
    const refused = outcomes.find((o) => o !== 'ok') as { code: string; state: string };
    expect(refused.code).toBe('ILLEGAL_STATE');
    expect(['APPROVED', 'RETURNED']).toContain(refused.state);
    const history = await server.db.client.partyBrandTransition.count({ where: { brand: { name: { startsWith: '并发' } } } });
    expect(history).toBe(3);
  });

  it('a committee subscriber receives the approval; another agency’s subscriber does not', async () => {
    const kxSecretary = await server.token('SZJGGW-KX-XHB', ['SECRETARY']);
    const kxBrand = idOf(await api.create(kxSecretary, 'SZJGGW-KX-XHB', { name: '科普惠民' }), 'createBrand');
    const ylfwSecretary = await server.token('SZJGGW-MZJ-YLFW', ['SECRETARY']);
    const mzjBrand = idOf(await api.create(ylfwSecretary, 'SZJGGW-MZJ-YLFW', { name: '养老有我' }), 'createBrand');
    await api.step(ylfwSecretary, 'submitBrand', mzjBrand);
    await api.step(kxSecretary, 'submitBrand', kxBrand);

    const mzjWs = server.ws(committeeMember);
    const kxWs = server.ws(await server.token('SZJGGW-KX', ['MEMBER']));
    const mzjEvents = nextResults(
      mzjWs,
      'subscription { brandStatusChanged { from to actorId brand { id name state organization { code } } } }',
      {},
      1,
    );
    const kxEvents = nextResults(kxWs, 'subscription { brandStatusChanged { to brand { name } } }', {}, 1);
    // Outside one's subtree, `under` is as unknown as a missing organization.
    const foreign = nextResults(
      mzjWs,
      'subscription ($u: ID) { brandStatusChanged(under: $u) { to } }',
      { u: await orgId(server.db, 'SZJGGW-KX') },
      1,
    ).done;
    await expect(foreign).rejects.toThrow(/"code":"NOT_FOUND"/);
    await new Promise((r) => setTimeout(r, 300));

    expect((await api.step(committeeAdmin, 'approveBrand', mzjBrand, '同意')).errors).toBeUndefined();
    expect((await api.step(otherCommitteeAdmin, 'returnBrand', kxBrand, '再完善')).errors).toBeUndefined();

    const [event] = await mzjEvents.done;
    expect(event?.data?.brandStatusChanged).toEqual({
      from: 'SUBMITTED',
      to: 'APPROVED',
      actorId: 'mzj-admin',
      brand: { id: mzjBrand, name: '养老有我', state: 'APPROVED', organization: { code: 'SZJGGW-MZJ-YLFW' } },
    });
    // The 市科协 subscriber's first event is its own agency's return, not 民政局's approval.
    const [kx] = await kxEvents.done;
    expect(kx?.data?.brandStatusChanged).toEqual({ to: 'RETURNED', brand: { name: '科普惠民' } });
  });

  it('records yearly evaluations by the committee above, with average and trend', async () => {
    const ylfw = await server.db.client.partyBrand.findFirstOrThrow({ where: { name: '养老有我' } });
    const id = Buffer.from(`Brand:${ylfw.id}`).toString('base64');
    const scores = { integration: 80, innovation: 70, effect: 90, publicity: 60 };
    // The brand was approved this year; pretend it was two years ago so that earlier years can be scored.
    await server.db.client.partyBrandTransition.updateMany({
      where: { brandId: ylfw.id, to: 'APPROVED' },
      data: { at: new Date(Date.UTC(YEAR - 2, 5, 1)) },
    });

    expect(errorOf(await api.evaluate(await server.token('SZJGGW-MZJ-YLFW', ['ADMIN']), id, { year: YEAR, ...scores }))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(errorOf(await api.evaluate(branchAdmin, id, { year: YEAR, ...scores }))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await api.evaluate(committeeSecretary, id, { year: YEAR, ...scores }))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await api.evaluate(otherCommitteeAdmin, id, { year: YEAR, ...scores }))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await api.evaluate(committeeAdmin, id, { year: YEAR + 1, ...scores }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.year',
    });
    expect(errorOf(await api.evaluate(committeeAdmin, id, { year: YEAR - 3, ...scores }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.year',
    });
    expect(errorOf(await api.evaluate(committeeAdmin, id, { year: YEAR, ...scores, publicity: 101 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.publicity',
    });

    expect((await api.evaluate(committeeAdmin, id, { year: YEAR - 1, ...scores, comments: '起步良好' })).data.evaluateBrand).toEqual({
      year: YEAR - 1,
      overall: 75,
      comments: '起步良好',
    });
    expect(
      (await api.evaluate(rootAdmin, id, { year: YEAR, integration: 90, innovation: 80, effect: 95, publicity: 75 })).data.evaluateBrand
        .overall,
    ).toBe(85);
    expect(errorOf(await api.evaluate(committeeAdmin, id, { year: YEAR, ...scores }))).toEqual({ code: 'CONFLICT', field: 'input.year' });

    // A draft is not evaluated.
    const draft = await server.db.client.partyBrand.findFirstOrThrow({ where: { name: '救助暖心' } });
    const draftId = Buffer.from(`Brand:${draft.id}`).toString('base64');
    expect(errorOf(await api.evaluate(committeeAdmin, draftId, { year: YEAR, ...scores }))).toEqual({
      code: 'ILLEGAL_STATE',
      state: 'DRAFT',
    });

    const { data } = await server.gql(
      'query ($id: ID!) { brand(id: $id) { evaluations { year overall } evaluationSummary { count average { integration innovation effect publicity overall } trend { year score } change direction } } }',
      { id },
      committeeMember,
    );
    expect(data.brand.evaluations).toEqual([
      { year: YEAR - 1, overall: 75 },
      { year: YEAR, overall: 85 },
    ]);
    expect(data.brand.evaluationSummary).toEqual({
      count: 2,
      average: { integration: 85, innovation: 75, effect: 92.5, publicity: 67.5, overall: 80 },
      trend: [
        { year: YEAR - 1, score: 75 },
        { year: YEAR, score: 85 },
      ],
      change: 10,
      direction: 'RISING',
    });
  });
});

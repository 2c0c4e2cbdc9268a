import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { globalId, orgId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { dualCultivationPlugin } from '../src/index.ts';

/** A valid national ID born on `birth` (YYYYMMDD) with a sequence whose last digit gives the sex. */
const nationalId = (birth: string, seq: string) => `110105${birth}${seq}${nationalIdChecksum(`110105${birth}${seq}`)}`;

const FIELDS = `id stage stageSince isMember stages { stage date cultivator { name } }
  development { id step stage state probationEndsAt organization { code } member { id status } timeline { step date account } }`;
const REGISTER = `mutation ($input: RegisterTalentInput!) { registerTalent(input: $input) { id } }`;
const STEP = `mutation ($talentId: ID!, $input: RecordDevelopmentStepInput!) { recordTalentStep(talentId: $talentId, input: $input) { ${FIELDS} } }`;
const TALENT = `query ($id: ID!) { talent(id: $id) { ${FIELDS} } }`;

const rawId = (gid: string) => Buffer.from(gid, 'base64').toString().split(':')[1]!;
const day = (s: string) => new Date(`${s}T00:00:00Z`);

/**
 * Talents whose path was recorded before the procedure (TalentStageRecord rows written by the old
 * `advanceTalentStage`, here written directly as the data a deployment has) get a core development
 * record at the first step recorded on them, with their stages as the steps that begin them.
 */
describe('dual-cultivation: paths recorded before the procedure are migrated to development records', () => {
  let server: TestServer;
  let admin: string;
  let siblingAdmin: string;
  let shjz: string;
  let cultivator: { id: string; name: string };

  const step = (token: string, talentId: string, input: Record<string, unknown>) => server.gql(STEP, { talentId, input }, token);
  const ok = (r: GqlResult) => {
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.recordTalentStep;
  };

  /** A talent registered through the API whose stages are then stored as the old path stored them. */
  const legacyTalent = async (name: string, id: string | null, stages: [string, string][], memberId: string | null = null) => {
    const r = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name, trade: '种养', village: '东山村', ...(id ? { nationalId: id } : { gender: 'MALE' }) } },
      admin,
    );
    expect(r.errors).toBeUndefined();
    const talentId = rawId(r.data.registerTalent.id);
    const organizationId = rawId(shjz);
    await server.db.client.talentStageRecord.createMany({
      data: stages.map(([stage, date]) => ({
        talentId,
        stage: stage as 'APPLICANT',
        date: day(date),
        organizationId,
        cultivatorMemberId: stage === 'APPLICANT' ? null : cultivator.id,
      })),
    });
    const [lastStage, lastDate] = stages.at(-1)!;
    await server.db.client.talent.update({
      where: { id: talentId },
      data: { stage: lastStage as 'APPLICANT', stageSince: day(lastDate), memberId },
    });
    return r.data.registerTalent.id as string;
  };

  beforeAll(async () => {
    server = await startTestServer({ plugins: [dualCultivationPlugin] });
    admin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    siblingAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    shjz = await orgId(server.db, 'SZJGGW-MZJ-SHJZ');
    const full = await server.db.client.member.findFirstOrThrow({
      where: { status: 'FULL', joinedAt: { lt: new Date('2020-01-01') }, organization: { code: { startsWith: 'SZJGGW-MZJ-' } } },
      orderBy: { id: 'asc' },
    });
    cultivator = { id: full.id, name: full.name };
  });
  afterAll(() => server?.close());

  it('migrates an activist at the next step: known stages become steps 1 and 3, the rest stays unrecorded, and the rules then apply', async () => {
    const talentId = await legacyTalent('陈老种', nationalId('19800101', '011'), [
      ['APPLICANT', '2023-01-05'],
      ['ACTIVIST', '2023-03-01'],
    ]);
    // Before its next step the talent reads as it was: stage kept, no record yet.
    const before = (await server.gql(TALENT, { id: talentId }, admin)).data.talent;
    expect(before).toMatchObject({ stage: 'ACTIVIST', stageSince: '2023-03-01', development: null });

    const records = await server.db.client.developmentRecord.count();
    const moved = ok(await step(admin, talentId, { step: 4, date: '2023-03-10', account: '上级党委备案' }));
    expect(await server.db.client.developmentRecord.count()).toBe(records + 1);
    expect(moved).toMatchObject({
      stage: 'ACTIVIST',
      stageSince: '2023-03-01',
      development: { step: 4, stage: 'ACTIVIST', state: 'ACTIVE', organization: { code: 'SZJGGW-MZJ-SHJZ' }, member: null },
    });
    expect(moved.development.timeline.map((e: { step: number; date: string }) => `${e.step}@${e.date}`)).toEqual([
      '1@2023-01-05',
      '3@2023-03-01',
      '4@2023-03-10',
    ]);
    expect(moved.development.timeline[0].account).toContain('迁移自双培双带');
    expect(moved.development.timeline[1].account).toMatch(/迁移自双培双带.*未记录/);
    // The stages already recorded are kept, with their cultivator; none is duplicated.
    expect(moved.stages).toEqual([
      { stage: 'APPLICANT', date: '2023-01-05', cultivator: null },
      { stage: 'ACTIVIST', date: '2023-03-01', cultivator: { name: cultivator.name } },
    ]);
    // The national ID is sealed for the record's own column, not copied from the talent's ciphertext.
    const stored = await server.db.client.developmentRecord.findUniqueOrThrow({ where: { id: rawId(moved.development.id) } });
    expect(server.vault.decrypt(stored.nationalId, 'DevelopmentRecord.nationalId')).toBe(nationalId('19800101', '011'));

    ok(
      await step(admin, talentId, {
        step: 5,
        date: '2023-03-20',
        account: '培养联系人',
        people: [{ memberId: globalId('Member', cultivator.id) }],
      }),
    );
    ok(await step(admin, talentId, { step: 6, date: '2023-09-01', account: '半年考察' }));
    // The one-year activist interval counts from the migrated activist date.
    const early = await step(admin, talentId, { step: 7, date: '2024-02-29', account: '确定发展对象' });
    expect(early.errors?.[0]).toMatchObject({
      message: expect.stringContaining('2024-03-01'),
      extensions: { code: 'BAD_USER_INPUT', field: 'input.date' },
    });
    const target = ok(await step(admin, talentId, { step: 7, date: '2024-03-01', account: '确定发展对象' }));
    expect(target).toMatchObject({ stage: 'DEVELOPMENT_TARGET', stageSince: '2024-03-01', development: { step: 7 } });
    expect(target.stages.map((s: { stage: string }) => s.stage)).toEqual(['APPLICANT', 'ACTIVIST', 'DEVELOPMENT_TARGET']);
  });

  it('migrates a developed talent with its member: step 15 on the joining date, the probation year from it', async () => {
    const id = nationalId('19820202', '022');
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    const member = await server.db.client.member.create({
      data: {
        name: '刘已发展',
        gender: 'FEMALE',
        nationalId: server.vault.encrypt(id, 'Member.nationalId'),
        nationalIdHash: server.vault.lookupHash(id),
        status: 'PROBATIONARY',
        joinedAt: day('2025-06-15'),
        organizationId: branch.id,
      },
    });
    const talentId = await legacyTalent(
      '刘已发展',
      null,
      [
        ['APPLICANT', '2023-01-10'],
        ['ACTIVIST', '2023-03-01'],
        ['DEVELOPMENT_TARGET', '2024-03-01'],
        ['PROBATIONARY', '2025-06-15'],
      ],
      member.id,
    );
    // The talent's ID lived on the member only (the old path fixed it there); a record needs it on the talent.
    const refused = await step(admin, talentId, {
      step: 16,
      date: '2025-06-25',
      account: '谈话',
      people: [{ memberId: globalId('Member', cultivator.id) }],
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'talentId' });
    await server.db.client.talent.update({
      where: { id: rawId(talentId) },
      data: { nationalId: server.vault.encrypt(id, 'Talent.nationalId'), nationalIdHash: server.vault.lookupHash(id), gender: 'FEMALE' },
    });
    const moved = ok(
      await step(admin, talentId, {
        step: 16,
        date: '2025-06-25',
        account: '上级党委派人谈话',
        people: [{ memberId: globalId('Member', cultivator.id) }],
      }),
    );
    expect(moved).toMatchObject({
      stage: 'PROBATIONARY',
      isMember: true,
      development: {
        step: 16,
        stage: 'ACCEPTANCE',
        probationEndsAt: '2026-06-15',
        member: { id: globalId('Member', member.id), status: 'PROBATIONARY' },
      },
    });
    expect(moved.development.timeline.map((e: { step: number }) => e.step)).toEqual([1, 3, 7, 15, 16]);
  });

  it('shows a sibling department nothing of migrated talents or their records', async () => {
    const { data } = await server.gql('{ talents(filter: { search: "陈老种" }) { edges { node { id development { id } } } } }', {}, admin);
    const { id, development } = data.talents.edges[0].node;
    const sibling = await server.gql(
      'query ($t: ID!, $r: ID!) { talent(id: $t) { id } node(id: $r) { id } developmentRecord(id: $r) { id } talents { totalCount } }',
      { t: id, r: development.id },
      siblingAdmin,
    );
    expect(sibling.errors).toBeUndefined();
    expect(sibling.data).toEqual({ talent: null, node: null, developmentRecord: null, talents: { totalCount: 0 } });
    const write = await step(siblingAdmin, id, { step: 8, date: '2024-03-05', account: '备案' });
    expect(write.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

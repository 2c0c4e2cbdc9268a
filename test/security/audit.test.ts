import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '@dangjian/core';
import {
  dropPostgresSchema,
  migrateDeploy,
  nationalIdChecksum,
  openDatabase,
  projectMigrationPaths,
  type DatabaseOptions,
} from '@dangjian/db';
import { disciplinePlugin } from '@dangjian/plugin-discipline';
import { baseEnv, cliDatabaseEnv, runCli, startTestServer, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const REGISTER = `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;

function nationalId(serial: string): string {
  const first17 = `110101199206${serial.padStart(2, '0')}0${serial.slice(-1)}2`.slice(0, 17);
  return first17 + nationalIdChecksum(first17);
}

describe('security: audit trail (安全审计)', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let branch: { id: string; gid: string };

  beforeAll(async () => {
    server = await startTestServer({ plugins: [disciplinePlugin] });
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    branch = { id: org.id, gid: gid('Organization', org.id) };
  });
  afterAll(() => server?.close());

  const records = (operation: string) => server.db.client.auditRecord.findMany({ where: { operation }, orderBy: { seq: 'asc' } });

  it('appends who, where from, what, on what and the result of every mutation, with the request id of the response', async () => {
    const mzj = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secretary}` },
      body: JSON.stringify({
        query: REGISTER,
        variables: { input: { organizationId: branch.gid, name: '审计甲', nationalId: nationalId('11'), joinedAt: '2020-07-01' } },
      }),
    });
    const body = (await res.json()) as { data: { registerMember: { id: string } } };
    const memberId = Buffer.from(body.data.registerMember.id, 'base64').toString().split(':')[1];
    const [record] = await records('registerMember');
    expect(record).toMatchObject({
      userId: 'mzj-secretary',
      organizationId: mzj.id,
      operation: 'registerMember',
      target: `Member:${memberId}`,
      result: 'OK',
      requestId: res.headers.get('x-request-id'),
    });
    expect(record!.clientAddress).toMatch(/127\.0\.0\.1$/);
    // Inputs carry personal data; the audit keeps IDs and outcomes only.
    expect(JSON.stringify(record)).not.toContain(nationalId('11'));
  });

  it('records refused and failed mutations with the code the client received (they wrote nothing else)', async () => {
    const forbidden = await server.gql(
      REGISTER,
      { input: { organizationId: branch.gid, name: '审计乙', nationalId: nationalId('12'), joinedAt: '2020-07-01' } },
      reader,
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await server.gql(
      REGISTER,
      { input: { organizationId: branch.gid, name: '审计丙', nationalId: '110101199206120000', joinedAt: '2020-07-01' } },
      secretary,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.nationalId' });
    const results = (await records('registerMember')).map((r) => [r.userId, r.result]);
    expect(results).toEqual([
      ['mzj-secretary', 'OK'],
      ['mzj-reader', 'FORBIDDEN'],
      ['mzj-secretary', 'BAD_USER_INPUT'],
    ]);
    expect(await server.db.client.member.count({ where: { name: { in: ['审计乙', '审计丙'] } } })).toBe(0);
  });

  it('records a mutation written inside a named fragment like any other', async () => {
    const hidden = `mutation ($input: RegisterMemberInput!) { ...Register } fragment Register on Mutation { registerMember(input: $input) { id } }`;
    const before = (await records('registerMember')).length;
    const res = await server.gql(
      hidden,
      { input: { organizationId: branch.gid, name: '审计丁', nationalId: nationalId('13'), joinedAt: '2020-07-01' } },
      secretary,
    );
    expect(res.errors).toBeUndefined();
    const after = await records('registerMember');
    expect(after).toHaveLength(before + 1);
    const memberId = Buffer.from(res.data.registerMember.id, 'base64').toString().split(':')[1];
    expect(after.at(-1)).toMatchObject({ userId: 'mzj-secretary', target: `Member:${memberId}`, result: 'OK' });
  });

  it('records every clear read of a national ID and of a discipline clue, before the value is returned', async () => {
    const member = await server.db.client.member.findFirstOrThrow({ where: { organizationId: branch.id }, orderBy: { name: 'asc' } });
    const read = await server.gql(
      `query ($id: ID!) { member(id: $id) { nationalId(clear: true) } }`,
      { id: gid('Member', member.id) },
      secretary,
    );
    expect(read.data.member.nationalId).toMatch(/^\d{17}[\dX]$/);
    const [record] = await records('read:Member.nationalId');
    expect(record).toMatchObject({ userId: 'mzj-secretary', target: `Member:${member.id}`, result: 'OK', organizationId: branch.id });
    // The member's name is read for the activity even though the query did not ask for it.
    const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'member.personalDataRead', subjectId: member.id } });
    expect(activity.summary).toContain(member.name);

    const discipline = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], 'mzj-jw');
    const clue = await server.gql(
      `mutation ($input: RegisterClueInput!) { registerClue(input: $input) { id } }`,
      {
        input: {
          channel: 'PUBLIC',
          reporterName: '张群众',
          reporterContact: '13800000000',
          subjectMemberId: gid('Member', member.id),
          content: '反映问题',
          receivedAt: '2026-01-05',
        },
      },
      discipline,
    );
    const clueId = clue.data.registerClue.id as string;
    await server.gql(`query ($id: ID!) { clue(id: $id) { content } }`, { id: clueId }, discipline);
    const reads = await records('read:Clue');
    expect(reads.map((r) => [r.userId, r.target])).toContainEqual(['mzj-jw', Buffer.from(clueId, 'base64').toString()]);
  });

  it('chains every record to the one before it, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const report = await verifyAuditChain(server.db.client);
    expect(report.firstBroken).toBeNull();
    expect(report.checked).toBe(await server.db.client.auditRecord.count());
    expect(report.checked).toBeGreaterThanOrEqual(5);
    await expect(server.db.client.$executeRawUnsafe(`UPDATE "AuditRecord" SET result = 'OK' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(server.db.client.$executeRawUnsafe(`DELETE FROM "AuditRecord" WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(server.db.client.$executeRawUnsafe(`TRUNCATE "AuditRecord"`)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(server.db.client)).firstBroken).toBeNull();
  });
});

describe('security: `dangjian audit verify`', () => {
  let env: Record<string, string>;
  let options: DatabaseOptions;
  beforeAll(() => {
    env = baseEnv({ ...cliDatabaseEnv(), JWT_SECRET: 'audit-cli-secret-0123456789abcdefghij' });
    options = env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'embedded', dataDir: env.DANGJIAN_DATA_DIR! };
  });
  afterAll(async () => {
    if (env.DATABASE_URL) await dropPostgresSchema({ kind: 'postgres', url: env.DATABASE_URL });
  });

  const entry = (n: number) => ({
    userId: `u${n}`,
    organizationId: null,
    operation: 'registerMember',
    target: `Member:${n}`,
    result: 'OK',
    clientAddress: '10.0.0.1',
    requestId: `r${n}`,
  });

  it('reports an intact chain, then the first broken link after a record is altered behind the trigger’s back', async () => {
    const db = await openDatabase(options);
    try {
      await migrateDeploy(db, projectMigrationPaths);
      await appendAudit(db.client, [entry(1), entry(2)]);
      await appendAudit(db.client, [entry(3), entry(4), entry(5)]);
    } finally {
      await db.close();
    }
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.stdout).toContain('audit trail intact: 5 record(s) verified');
    expect(intact.code).toBe(0);

    // Someone with the power to disable triggers edits record 3: the chain shows it.
    const tamper = await openDatabase(options);
    try {
      await tamper.client.$executeRawUnsafe(`ALTER TABLE "AuditRecord" DISABLE TRIGGER "AuditRecord_no_update_or_delete"`);
      await tamper.client.$executeRawUnsafe(`UPDATE "AuditRecord" SET "userId" = 'someone-else' WHERE seq = 3`);
      await tamper.client.$executeRawUnsafe(`ALTER TABLE "AuditRecord" ENABLE TRIGGER "AuditRecord_no_update_or_delete"`);
    } finally {
      await tamper.close();
    }
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.stdout).toContain('audit trail broken at record 3: content does not match its hash');
    expect(broken.code).toBe(1);
  }, 240_000);
});

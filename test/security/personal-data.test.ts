import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemoDataset,
  dropPostgresSchema,
  generateKeyText,
  insertDataset,
  keyringFrom,
  migrateDeploy,
  nationalIdChecksum,
  openDatabase,
  PersonalDataVault,
  projectMigrationPaths,
  type DatabaseOptions,
} from '@dangjian/db';
import { baseEnv, cliDatabaseEnv, runCli, startTestServer, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const REGISTER = `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id nationalId nationalIdClear: nationalId(clear: true) } }`;
const CLEAR_ID = /^\d{17}[\dX]$/;

function nationalId(birth: string, serial: string): string {
  const first17 = `110101${birth}${serial}`;
  return first17 + nationalIdChecksum(first17);
}

describe('security: national IDs at rest (个人信息保护)', () => {
  let server: TestServer;
  let secretary: string;
  let branch: string;

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    branch = gid('Organization', org.id);
  });
  afterAll(() => server?.close());

  it('stores AES-256-GCM ciphertext with its key id: reading the column in SQL never shows an ID', async () => {
    const id = nationalId('19930412', '123');
    const created = await server.gql(
      REGISTER,
      { input: { organizationId: branch, name: '密文甲', nationalId: id, joinedAt: '2020-07-01' } },
      secretary,
    );
    expect(created.data.registerMember).toMatchObject({ nationalId: `1101**********${id.slice(-4)}`, nationalIdClear: id });
    const rawId = Buffer.from(created.data.registerMember.id, 'base64').toString().split(':')[1];
    const [row] = await server.db.client.$queryRawUnsafe<{ nationalId: string; nationalIdHash: string }[]>(
      `SELECT "nationalId", "nationalIdHash" FROM "Member" WHERE id = $1`,
      rawId,
    );
    expect(row!.nationalId).toMatch(/^v1\.test\.[\w-]{16}\.[\w-]+$/);
    expect(row!.nationalId).not.toContain(id.slice(6, 14));
    expect(row!.nationalIdHash).toMatch(/^[0-9a-f]{64}$/);
    // Every row, the seeded ones included: nothing that looks like an ID number, no row without its hash.
    const [counts] = await server.db.client.$queryRawUnsafe<{ clear: bigint; unhashed: bigint; total: bigint }[]>(
      `SELECT count(*) FILTER (WHERE "nationalId" ~ '\\d{17}[0-9X]') AS clear,
              count(*) FILTER (WHERE "nationalId" IS NOT NULL AND "nationalIdHash" IS NULL) AS unhashed,
              count(*) AS total FROM "Member"`,
    );
    expect(Number(counts!.clear)).toBe(0);
    expect(Number(counts!.unhashed)).toBe(0);
    expect(Number(counts!.total)).toBeGreaterThan(100);
  });

  it('finds duplicates through the keyed hash, however the ID is typed', async () => {
    const id = nationalId('19851230', '457');
    const first = await server.gql(
      REGISTER,
      { input: { organizationId: branch, name: '密文乙', nationalId: id, joinedAt: '2010-07-01' } },
      secretary,
    );
    expect(first.errors).toBeUndefined();
    const again = await server.gql(
      REGISTER,
      { input: { organizationId: branch, name: '密文丙', nationalId: ` ${id.toLowerCase()} `.trim(), joinedAt: '2010-07-01' } },
      secretary,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.nationalId' });
  });

  it('refuses a value altered in the database (GCM authentication) with a masked error, not garbage', async () => {
    const member = await server.db.client.member.findFirstOrThrow({ where: { name: '密文甲' } });
    const parts = member.nationalId!.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    await server.db.client.member.update({
      where: { id: member.id },
      data: { nationalId: [...parts.slice(0, 3), body.toString('base64url')].join('.') },
    });
    const read = await server.gql(`query ($id: ID!) { member(id: $id) { name nationalId } }`, { id: gid('Member', member.id) }, secretary);
    expect(read.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(read.errors?.[0]?.message).toBe('Unexpected error.');
    expect(read.data.member).toEqual({ name: '密文甲', nationalId: null });
  });
});

describe('security: `dangjian keys rotate`', () => {
  let env: Record<string, string>;
  let options: DatabaseOptions;
  beforeAll(() => {
    env = baseEnv({ ...cliDatabaseEnv(), JWT_SECRET: 'keys-cli-secret-0123456789abcdefghijk' });
    options = env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'embedded', dataDir: env.DANGJIAN_DATA_DIR! };
  });
  afterAll(async () => {
    if (env.DATABASE_URL) await dropPostgresSchema({ kind: 'postgres', url: env.DATABASE_URL });
  });

  it('re-encrypts every value with the new key, keeps the lookup hashes, and is idempotent', async () => {
    const old = generateKeyText('k2025');
    const fresh = generateKeyText('k2026');
    const oldVault = new PersonalDataVault(keyringFrom(old.dataKeys, old.lookupKey));
    const dataset = buildDemoDataset({ today: new Date() });
    const db = await openDatabase(options);
    let before: Map<string, { clear: string; hash: string | null }>;
    try {
      await migrateDeploy(db, projectMigrationPaths);
      await insertDataset(db.client, dataset, oldVault);
      // A webhook secret written before secrets were encrypted (plain), and one under the old key.
      const roots = await db.client.organization.findMany({ where: { parentId: null }, select: { id: true }, take: 2 });
      await db.client.reminderSetting.create({ data: { organizationId: roots[0]!.id, webhookSecret: 'plain-secret-of-old-days' } });
      if (roots[1])
        await db.client.reminderSetting.create({
          data: {
            organizationId: roots[1].id,
            webhookSecret: oldVault.encrypt('secret-under-the-old-key', 'ReminderSetting.webhookSecret'),
          },
        });
      const rows = await db.client.member.findMany({ select: { id: true, nationalId: true, nationalIdHash: true } });
      before = new Map(rows.map((r) => [r.id, { clear: oldVault.decrypt(r.nationalId!, 'Member.nationalId'), hash: r.nationalIdHash }]));
    } finally {
      await db.close();
    }
    // The new key first, the old one kept for reading until the rotation has run.
    const rotateEnv = { ...env, DANGJIAN_DATA_KEYS: `${fresh.dataKeys},${old.dataKeys}`, DANGJIAN_LOOKUP_KEY: old.lookupKey };
    const rotated = await runCli(['keys', 'rotate'], rotateEnv);
    expect(rotated.stderr).toBe('');
    const secrets = await (async () => {
      const c = await openDatabase(options);
      try {
        return await c.client.reminderSetting.count({ where: { webhookSecret: { not: null } } });
      } finally {
        await c.close();
      }
    })();
    expect(rotated.stdout).toContain(
      `rotation to key "k2026" done: Member ${before.size}, Talent 0, ReminderSetting ${secrets} value(s) re-encrypted`,
    );
    expect(rotated.code).toBe(0);

    // Readable with the new key alone; same clear values, same hashes.
    const newOnly = new PersonalDataVault(keyringFrom(fresh.dataKeys, old.lookupKey));
    const check = await openDatabase(options);
    try {
      const rows = await check.client.member.findMany({ select: { id: true, nationalId: true, nationalIdHash: true } });
      expect(rows).toHaveLength(before.size);
      for (const row of rows) {
        expect(row.nationalId).toMatch(/^v1\.k2026\./);
        expect(newOnly.decrypt(row.nationalId!, 'Member.nationalId')).toBe(before.get(row.id)!.clear);
        expect(row.nationalIdHash).toBe(before.get(row.id)!.hash);
        expect(before.get(row.id)!.clear).toMatch(CLEAR_ID);
      }
      const stored = await check.client.reminderSetting.findMany({ select: { webhookSecret: true } });
      expect(stored.length).toBeGreaterThan(0);
      for (const row of stored) {
        expect(row.webhookSecret).toMatch(/^v1\.k2026\./);
        expect(['plain-secret-of-old-days', 'secret-under-the-old-key']).toContain(
          newOnly.decrypt(row.webhookSecret!, 'ReminderSetting.webhookSecret'),
        );
      }
    } finally {
      await check.close();
    }
    const again = await runCli(['keys', 'rotate'], rotateEnv);
    expect(again.stdout).toContain('Member 0, Talent 0, ReminderSetting 0 value(s) re-encrypted');
  }, 240_000);

  it('prints a usable key pair', async () => {
    const result = await runCli(['keys', 'generate', '--id', 'k2027'], baseEnv({}));
    expect(result.code).toBe(0);
    const dataKeys = /DANGJIAN_DATA_KEYS=(\S+)/.exec(result.stdout)![1]!;
    const lookup = /DANGJIAN_LOOKUP_KEY=(\S+)/.exec(result.stdout)![1]!;
    const vault = new PersonalDataVault(keyringFrom(dataKeys, lookup));
    expect(vault.currentKeyId).toBe('k2027');
    expect(vault.decrypt(vault.encrypt('11010119900307123X', 'Member.nationalId'), 'Member.nationalId')).toBe('11010119900307123X');
  }, 120_000);
});

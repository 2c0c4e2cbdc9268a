import { say } from '../cli-io.ts';
import { generateKeyText, openDatabase, PersonalDataVault, type PrismaClient } from '@dangjian/db';
import type { Config } from '../config.ts';
import { openVault } from '../personal-data.ts';

const BATCH = 500;

/** Counts of one table's rotation. */
export interface RotationCount {
  table: 'Member' | 'Talent' | 'ReminderSetting';
  rewritten: number;
}

/**
 * Re-encrypts every stored national ID not written with the current key (retired keys, and plain values
 * from before encryption) in batches, each batch one transaction, so an interrupted rotation resumes where
 * it stopped. The lookup hash is rewritten too (it does not change unless the value was plain).
 */
export async function rotateNationalIds(
  db: PrismaClient,
  vault: PersonalDataVault,
  log: (m: string) => void = () => {},
): Promise<RotationCount[]> {
  const current = `v1.${vault.currentKeyId}.`;
  const counts: RotationCount[] = [];
  for (const table of ['Member', 'Talent'] as const) {
    const field = `${table}.nationalId` as const;
    const model = (table === 'Member' ? db.member : db.talent) as unknown as {
      findMany(args: object): Promise<{ id: string; nationalId: string | null }[]>;
    };
    let rewritten = 0;
    for (;;) {
      const rows = await model.findMany({
        where: { nationalId: { not: null }, NOT: { nationalId: { startsWith: current } } },
        select: { id: true, nationalId: true },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      if (rows.length === 0) break;
      await db.$transaction(async (tx) => {
        for (const row of rows) {
          const stored = row.nationalId!;
          const clear = PersonalDataVault.keyIdOf(stored) === null ? stored : vault.decrypt(stored, field);
          const data = { nationalId: vault.encrypt(clear, field), nationalIdHash: vault.lookupHash(clear) };
          if (table === 'Member') await tx.member.update({ where: { id: row.id }, data, select: { id: true } });
          else await tx.talent.update({ where: { id: row.id }, data, select: { id: true } });
        }
      });
      rewritten += rows.length;
      log(`${table}: ${rewritten} re-encrypted`);
    }
    counts.push({ table, rewritten });
  }
  return counts;
}

/** Re-encrypts the departments' webhook signing secrets not written with the current key (a handful of rows). */
export async function rotateWebhookSecrets(db: PrismaClient, vault: PersonalDataVault): Promise<RotationCount> {
  const field = 'ReminderSetting.webhookSecret';
  const rows = await db.reminderSetting.findMany({
    where: { webhookSecret: { not: null }, NOT: { webhookSecret: { startsWith: `v1.${vault.currentKeyId}.` } } },
    select: { organizationId: true, webhookSecret: true },
  });
  await db.$transaction(async (tx) => {
    for (const row of rows) {
      const stored = row.webhookSecret!;
      const clear = PersonalDataVault.keyIdOf(stored) === null ? stored : vault.decrypt(stored, field);
      await tx.reminderSetting.update({
        where: { organizationId: row.organizationId },
        data: { webhookSecret: vault.encrypt(clear, field) },
      });
    }
  });
  return { table: 'ReminderSetting', rewritten: rows.length };
}

/** `dangjian keys generate`: prints a fresh key pair in environment-variable form (needs no configuration). */
export function generateKeys(options: { id?: string }, log = say): number {
  const text = generateKeyText(options.id);
  log(`DANGJIAN_DATA_KEYS=${text.dataKeys}`);
  log(`DANGJIAN_LOOKUP_KEY=${text.lookupKey}`);
  log('# to rotate later: put a new key first and keep the old one after it, e.g.');
  log('#   DANGJIAN_DATA_KEYS=<new id>:<new key>,<old id>:<old key>   then run `dangjian keys rotate`');
  return 0;
}

/** `dangjian keys rotate`: re-encrypts stored national IDs and webhook secrets with the current (first) key. */
export async function rotateKeys(config: Config, log = say): Promise<number> {
  const vault = openVault(config);
  const db = await openDatabase(config.database);
  try {
    const counts = [...(await rotateNationalIds(db.client, vault, log)), await rotateWebhookSecrets(db.client, vault)];
    log(`rotation to key "${vault.currentKeyId}" done: ${counts.map((c) => `${c.table} ${c.rewritten}`).join(', ')} value(s) re-encrypted`);
    return 0;
  } finally {
    await db.close();
  }
}

// Writes a dataset in one interactive transaction: a seed that fails half-way must leave an empty
// database behind, otherwise the next start sees `isSeeded` and never retries.

import type { PrismaClient } from '../generated/prisma/client.ts';
import type { PersonalDataVault } from '../personal-data.ts';
import type { Dataset, DevelopmentRecordRow, MemberRow } from './types.ts';

/** Options of insertDataset. */
export interface InsertOptions {
  /** Rows per createMany statement (default 1000, which keeps the widest table under Postgres' bind-parameter limit). */
  batchSize?: number;
  /** Called after each chunk with the table name and the number of its rows written so far. */
  onProgress?: (table: string, done: number) => void;
}

/** Inserts every table of the dataset in foreign-key order, all or nothing; national IDs are written encrypted with `vault`. */
export async function insertDataset(
  db: PrismaClient,
  dataset: Dataset,
  vault: PersonalDataVault,
  options: InsertOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const report = options.onProgress ?? (() => {});
  // Parents first: a child row's parentId must already exist when its chunk is written. The sort is stable,
  // so within one depth the dataset's own order (and thus the insert order) stays deterministic.
  const organizations = [...dataset.organizations].sort((a, b) => a.depth - b.depth);

  await db.$transaction(
    async (tx) => {
      const write = async <T>(table: string, rows: readonly T[], create: (data: T[]) => Promise<unknown>) => {
        for (let start = 0; start < rows.length; start += batchSize) {
          await create(rows.slice(start, start + batchSize));
          report(table, Math.min(start + batchSize, rows.length));
        }
      };
      await write('organizations', organizations, (data) => tx.organization.createMany({ data }));
      await write('organizationTerms', dataset.organizationTerms, (data) => tx.organizationTerm.createMany({ data }));
      const sealed = (member: MemberRow) => ({
        ...member,
        nationalId: vault.encrypt(member.nationalId, 'Member.nationalId'),
        nationalIdHash: vault.lookupHash(member.nationalId),
      });
      await write('members', dataset.members, (data) => tx.member.createMany({ data: data.map(sealed) }));
      await write('cadres', dataset.cadres, (data) => tx.cadre.createMany({ data }));
      await write('trainings', dataset.trainings, (data) => tx.training.createMany({ data }));
      await write('assessments', dataset.assessments, (data) => tx.assessment.createMany({ data }));
      await write('rotations', dataset.rotations, (data) => tx.rotation.createMany({ data }));
      await write('meetings', dataset.meetings, (data) => tx.meeting.createMany({ data }));
      await write('meetingAttendance', dataset.meetingAttendance, (data) => tx.meetingAttendance.createMany({ data }));
      await write('duesBases', dataset.duesBases, (data) => tx.duesBase.createMany({ data }));
      await write('duesPayments', dataset.duesPayments, (data) => tx.duesPayment.createMany({ data }));
      await write('assessmentSchemes', dataset.assessmentSchemes, (data) => tx.assessmentScheme.createMany({ data }));
      await write('assessmentItems', dataset.assessmentItems, (data) => tx.assessmentItem.createMany({ data }));
      await write('assessmentManualScores', dataset.assessmentManualScores, (data) => tx.assessmentManualScore.createMany({ data }));
      await write('assessmentTasks', dataset.assessmentTasks, (data) => tx.assessmentTask.createMany({ data }));
      await write('assessmentTaskAssignments', dataset.assessmentTaskAssignments, (data) =>
        tx.assessmentTaskAssignment.createMany({ data }),
      );
      const sealedRecord = (record: DevelopmentRecordRow) => ({
        ...record,
        nationalId: vault.encrypt(record.nationalId, 'DevelopmentRecord.nationalId'),
        nationalIdHash: vault.lookupHash(record.nationalId),
      });
      await write('developmentRecords', dataset.developmentRecords, (data) =>
        tx.developmentRecord.createMany({ data: data.map(sealedRecord) }),
      );
      await write('developmentEntries', dataset.developmentEntries, (data) => tx.developmentEntry.createMany({ data }));
      await write('developmentPeople', dataset.developmentPeople, (data) => tx.developmentPerson.createMany({ data }));
      await write('transferLetters', dataset.transferLetters, (data) => tx.transferLetter.createMany({ data }));
      await write('duesMonthStates', duesMonthStates(dataset), (data) => tx.duesMonthState.createMany({ data }));
      // The runs of unsettled months follow the states (see DuesUnsettledRun and its migration).
      await tx.$queryRawUnsafe('SELECT dues_rebuild_runs_of(NULL)::text');
    },
    // Large benchmark datasets take minutes on embedded PGlite (the defaults, 5 s, would abort them), and the
    // scale data took over 10 minutes on PostgreSQL on a busy 2-core machine: one transaction, so a seed is
    // all there or absent, with an hour's room.
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
}

/**
 * The month states core keeps beside payments (see DuesMonthState): one per paid member-month. The seed pays
 * exactly the standard of the member's base (duesAmount), so each such month is settled at its standard;
 * a member without a base has no standard and any payment settles the month.
 */
export function duesMonthStates(dataset: Dataset) {
  const based = new Set(dataset.duesBases.map((b) => b.memberId));
  const states = new Map<string, { memberId: string; month: Date; standardFen: number | null; paidFen: number; settled: boolean }>();
  for (const p of dataset.duesPayments) {
    const key = `${p.memberId}|${p.month.getTime()}`;
    const [whole, fraction = ''] = p.amount.split('.');
    const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
    const state = states.get(key);
    if (state) state.paidFen += fen;
    else
      states.set(key, {
        memberId: p.memberId,
        month: p.month,
        standardFen: based.has(p.memberId) ? fen : null,
        paidFen: fen,
        settled: true,
      });
  }
  return [...states.values()];
}

/** True when the database already holds at least one organization, i.e. a seed (or real data) exists. */
export async function isSeeded(db: PrismaClient): Promise<boolean> {
  return (await db.organization.findFirst({ select: { id: true } })) !== null;
}

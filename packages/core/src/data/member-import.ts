// 花名册导入: the member kind of the import engine. Rows are checked on their own (member-columns.ts),
// then against the file (a national ID twice) and the database (the branch by its code inside the
// importer's subtree; a person already registered, found by the national-ID hash through the vault).

import type { PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { isoDate } from '../kit/dates.ts';
import { uuidv7 } from '../kit/uuid.ts';
import { nationalIdLookup } from '../privacy/national-id.ts';
import { MEMBERSHIP_KINDS } from '../schema/member-access.ts';
import type { RowReader } from './columns.ts';
import type { ChunkOutcome, ImportKind, ImportOptions } from './engine.ts';
import { MEMBER_COLUMNS, type MemberColumn, type MemberRow, readMemberRow } from './member-columns.ts';

type Org = { id: string; path: string; kind: string; code: string };

/** The member roster (花名册) import. Dues bases and payments are not part of it (see README: a later kind). */
export const memberImport: ImportKind<MemberColumn> = {
  name: 'members',
  label: '党员花名册',
  activity: 'member.imported',
  // Each new member opens a dues run (trigger Member_dues_runs_insert).
  tables: ['Member', 'DuesUnsettledRun'],
  columns: MEMBER_COLUMNS,
  start(ctx: Context, options: ImportOptions) {
    const orgs = new Map<string, Org | null>();
    // Each national ID's first row: a later row with the same ID is a duplicate inside the file.
    const seen = new Map<string, number>();
    return async (db: Tx | PrismaClient, readers: RowReader<MemberColumn>[], write: boolean): Promise<ChunkOutcome> => {
      const parsed = readers.map((r) => [r, readMemberRow(r)] as const);
      const codes = [
        ...new Set(parsed.flatMap(([, m]) => (m?.organizationCode && !orgs.has(m.organizationCode) ? [m.organizationCode] : []))),
      ];
      if (codes.length > 0) {
        const found = await db.organization.findMany({
          where: { code: { in: codes }, path: { startsWith: options.scope.path } },
          select: { id: true, path: true, kind: true, code: true },
        });
        for (const code of codes) orgs.set(code, found.find((o) => o.code === code) ?? null);
      }
      const rows: { reader: RowReader<MemberColumn>; member: MemberRow; org: Org; hash: string }[] = [];
      for (const [reader, member] of parsed) {
        if (!member) continue;
        const org = member.organizationCode ? orgs.get(member.organizationCode) : options.scope;
        if (!org) {
          // Missing and outside the subtree read the same: the importer learns nothing of other departments.
          reader.problem('organizationCode', `组织代码“${member.organizationCode}”不存在或不在您的管辖范围内`);
          continue;
        }
        if (!member.organizationCode && !MEMBERSHIP_KINDS.includes(org.kind)) {
          reader.problem('organizationCode', '必填：导入到党委或党总支时，须写明每名党员所在党支部的组织代码');
          continue;
        }
        if (!MEMBERSHIP_KINDS.includes(org.kind)) {
          reader.problem('organizationCode', `“${org.code}”不是党支部，组织关系只能在党支部`);
          continue;
        }
        const hash = nationalIdLookup(ctx, member.nationalId);
        const first = seen.get(hash);
        if (first !== undefined) {
          reader.problem('nationalId', `与第 ${first} 行的身份证号重复`);
          continue;
        }
        seen.set(hash, member.row);
        rows.push({ reader, member, org, hash });
      }
      const existing = rows.length
        ? await db.member.findMany({
            where: { nationalIdHash: { in: rows.map((r) => r.hash) } },
            select: { id: true, nationalIdHash: true, status: true, organization: { select: { path: true } } },
          })
        : [];
      const byHash = new Map(existing.map((m) => [m.nationalIdHash!, m]));
      const outcome: ChunkOutcome = { created: 0, updated: 0, skipped: 0 };
      const creates: MemberRow[] = [];
      const createOrgs: string[] = [];
      const createHashes: string[] = [];
      for (const { reader, member, org, hash } of rows) {
        const stored = byHash.get(hash);
        if (!stored) {
          creates.push(member);
          createOrgs.push(org.id);
          createHashes.push(hash);
          continue;
        }
        if (!stored.organization.path.startsWith(options.scope.path)) {
          // As registerMember answers: registered, without saying where.
          reader.problem('nationalId', '该身份证号已登记为其他党组织的党员，请办理组织关系转接');
          continue;
        }
        if (options.existing === 'SKIP') {
          outcome.skipped++;
          continue;
        }
        if (stored.status === 'FULL' && member.status === 'PROBATIONARY') {
          reader.problem('status', '该党员已是正式党员，不能改为预备党员');
          continue;
        }
        if (stored.status === 'PROBATIONARY' && member.status === 'FULL') {
          reader.problem('status', '该党员是预备党员，转正须通过“转正”办理，不能由导入更改');
          continue;
        }
        if (write) {
          // Organization and status change only through 组织关系转接 and 转正, never through an import.
          await db.member.update({
            where: { id: stored.id },
            data: {
              version: { increment: 1 },
              name: member.name,
              gender: member.gender,
              birthDate: member.birthDate,
              ethnicity: member.ethnicity,
              education: member.education,
              phone: member.phone,
              joinedAt: member.joinedAt,
              ...(stored.status === 'FULL' ? { fullMemberAt: member.fullMemberAt } : {}),
            },
          });
        }
        outcome.updated++;
      }
      if (write && creates.length > 0) {
        // One INSERT of column arrays, not createMany: Prisma compiles a createMany plan afresh for every
        // call (it never caches one) and binds 13 parameters per row — most of a 100k-row import's CPU.
        const day = (d: Date | null) => (d === null ? null : isoDate(d));
        await db.$executeRaw`
          INSERT INTO "Member" ("id", "nationalId", "nationalIdHash", "name", "gender", "birthDate", "ethnicity", "education",
            "phone", "status", "joinedAt", "fullMemberAt", "organizationId", "updatedAt")
          SELECT r.id, r.sealed, r.hash, r.name, r.gender::"Gender", r.birth::date, r.ethnicity, r.education,
            r.phone, r.status::"MemberStatus", r.joined::date, r.full_at::date, r.org, ${new Date().toISOString().slice(0, 23)}::timestamp
          FROM unnest(
            ${creates.map(() => uuidv7())}::text[], ${creates.map((m) => ctx.vault.encrypt(m.nationalId, 'Member.nationalId'))}::text[],
            ${createHashes}::text[], ${creates.map((m) => m.name)}::text[], ${creates.map((m) => m.gender)}::text[],
            ${creates.map((m) => day(m.birthDate))}::text[], ${creates.map((m) => m.ethnicity)}::text[],
            ${creates.map((m) => m.education)}::text[], ${creates.map((m) => m.phone)}::text[], ${creates.map((m) => m.status)}::text[],
            ${creates.map((m) => day(m.joinedAt))}::text[], ${creates.map((m) => day(m.fullMemberAt))}::text[], ${createOrgs}::text[]
          ) AS r(id, sealed, hash, name, gender, birth, ethnicity, education, phone, status, joined, full_at, org)`;
      }
      outcome.created += creates.length;
      return outcome;
    };
  },
};

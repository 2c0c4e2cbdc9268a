import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@dangjian/db';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

export interface Department {
  rootId: string;
  committeeId: string;
  branchId: string;
  branchCode: string;
  rootCode: string;
  committeeCode: string;
  probationaryId: string;
  arrearsId: string;
}

/**
 * A department of its own (root → committee → branch) whose branch's term ends 2027-06-30, with a
 * probationary member (joined 2026-01-20, dues paid through 2027) and a member whose last dues were for 2026-08.
 */
export async function insertDepartment(db: PrismaClient, tag: string): Promise<Department> {
  const [rootId, committeeId, branchId] = [randomUUID(), randomUUID(), randomUUID()];
  const rootCode = `RM${tag}`;
  await db.organization.create({
    data: { id: rootId, kind: 'WORKING_COMMITTEE', name: `${tag}工委`, code: rootCode, path: `/${rootId}/`, depth: 0 },
  });
  await db.organization.create({
    data: {
      id: committeeId,
      kind: 'COMMITTEE',
      name: `${tag}机关党委`,
      code: `${rootCode}-C`,
      parentId: rootId,
      path: `/${rootId}/${committeeId}/`,
      depth: 1,
      termStart: d('2024-01-01'),
      termEnd: d('2028-12-31'),
    },
  });
  await db.organization.create({
    data: {
      id: branchId,
      kind: 'BRANCH',
      name: `${tag}第一支部`,
      code: `${rootCode}-C-B`,
      parentId: committeeId,
      path: `/${rootId}/${committeeId}/${branchId}/`,
      depth: 2,
      termStart: d('2024-07-01'),
      termEnd: d('2027-06-30'),
    },
  });
  const probationary = await db.member.create({
    data: { name: `${tag}预备`, gender: 'FEMALE', status: 'PROBATIONARY', joinedAt: d('2026-01-20'), organizationId: branchId },
  });
  const arrears = await db.member.create({
    data: { name: `${tag}欠缴`, gender: 'MALE', status: 'FULL', joinedAt: d('2015-05-01'), organizationId: branchId },
  });
  await db.duesPayment.createMany({
    data: [
      ...['2026-06-01', '2026-07-01', '2026-08-01'].map((m) => ({ memberId: arrears.id, month: d(m), amount: '20.00' })),
      // The probationary member paid ahead through 2027 (so only the other one is in arrears).
      ...Array.from({ length: 24 }, (_, i) => ({ memberId: probationary.id, month: new Date(Date.UTC(2026, i, 1)), amount: '5.00' })),
    ],
  });
  return {
    rootId,
    committeeId,
    branchId,
    branchCode: `${rootCode}-C-B`,
    rootCode,
    committeeCode: `${rootCode}-C`,
    probationaryId: probationary.id,
    arrearsId: arrears.id,
  };
}

/** A clock tests move: `at('2026-12-31')` sets it to 08:00 UTC that day. */
export function testClock(start: string) {
  let now = new Date(`${start}T08:00:00Z`);
  return {
    now: () => new Date(now),
    at(day: string) {
      now = new Date(`${day}T08:00:00Z`);
    },
  };
}

export const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** On PostgreSQL, the reminders' job queue lives in `<schema>_worker`: dropped with the test's schema. */
export async function dropWorkerSchema(db: PrismaClient, url: string | undefined): Promise<void> {
  const schema = url ? new URL(url).searchParams.get('schema') : null;
  if (schema && /^t_[0-9a-f]+$/.test(schema)) await db.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`);
}

/** Polls `check` every 100 ms until it answers true, failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const onPostgres = Boolean(process.env.DANGJIAN_TEST_DATABASE && process.env.DANGJIAN_TEST_DATABASE !== 'embedded');

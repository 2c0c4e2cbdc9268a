import { randomUUID } from 'node:crypto';
import type { Database } from '@dangjian/db';

// A small organization tree with members and cadre posts, for tests that measure or pin the SQL of reads:
// small enough to insert in milliseconds, deep enough for organizations → children → members → cadres.

/** A small tree: a working committee (code `N1`), two committees (`N1-0`, `N1-1`), four branches; answers the branches' ids. */
export async function insertTree(db: Database): Promise<string[]> {
  const rootId = randomUUID();
  const rows: {
    id: string;
    kind: 'WORKING_COMMITTEE' | 'COMMITTEE' | 'BRANCH';
    name: string;
    code: string;
    parentId: string | null;
    path: string;
    depth: number;
  }[] = [{ id: rootId, kind: 'WORKING_COMMITTEE', name: '测试工委', code: 'N1', parentId: null, path: `/${rootId}/`, depth: 0 }];
  const branches: string[] = [];
  for (let c = 0; c < 2; c++) {
    const cid = randomUUID();
    rows.push({
      id: cid,
      kind: 'COMMITTEE',
      name: `测试党委${c}`,
      code: `N1-${c}`,
      parentId: rootId,
      path: `/${rootId}/${cid}/`,
      depth: 1,
    });
    for (let b = 0; b < 2; b++) {
      const bid = randomUUID();
      rows.push({
        id: bid,
        kind: 'BRANCH',
        name: `测试支部${c}${b}`,
        code: `N1-${c}-${b}`,
        parentId: cid,
        path: `/${rootId}/${cid}/${bid}/`,
        depth: 2,
      });
      branches.push(bid);
    }
  }
  await db.client.organization.createMany({ data: rows });
  return branches;
}

/** Adds `count` members (named from `offset` on) spread over `branches`, each with a cadre post in their branch. */
export async function addMembers(db: Database, branches: string[], count: number, offset: number): Promise<void> {
  const members = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `党员${offset + i}`,
    gender: 'MALE' as const,
    status: 'FULL' as const,
    joinedAt: new Date('2010-07-01'),
    organizationId: branches[(offset + i) % branches.length]!,
  }));
  await db.client.member.createMany({ data: members });
  await db.client.cadre.createMany({
    data: members.map((m) => ({
      memberId: m.id,
      organizationId: m.organizationId,
      post: 'COMMITTEE_MEMBER' as const,
      startDate: new Date('2022-01-01'),
    })),
  });
}

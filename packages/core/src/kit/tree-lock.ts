import type { Prisma } from '@dangjian/db';

// Writers that file rows under organizations' paths at one moment and writers that change those paths must
// not interleave: a publication reads its organizations' paths at the start of a long transaction and files
// each frozen card under them; a move committed meanwhile re-files the cards there are — none of the
// publication's yet — so its cards would stay filed under the old parent for good. Both take the lock of the
// departments (tree roots) they touch, for the rest of their transaction: a move waits for a publication in
// progress, a publication for a move. Other writers do not take it.

/** Namespace of the two-key advisory locks: apart from the audit chain's one-key lock. */
const TREE_LOCK = 0x74726565; // "tree"

/** Takes the tree lock of each department, in id order (two writers locking the same pair cannot deadlock). */
export async function lockDepartmentTrees(tx: Prisma.TransactionClient, departmentIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(departmentIds)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TREE_LOCK}::int, hashtext(${id}))`;
  }
}

import { openDatabase, type PrismaClient } from '@dangjian/db';
import { loadSubtreeDues } from '/work/wt-rankbench/packages/core/src/dues/collection.ts';
const db = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL! });
const c = db.client as PrismaClient;
const orgs = await c.organization.findMany({ where: { kind: { in: ['BRANCH', 'TEMPORARY_BRANCH'] } }, select: { path: true } });
let t = performance.now();
const r = await loadSubtreeDues(c, orgs.map((o) => o.path), new Date(Date.UTC(2026, 0, 1)));
console.log('loadSubtreeDues', Math.round(performance.now() - t), 'ms', r.members.length);
await db.close();

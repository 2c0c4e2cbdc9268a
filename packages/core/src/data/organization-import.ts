// 党组织导入: the organization tree by code and parent code. A parent must exist in the importer's subtree
// or come earlier in the file; the nesting rules are those of createOrganization (mayNest).

import { randomUUID } from 'node:crypto';
import type { OrganizationKind, PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import { mayNest } from '../schema/organization-rules.ts';
import type { ColumnSpec, RowReader } from './columns.ts';
import type { ChunkOutcome, ImportKind, ImportOptions } from './engine.ts';

export type OrganizationColumn = 'code' | 'name' | 'kind' | 'parentCode' | 'agency' | 'termStart' | 'termEnd';

/** The columns of the organization template, in template order. */
export const ORGANIZATION_COLUMNS: readonly ColumnSpec<OrganizationColumn>[] = [
  {
    key: 'code',
    header: '组织代码',
    aliases: ['党组织代码', 'code'],
    required: true,
    note: '必填，字母、数字、- 或 _，最多 40 个字符，全系统唯一',
    example: 'SZMZJ-ZB1',
  },
  {
    key: 'name',
    header: '组织名称',
    aliases: ['党组织名称', 'name'],
    required: true,
    note: '必填，最多 100 个字',
    example: '办公室党支部',
  },
  {
    key: 'kind',
    header: '组织类别',
    aliases: ['党组织类别', 'kind'],
    required: true,
    note: '党委、党总支、党支部、临时党支部 或 党小组（机关党委 同 党委）',
    example: '党支部',
  },
  {
    key: 'parentCode',
    header: '上级组织代码',
    aliases: ['上级党组织代码', 'parentCode'],
    required: true,
    note: '必填：上级须已存在于您的管辖范围内，或在本文件中位于其下级之前',
    example: 'SZMZJ',
  },
  { key: 'agency', header: '所在单位', aliases: ['单位', 'agency'], required: false, note: '不填时同上级', example: '市民政局' },
  {
    key: 'termStart',
    header: '本届开始日期',
    aliases: ['届期开始', 'termStart'],
    required: false,
    note: '日期，如 2023-06-01',
    example: '2023-06-01',
  },
  {
    key: 'termEnd',
    header: '本届届满日期',
    aliases: ['届期结束', 'termEnd'],
    required: false,
    note: '日期，晚于本届开始日期',
    example: '2026-05-31',
  },
];

const KINDS: Readonly<Record<string, OrganizationKind>> = {
  党委: 'COMMITTEE',
  机关党委: 'COMMITTEE',
  党总支: 'GENERAL_BRANCH',
  党支部: 'BRANCH',
  临时党支部: 'TEMPORARY_BRANCH',
  党小组: 'GROUP',
  COMMITTEE: 'COMMITTEE',
  GENERAL_BRANCH: 'GENERAL_BRANCH',
  BRANCH: 'BRANCH',
  TEMPORARY_BRANCH: 'TEMPORARY_BRANCH',
  GROUP: 'GROUP',
};

type Org = { id: string; path: string; depth: number; kind: OrganizationKind; agency: string | null; parentCode: string | null };

/** The organization tree import (ADMIN only, as createOrganization). */
export const organizationImport: ImportKind<OrganizationColumn> = {
  name: 'organizations',
  label: '党组织',
  activity: 'organization.imported',
  tables: ['Organization'],
  columns: ORGANIZATION_COLUMNS,
  start(_ctx, options: ImportOptions) {
    // Code → organization (stored, created by this import, or — when not writing — as it would be); null: none.
    const known = new Map<string, Org | null>();
    const seen = new Map<string, number>();
    return async (db: Tx | PrismaClient, readers: RowReader<OrganizationColumn>[], write: boolean): Promise<ChunkOutcome> => {
      const rows = readers.map((reader) => {
        const code = reader.text('code', 40);
        if (code && !/^[A-Za-z0-9_-]{1,40}$/.test(code)) reader.problem('code', '只能包含字母、数字、- 和 _');
        const termStart = reader.date('termStart');
        const termEnd = reader.date('termEnd');
        if (termStart && termEnd && termEnd.getTime() <= termStart.getTime()) reader.problem('termEnd', '应晚于本届开始日期');
        return {
          reader,
          code,
          name: reader.text('name', 100),
          kind: reader.choice('kind', KINDS),
          parentCode: reader.text('parentCode', 40),
          agency: reader.text('agency', 100),
          termStart,
          termEnd,
        };
      });
      const wanted = [...new Set(rows.flatMap((r) => [r.code, r.parentCode]).filter((c): c is string => !!c && !known.has(c)))];
      if (wanted.length > 0) {
        const found = await db.organization.findMany({
          where: { code: { in: wanted } },
          select: { id: true, code: true, path: true, depth: true, kind: true, agency: true, parent: { select: { code: true } } },
        });
        for (const code of wanted) {
          const o = found.find((f) => f.code === code);
          known.set(
            code,
            o ? { id: o.id, path: o.path, depth: o.depth, kind: o.kind, agency: o.agency, parentCode: o.parent?.code ?? null } : null,
          );
        }
      }
      const outcome: ChunkOutcome = { created: 0, updated: 0, skipped: 0 };
      const inScope = (o: Org) => o.path.startsWith(options.scope.path);
      for (const r of rows) {
        const { reader } = r;
        if (reader.problems.length > 0 || !r.code || !r.name || !r.kind || !r.parentCode) continue;
        const first = seen.get(r.code);
        if (first !== undefined) {
          reader.problem('code', `与第 ${first} 行的组织代码重复`);
          continue;
        }
        seen.set(r.code, reader.row);
        const parent = known.get(r.parentCode);
        if (!parent || !inScope(parent)) {
          reader.problem('parentCode', `“${r.parentCode}”不存在或不在您的管辖范围内（上级须已存在，或在本文件中位于其下级之前）`);
          continue;
        }
        if (!mayNest(r.kind, parent.kind)) {
          reader.problem('kind', `${reader.header('kind')}为${r.kind}的组织不能设在${parent.kind}之下`);
          continue;
        }
        const existing = known.get(r.code);
        if (existing) {
          // Someone else's code reads as taken, without saying whose.
          if (!inScope(existing)) reader.problem('code', '该组织代码已被使用');
          else if (existing.parentCode !== r.parentCode)
            reader.problem('parentCode', '与已登记的上级组织不同：调整隶属关系请使用“移动党组织”');
          else if (existing.kind !== r.kind) reader.problem('kind', '与已登记的组织类别不同');
          else if (options.existing === 'SKIP') outcome.skipped++;
          else {
            if (write) {
              await db.organization.update({
                where: { id: existing.id },
                data: { name: r.name, agency: r.agency ?? parent.agency, termStart: r.termStart ?? null, termEnd: r.termEnd ?? null },
              });
            }
            outcome.updated++;
          }
          continue;
        }
        const id = randomUUID();
        const org: Org = {
          id,
          path: `${parent.path}${id}/`,
          depth: parent.depth + 1,
          kind: r.kind,
          agency: r.agency ?? parent.agency,
          parentCode: r.parentCode,
        };
        if (write) {
          await db.organization.create({
            data: {
              id,
              kind: r.kind,
              name: r.name,
              code: r.code,
              agency: org.agency,
              parentId: parent.id,
              path: org.path,
              depth: org.depth,
              termStart: r.termStart ?? null,
              termEnd: r.termEnd ?? null,
            },
          });
        }
        // Later rows may hang under it, whether or not it is written (a validation run checks them too).
        known.set(r.code, org);
        outcome.created++;
      }
      return outcome;
    };
  },
};

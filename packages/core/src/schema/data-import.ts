// 数据导入 — importing tables (花名册 …) through the GraphQL multipart request spec. The mechanics live in
// ../data; this file is the API: the File scalar, the modes, the result, and one mutation per kind.

import { GraphQLError } from 'graphql';
import type { Builder } from '../builder.ts';
import { REPORTED_PROBLEMS, runImport, type ImportKind, type ImportOutcome } from '../data/engine.ts';
import { importLimitsFrom } from '../data/limits.ts';
import { memberImport } from '../data/member-import.ts';
import { organizationImport } from '../data/organization-import.ts';
import { duesBaseImport } from '../data/dues-base-import.ts';
import { duesPaymentImport } from '../data/dues-payment-import.ts';
import { meetingImport } from '../data/meeting-import.ts';
import type { ImportProblem } from '../data/columns.ts';
import { requireViewer } from '../auth/subtree.ts';
import { MEMBER_WRITERS } from './member-access.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import type { Context } from '../context.ts';

/** An uploaded file as graphql-yoga hands it over (a WHATWG File). */
export interface Upload {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

const isUpload = (value: unknown): value is Upload =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Upload).stream === 'function' &&
  typeof (value as Upload).name === 'string';

/** The URL path of a batch's error report (served by the server's data routes with the same token). */
export const errorReportPath = (batchId: string) => `/data/imports/${batchId}/errors.xlsx`;

/** Registers the File scalar, the import enums and result, and one import mutation per kind. */
export function registerDataImport(builder: Builder): void {
  builder.scalarType('File', {
    description: '文件 — an uploaded file, sent as a part of a multipart request (GraphQL multipart request spec)',
    serialize: () => {
      throw new GraphQLError('File is an input-only scalar');
    },
    parseValue: (value) => {
      if (!isUpload(value))
        throw new GraphQLError('File must be a file part of a multipart request (GraphQL multipart request spec)', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      return value;
    },
  });
  const Mode = builder.enumType('ImportMode', {
    description: '导入方式 — what an import does with the rows it checked',
    values: {
      VALIDATE: { description: '仅校验 — check every row, write nothing (created/updated say what an import would do)' },
      ALL_OR_NOTHING: { description: '全部或全不 — write every row, or none when any row is rejected' },
      VALID_ROWS: { description: '仅导入有效行 — write the rows that pass, list the rejected ones' },
    } as const,
  });
  const Existing = builder.enumType('ExistingPersonPolicy', {
    description:
      '已登记记录的处理 — what happens to a row whose record is already registered in your subtree: a person (by national ID), a dues base (member and first month), a payment (member, day and months), a meeting (organization, kind, day and topic)',
    values: {
      SKIP: { description: '跳过 — leave the registered record as it is (re-importing a file creates no duplicates)' },
      UPDATE: {
        description:
          '更新 — update the record from the row: a person’s personal data and dates (organization and status change only by transfer and 转正), a base’s category and amounts, a payment’s amounts and method, a meeting’s attendance',
      },
    } as const,
  });
  const Problem = builder.objectRef<ImportProblem>('ImportProblem').implement({
    description: '导入错误 — one rejected cell or row',
    fields: (t) => ({
      row: t.exposeInt('row', { description: '行号 — the row number as the spreadsheet shows it (0 for the header row)' }),
      column: t.exposeString('column', { nullable: true, description: '列 — the column header, null for the whole row' }),
      message: t.exposeString('message', { description: '错误说明 — what is wrong, in Chinese' }),
    }),
  });
  const Result = builder.objectRef<ImportOutcome>('ImportResult').implement({
    description: '导入结果 — the outcome of one import batch',
    fields: (t) => ({
      batchId: t.exposeID('batchId', { description: '导入批次 — the id of the batch record (for the error report and the audit trail)' }),
      mode: t.field({ type: Mode, resolve: (r) => r.mode, description: '导入方式 — the mode it ran in' }),
      fileName: t.exposeString('fileName', { description: '文件名 — the uploaded file’s name' }),
      rows: t.exposeInt('rows', { description: '数据行数 — data rows read (empty rows not counted)' }),
      created: t.exposeInt('created', { description: '新增 — records created (VALIDATE: would be created)' }),
      updated: t.exposeInt('updated', { description: '更新 — records updated (VALIDATE: would be updated)' }),
      skipped: t.exposeInt('skipped', { description: '跳过 — rows of records already registered, left as they are (SKIP)' }),
      rejected: t.exposeInt('rejected', { description: '拒绝 — rows with at least one problem' }),
      committed: t.exposeBoolean('committed', { description: '已写入 — true when rows were written' }),
      problemCount: t.exposeInt('problemCount', { description: '错误总数 — all problems found' }),
      problems: t.field({
        type: [Problem],
        resolve: (r) => r.problems,
        description: `错误清单 — the problems by row and column (the first ${REPORTED_PROBLEMS}; the error report lists every rejected row)`,
      }),
      errorReportUrl: t.string({
        nullable: true,
        resolve: (r) => (r.hasErrorReport ? errorReportPath(r.batchId) : null),
        description:
          '错误报告 — path of the rejected rows as .xlsx with an error column (GET with the same bearer token); null without rejected rows',
      }),
    }),
  });

  const importField = (
    name: string,
    kind: ImportKind<string>,
    authScopes: typeof MEMBER_WRITERS | { role: 'ADMIN' },
    description: string,
  ) =>
    builder.mutationField(name, (t) =>
      t.field({
        type: Result,
        description,
        authScopes,
        args: {
          file: t.arg({ type: 'File', required: true, description: '文件 — the .xlsx or CSV file (first worksheet; headers by name)' }),
          under: t.arg.id({
            required: false,
            description: '导入到 — the organization the import acts for (in your subtree; your own when left out); rows must lie under it',
          }),
          mode: t.arg({ type: Mode, required: false, defaultValue: 'VALIDATE', description: '导入方式 — VALIDATE unless given' }),
          existing: t.arg({ type: Existing, required: false, defaultValue: 'SKIP', description: '已登记记录 — SKIP unless given' }),
        },
        resolve: async (_root, args, ctx: Context) => {
          const viewer = requireViewer(ctx);
          const scope =
            args.under == null
              ? await ctx.db.organization.findUniqueOrThrow({ where: { id: viewer.organizationId } })
              : await findOrganizationInScope(ctx.db, ctx, String(args.under), 'under');
          const file = args.file as Upload;
          return runImport(ctx, kind, file.stream() as never, {
            mode: args.mode ?? 'VALIDATE',
            existing: args.existing ?? 'SKIP',
            fileName: file.name,
            scope,
            limits: importLimitsFrom(process.env),
          });
        },
      }),
    );
  importField(
    'importMembers',
    memberImport as ImportKind<string>,
    MEMBER_WRITERS,
    '导入党员花名册 — import members from an .xlsx or CSV roster (template: GET /data/templates/members.xlsx); ADMIN or SECRETARY',
  );
  importField(
    'importOrganizations',
    organizationImport as ImportKind<string>,
    { role: 'ADMIN' },
    '导入党组织 — import organizations (the tree, by code and parent code) from an .xlsx or CSV file (template: GET /data/templates/organizations.xlsx); ADMIN',
  );
  importField(
    'importDuesBases',
    duesBaseImport as ImportKind<string>,
    MEMBER_WRITERS,
    '导入党费基数 — import members’ dues categories and monthly bases from a month on (by national ID; template: GET /data/templates/dues-bases.xlsx); ADMIN or SECRETARY',
  );
  importField(
    'importDuesPayments',
    duesPaymentImport as ImportKind<string>,
    MEMBER_WRITERS,
    '导入党费缴纳记录 — import dues payments, one payment covering one or more months a row (by national ID; template: GET /data/templates/dues-payments.xlsx); ADMIN or SECRETARY',
  );
  importField(
    'importMeetings',
    meetingImport as ImportKind<string>,
    MEMBER_WRITERS,
    '导入组织生活记录 — import meetings with their attendance, one meeting a row (template: GET /data/templates/meetings.xlsx); ADMIN or SECRETARY',
  );
}

// The data routes beside /graphql: templates and import error reports as files. A file is not a GraphQL
// value, so these are plain GET routes with the same bearer token and subtree rules as the API.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  appendAudit,
  auditEntry,
  findVisibleAttachment,
  readAttachment,
  hasRole,
  developmentExport,
  duesArrearsExport,
  duesLedgerExport,
  meetingExport,
  memberExport,
  scorecardExport,
  resolveUnder,
  scopePath,
  templateOf,
  type Context,
  type ExportPages,
  type Viewer,
} from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';
import { downloadHeaders, sendError, XLSX_TYPE } from './download.ts';
import { streamXlsx } from './export-stream.ts';

export interface DataRouteDeps {
  db: PrismaClient;
  /** The viewer of a bearer header; null without one; throws for a bad token. */
  authenticate(header: string | null): Promise<Viewer | null>;
  /** The context the API would give this viewer's request (vault, event bus, request info). */
  context(viewer: Viewer, req: IncomingMessage): Context;
}

const TEMPLATE = /^\/data\/templates\/([a-z-]+)\.xlsx$/;
const ERROR_REPORT = /^\/data\/imports\/([0-9a-f-]{36})\/errors\.xlsx$/;
const FILE = /^\/files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const EXPORT = /^\/export\/(members|meetings|dues-ledger|dues-arrears|development|scorecards)\.xlsx$/;
type MakeExport = (ctx: Context, path: string, clear: boolean, query: URLSearchParams) => ExportPages | Promise<ExportPages>;
const EXPORTS: Record<string, { file: string; sheet: string; make: MakeExport }> = {
  members: { file: '党员花名册', sheet: '花名册', make: (ctx, path, clear) => memberExport(ctx, path, { clear }) },
  meetings: { file: '组织生活记录', sheet: '组织生活', make: (ctx, path) => meetingExport(ctx, path) },
  'dues-ledger': {
    file: '党费明细台账',
    sheet: '党费台账',
    make: (ctx, path, _clear, q) => duesLedgerExport(ctx, path, { from: q.get('from'), to: q.get('to') }),
  },
  'dues-arrears': {
    file: '欠缴党费名单',
    sheet: '欠缴名单',
    make: (ctx, path, clear, q) => duesArrearsExport(ctx, path, { clear, months: q.get('months') }),
  },
  development: {
    file: '发展党员台账',
    sheet: '发展党员',
    make: (ctx, path, clear, q) => developmentExport(ctx, path, { clear, state: q.get('state') }),
  },
  scorecards: {
    file: '考核得分表',
    sheet: '得分表',
    make: (ctx, path, _clear, q) => scorecardExport(ctx, path, { scheme: q.get('scheme') }),
  },
};
const TEMPLATE_NAMES: Record<string, string> = {
  members: '党员花名册导入模板.xlsx',
  organizations: '党组织导入模板.xlsx',
  'dues-bases': '党费基数导入模板.xlsx',
  'dues-payments': '党费缴纳导入模板.xlsx',
  meetings: '组织生活记录导入模板.xlsx',
};

/** Answers a request for a data route and returns true, or returns false for any other path. */
export function createDataRoutes(deps: DataRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith('/data/') && !path.startsWith('/export/') && !path.startsWith('/files/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'only GET');
      return true;
    }
    const template = TEMPLATE.exec(path);
    if (template) {
      // A template holds no data: it is served to anyone, as a printed form would be.
      const body = await templateOf(template[1]!);
      if (!body) sendError(res, 404, 'NOT_FOUND', `no import template "${template[1]}"`);
      else {
        res.writeHead(200, downloadHeaders(TEMPLATE_NAMES[template[1]!] ?? `${template[1]}.xlsx`, XLSX_TYPE, body.length));
        res.end(req.method === 'HEAD' ? undefined : body);
      }
      return true;
    }
    let viewer: Viewer | null;
    try {
      viewer = await deps.authenticate(req.headers.authorization ?? null);
    } catch {
      viewer = null;
    }
    if (!viewer) {
      sendError(res, 401, 'UNAUTHENTICATED', 'a valid bearer token is required');
      return true;
    }
    const report = ERROR_REPORT.exec(path);
    if (report) {
      // The report repeats the file's rows (personal data in clear): only writers of the subtree fetch it;
      // anyone else gets the answer a missing batch gets.
      const batch = hasRole(viewer, 'ADMIN', 'SECRETARY')
        ? await deps.db.importBatch.findFirst({
            where: { id: report[1]!, path: { startsWith: scopePath(viewer) }, errorReport: { not: null } },
            select: { fileName: true, errorReport: true },
          })
        : null;
      if (!batch?.errorReport) sendError(res, 404, 'NOT_FOUND', 'no such error report');
      else {
        const name = `${batch.fileName.replace(/\.(xlsx|csv)$/i, '')}-错误报告.xlsx`;
        res.writeHead(200, downloadHeaders(name, XLSX_TYPE, batch.errorReport.length));
        res.end(req.method === 'HEAD' ? undefined : Buffer.from(batch.errorReport));
      }
      return true;
    }
    const file = FILE.exec(path);
    if (file) {
      await sendAttachment(deps.context(viewer, req), file[1]!, req.method === 'HEAD', res);
      return true;
    }
    const exported = EXPORT.exec(path);
    if (exported) {
      await sendExport(deps.context(viewer, req), exported[1]!, new URL(req.url ?? '/', 'http://x').searchParams, res);
      return true;
    }
    sendError(res, 404, 'NOT_FOUND', 'no such data route');
    return true;
  };
}

/**
 * `GET /export/<kind>.xlsx?under=<Organization ID>&clear=true`: the rows under an organization of the
 * viewer's subtree (their own by default) as a streamed .xlsx. An organization outside answers NOT_FOUND,
 * as a missing one does; `clear=true` without ADMIN or SECRETARY is FORBIDDEN (where the kind has personal
 * data: members, dues-arrears, development). Kinds with arguments: dues-ledger `from`/`to` (`YYYY-MM`),
 * dues-arrears `months`, development `state` (comma-separated), scorecards `scheme` (required). A bad
 * argument is BAD_USER_INPUT (400) naming it. The export is recorded in the audit trail with its row count
 * once written.
 */
async function sendExport(ctx: Context, kind: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const spec = EXPORTS[kind]!;
  const clear = query.get('clear') === 'true';
  let path: string;
  let exported: ExportPages;
  try {
    path = await resolveUnder(ctx, query.get('under'));
    // Arguments are checked (and a scheme found) before the first byte, so a mistake is an answer, not a cut download.
    exported = await spec.make(ctx, path, clear, query);
  } catch (error) {
    const code = (error as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    const status = code === 'NOT_FOUND' ? 404 : code === 'FORBIDDEN' ? 403 : code === 'BAD_USER_INPUT' ? 400 : 500;
    sendError(res, status, code, status === 500 ? 'Unexpected error.' : (error as Error).message);
    return;
  }
  const date = new Date().toISOString().slice(0, 10);
  try {
    const rows = await streamXlsx(res, `${spec.file}-${date}${clear ? '-明文' : ''}.xlsx`, spec.sheet, exported);
    await appendAudit(ctx.db, [
      auditEntry(ctx, {
        operation: `export:${kind}`,
        target: `Organization:${path.split('/').at(-2)}`,
        result: `OK rows=${rows} clear=${clear}`,
        organizationId: path.split('/').at(-2) ?? null,
      }),
    ]);
  } catch {
    // Headers are gone: the only honest signal left is a cut connection (the client sees a broken download).
    res.destroy();
  }
}

/**
 * `GET /files/<id>`: an attachment, for viewers who may see its owner (anyone else gets the 404 of a
 * missing file). Served as a download of the type detected at upload, never rendered (nosniff, sandbox
 * CSP, attachment disposition with the RFC 5987 name), streamed chunk by chunk; every download is audited.
 */
async function sendAttachment(ctx: Context, id: string, head: boolean, res: ServerResponse): Promise<void> {
  const found = await findVisibleAttachment(ctx, id);
  if (!found) {
    sendError(res, 404, 'NOT_FOUND', 'no such file');
    return;
  }
  const { attachment, owner } = found;
  // Recorded before a byte leaves (fail closed).
  await appendAudit(ctx.db, [
    auditEntry(ctx, {
      operation: 'download:Attachment',
      target: `Attachment:${attachment.id}`,
      result: 'OK',
      organizationId: owner.organization.id,
    }),
  ]);
  res.writeHead(200, { ...downloadHeaders(attachment.name, attachment.contentType, attachment.size), etag: `"${attachment.sha256}"` });
  if (head) {
    res.end();
    return;
  }
  try {
    for await (const chunk of readAttachment(ctx.db, attachment)) {
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
    }
    res.end();
  } catch {
    res.destroy();
  }
}

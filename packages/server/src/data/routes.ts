// The data routes beside /graphql: templates and import error reports as files. A file is not a GraphQL
// value, so these are plain GET routes with the same bearer token and subtree rules as the API.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasRole, scopePath, templateOf, type Viewer } from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';
import { downloadHeaders, sendError, XLSX_TYPE } from './download.ts';

export interface DataRouteDeps {
  db: PrismaClient;
  /** The viewer of a bearer header; null without one; throws for a bad token. */
  authenticate(header: string | null): Promise<Viewer | null>;
}

const TEMPLATE = /^\/data\/templates\/([a-z-]+)\.xlsx$/;
const ERROR_REPORT = /^\/data\/imports\/([0-9a-f-]{36})\/errors\.xlsx$/;
const TEMPLATE_NAMES: Record<string, string> = { members: '党员花名册导入模板.xlsx', organizations: '党组织导入模板.xlsx' };

/** Answers a request for a data route and returns true, or returns false for any other path. */
export function createDataRoutes(deps: DataRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith('/data/')) return false;
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
    sendError(res, 404, 'NOT_FOUND', 'no such data route');
    return true;
  };
}

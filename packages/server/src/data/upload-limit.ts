import type { IncomingMessage } from 'node:http';
import { attachmentLimitsFrom, importLimitsFrom } from '@dangjian/core';

/** Room for the multipart framing and the `operations`/`map` parts around the file itself. */
const MULTIPART_OVERHEAD = 256 * 1024;

/**
 * The body limit of a request: HTTP_MAX_BODY_BYTES for GraphQL documents, and for a multipart upload
 * (GraphQL multipart request spec) the larger of DANGJIAN_IMPORT_MAX_BYTES and DANGJIAN_ATTACHMENT_MAX_BYTES plus framing. Either way
 * the body is refused on its Content-Length before it is read.
 */
export function uploadBodyLimit(maxBodyBytes: number, env: Record<string, string | undefined> = process.env) {
  const uploadMax = Math.max(
    maxBodyBytes,
    Math.max(importLimitsFrom(env).maxBytes, attachmentLimitsFrom(env).maxBytes) + MULTIPART_OVERHEAD,
  );
  return (req: IncomingMessage): number =>
    (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data') ? uploadMax : maxBodyBytes;
}

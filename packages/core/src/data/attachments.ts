// 附件 — files attached to records. Who may see a file is decided by its owner (attachment-owner.ts): the
// owner type says how to find an owner the viewer may see, so an outsider's download, or one through a
// plugin the department has disabled, answers like a missing file.

import { createHash } from 'node:crypto';
import type { PrismaClient } from '@dangjian/db';
import { transact } from '../activity/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { ConflictError, InputError, NotFoundError } from '../errors/errors.ts';
import { rootOf } from '../plugin/access.ts';
import { type AttachmentOwner, assertWritesAttachments, type RegisteredAttachmentOwner } from './attachment-owner.ts';
import { type AttachmentStore, CHUNK_BYTES, databaseStore } from './attachment-store.ts';
import { detectType } from './attachment-types.ts';
import { positive } from './limits.ts';

/** Attachment limits (README: 附件). */
export interface AttachmentLimits {
  /** DANGJIAN_ATTACHMENT_MAX_BYTES, default 20 MiB per file. */
  maxBytes: number;
  /** DANGJIAN_ATTACHMENTS_PER_OBJECT, default 20 files per object. */
  maxPerObject: number;
  /** DANGJIAN_ATTACHMENT_MAX_OBJECT_BYTES, default 100 MiB per object. */
  maxObjectBytes: number;
}

/** The attachment limits of an environment. */
export function attachmentLimitsFrom(env: Record<string, string | undefined>): AttachmentLimits {
  return {
    maxBytes: positive(env, 'DANGJIAN_ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024),
    maxPerObject: positive(env, 'DANGJIAN_ATTACHMENTS_PER_OBJECT', 20),
    maxObjectBytes: positive(env, 'DANGJIAN_ATTACHMENT_MAX_OBJECT_BYTES', 100 * 1024 * 1024),
  };
}

/**
 * The owner of `type` with this id as the viewer may see it: null for an unknown type, a type of a plugin
 * the viewer's department has disabled, and an owner missing or hidden by its own rules — all alike.
 */
export async function findAttachmentOwner(
  ctx: Context,
  type: string,
  id: string,
): Promise<{ definition: RegisteredAttachmentOwner; owner: AttachmentOwner } | null> {
  const definition = ctx.plugins.attachmentOwners.get(type);
  if (!definition) return null;
  if (definition.plugin !== null && !(await ctx.plugins.enabledFor(rootOf(requireViewer(ctx)))).has(definition.plugin)) return null;
  const owner = await definition.find(ctx, id);
  return owner ? { definition, owner } : null;
}

/** The store new attachments go to. */
export const defaultStore: AttachmentStore = databaseStore;

const stores: Record<string, AttachmentStore> = { db: databaseStore };

/** An upload as graphql-yoga hands it over. */
export interface UploadedFile {
  name: string;
  stream(): ReadableStream<Uint8Array>;
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Attaches a file to an owner the viewer may see and write: type by content, limits, one transaction. The
 * owner is found before the transaction, since owners' rules read through `ctx.db`.
 */
export async function attachFile(ctx: Context, ownerType: string, ownerId: string, file: UploadedFile, limits: AttachmentLimits) {
  const viewer = requireViewer(ctx);
  if (!ctx.plugins.attachmentOwners.has(ownerType)) throw new InputError('ownerId', `files cannot be attached to a ${ownerType}`);
  const found = await findAttachmentOwner(ctx, ownerType, ownerId);
  if (!found) throw new NotFoundError(ownerType, ownerId);
  const { definition, owner } = found;
  assertWritesAttachments(definition, viewer.roles);
  const name = file.name
    .normalize('NFC')
    .replace(/[\p{Cc}/\\]/gu, '_')
    .trim()
    .slice(0, 200);
  if (!name) throw new InputError('file', '文件名不能为空');
  return transact(ctx, async (tx, record) => {
    const existing = await tx.attachment.aggregate({
      where: { ownerType, ownerId: owner.id, deletedAt: null },
      _count: { _all: true },
      _sum: { size: true },
    });
    if (existing._count._all >= limits.maxPerObject)
      throw new ConflictError(`每个对象最多 ${limits.maxPerObject} 个附件`, { field: 'file' });
    const attachment = await tx.attachment.create({
      data: {
        ownerType,
        ownerId: owner.id,
        organizationId: owner.organization.id,
        name,
        contentType: 'application/octet-stream',
        size: 0,
        sha256: '',
        store: defaultStore.name,
        uploaderId: viewer.userId,
      },
    });
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let type: string | null | undefined;
    const head: Buffer[] = [];
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending);
        const piece = joined.subarray(0, CHUNK_BYTES);
        await defaultStore.put(tx, attachment.id, seq++, piece);
        pending = joined.length > CHUNK_BYTES ? [joined.subarray(CHUNK_BYTES)] : [];
        pendingBytes = joined.length - piece.length;
      }
    };
    for await (const part of file.stream() as unknown as AsyncIterable<Uint8Array>) {
      const buf = Buffer.from(part);
      size += buf.length;
      if (size > limits.maxBytes) throw new InputError('file', `附件超过大小上限（${limits.maxBytes} 字节）`);
      if ((existing._sum.size ?? 0) + size > limits.maxObjectBytes)
        throw new InputError('file', `该对象的附件总大小超过上限（${limits.maxObjectBytes} 字节）`);
      hash.update(buf);
      if (type === undefined) {
        head.push(buf);
        const sniffed = Buffer.concat(head);
        if (sniffed.length >= SNIFF_BYTES) type = detectType(sniffed.subarray(0, SNIFF_BYTES));
      }
      if (type === null) break;
      pending.push(buf);
      pendingBytes += buf.length;
      await flush(false);
    }
    if (type === undefined) type = detectType(Buffer.concat(head));
    if (type === null) throw new InputError('file', '只接受 PDF、JPEG、PNG 和 Office 文档（按文件内容判断）');
    if (size === 0) throw new InputError('file', '文件为空');
    await flush(true);
    const saved = await tx.attachment.update({
      where: { id: attachment.id },
      data: { contentType: type, size, sha256: hash.digest('hex') },
    });
    await record({
      kind: definition.events.added,
      organization: owner.organization,
      subjectType: ownerType,
      subjectId: owner.id,
      summary: definition.confidential ? `为${owner.label}上传了一个附件` : `为${owner.label}上传附件“${name}”`,
      data: { attachmentId: saved.id, size, contentType: type },
    });
    return saved;
  });
}

/**
 * An attachment the viewer may see (not deleted, owner visible to them), or null — as if missing. A
 * confidential owner records the read before this answers.
 */
export async function findVisibleAttachment(ctx: Context, id: string) {
  const attachment = await ctx.db.attachment.findFirst({ where: { id, deletedAt: null } });
  if (!attachment) return null;
  const found = await findAttachmentOwner(ctx, attachment.ownerType, attachment.ownerId);
  if (!found) return null;
  await found.definition.audit?.(ctx, found.owner.id, `attachment:${attachment.id}`);
  return { attachment, owner: found.owner };
}

/** The bytes of an attachment, chunk by chunk, from the store that holds them. */
export function readAttachment(db: PrismaClient, attachment: { id: string; store: string }): AsyncGenerator<Uint8Array> {
  const store = stores[attachment.store];
  if (!store) throw new Error(`attachment ${attachment.id} is in the unknown store "${attachment.store}"`);
  return store.read(db, attachment.id);
}

/** Deletes an attachment: the bytes go, the row stays with who deleted it and when; an activity records it. */
export async function deleteAttachment(ctx: Context, id: string) {
  const viewer = requireViewer(ctx);
  const attachment = await ctx.db.attachment.findFirst({ where: { id, deletedAt: null } });
  const found = attachment ? await findAttachmentOwner(ctx, attachment.ownerType, attachment.ownerId) : null;
  if (!attachment || !found) throw new NotFoundError('Attachment', id);
  const { definition, owner } = found;
  assertWritesAttachments(definition, viewer.roles);
  return transact(ctx, async (tx, record) => {
    // Only the first of two racing deletions deletes; the other finds nothing, as after the fact.
    const { count } = await tx.attachment.updateMany({
      where: { id, deletedAt: null },
      data: { deletedAt: new Date(), deletedBy: viewer.userId },
    });
    if (count === 0) throw new NotFoundError('Attachment', id);
    await stores[attachment.store]!.remove(tx, attachment.id);
    await record({
      kind: definition.events.deleted,
      organization: owner.organization,
      subjectType: attachment.ownerType,
      subjectId: owner.id,
      summary: definition.confidential ? `删除了${owner.label}的一个附件` : `删除${owner.label}的附件“${attachment.name}”`,
      data: { attachmentId: id, sha256: attachment.sha256 },
    });
    return tx.attachment.findUniqueOrThrow({ where: { id } });
  });
}

// Where attachment bytes live. The database store (the default) keeps them as AttachmentChunk rows of at
// most CHUNK_BYTES, written inside the caller's transaction and read back one chunk per statement, so
// neither direction holds a whole file; it works unchanged with several server processes and with the
// embedded database. An S3-compatible store would implement the same interface (README: 附件).

import type { PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';

export const CHUNK_BYTES = 256 * 1024;

/** A place for attachment bytes. */
export interface AttachmentStore {
  /** The name stored in `Attachment.store`. */
  readonly name: string;
  /** Stores one chunk (in order, from 0) of an attachment, inside the transaction creating it. */
  put(tx: Tx, attachmentId: string, seq: number, data: Uint8Array): Promise<void>;
  /** The bytes, chunk by chunk. */
  read(db: PrismaClient, attachmentId: string): AsyncGenerator<Uint8Array>;
  /** Drops the bytes (the Attachment row stays as the record of the deletion). */
  remove(tx: Tx, attachmentId: string): Promise<void>;
}

/** The default store: chunks in the database. */
export const databaseStore: AttachmentStore = {
  name: 'db',
  async put(tx, attachmentId, seq, data) {
    await tx.attachmentChunk.create({ data: { attachmentId, seq, data: new Uint8Array(data) } });
  },
  async *read(db, attachmentId) {
    for (let seq = 0; ; seq++) {
      const chunk = await db.attachmentChunk.findUnique({ where: { attachmentId_seq: { attachmentId, seq } }, select: { data: true } });
      if (!chunk) return;
      yield chunk.data;
    }
  },
  async remove(tx, attachmentId) {
    await tx.attachmentChunk.deleteMany({ where: { attachmentId } });
  },
};

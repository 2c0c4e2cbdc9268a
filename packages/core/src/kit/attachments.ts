// `<Type>.attachments` for any attachment owner, core's or a plugin's: one statement per owner type and
// request however many owners a query lists, and a confidential owner's read recorded first.

import type { Attachment } from '@dangjian/db';
import type PrismaTypes from '@dangjian/db/pothos-types';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Builder } from '../builder.ts';
import { type AttachmentOwnerDefinition, attachmentsOf } from '../data/attachment-owner.ts';
import { requestLoader } from '../loaders.ts';
import { attachmentRefOf } from '../schema/attachment-ref.ts';

/** How an owner type shows its files. */
export interface AttachmentsFieldOptions {
  /** The field's description: Chinese term first (`附件 — …`). */
  description: string;
  /**
   * Also add `attachmentOwnerId`, the global ID to pass to `attachFile(ownerId:)`: for types that are no
   * Relay node and so have no global `id` of their own (a development step, a brand evaluation).
   */
  ownerIdField?: boolean;
}

/**
 * Adds `attachments` (oldest first) to the GraphQL type of a Prisma model that is an attachment owner.
 * The parent object is already one the viewer may see; the owner's `audit`, if any, is awaited before
 * the files are returned.
 */
export function attachmentsField(
  builder: Builder,
  model: keyof PrismaTypes & string,
  owner: AttachmentOwnerDefinition,
  options: AttachmentsFieldOptions,
): void {
  // The model names differ per owner; Pothos types `prismaObjectField` by one literal model at a time.
  const add = builder.prismaObjectField.bind(builder) as (model: string, name: string, field: (t: any) => unknown) => void;
  add(model, 'attachments', (t) =>
    t.field({
      type: [attachmentRefOf(builder)],
      description: options.description,
      select: { id: true },
      resolve: async (parent: { id: string }, _args: unknown, ctx: Parameters<typeof attachmentsOf>[0]) => {
        const [rows] = await Promise.all([
          requestLoader<string, Attachment[]>(ctx, `core.attachments:${owner.type}`, (ids) => attachmentsOf(ctx, owner.type, ids)).load(
            parent.id,
          ),
          owner.audit?.(ctx, parent.id, 'attachments'),
        ]);
        return rows;
      },
    }),
  );
  if (options.ownerIdField) {
    add(model, 'attachmentOwnerId', (t) =>
      t.id({
        description: '附件归属 ID — the global ID that `attachFile(ownerId:)` takes for this record',
        select: { id: true },
        resolve: (parent: { id: string }) => encodeGlobalID(owner.type, parent.id),
      }),
    );
  }
}

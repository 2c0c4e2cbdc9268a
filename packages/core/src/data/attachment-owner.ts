// 附件归属 — the contract a record type signs to carry attachments. Core declares its own owners here and
// plugins theirs in `definePlugin({ attachmentOwners })`; the server assembles one registry from both at
// start-up (a type claimed twice stops it), so nothing registers into a module-level table at import.

import type { Attachment } from '@dangjian/db';
import type { Role } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { ForbiddenError } from '../errors/errors.ts';

/** An owner found for the viewer: its organization, for the activity and the audit record. */
export interface AttachmentOwner {
  id: string;
  /** How activities name it (`会议“…”`); never the content of a confidential record. */
  label: string;
  organization: { id: string; path: string };
}

/**
 * Finds an owner the viewer may see by its database id, applying the owner's own access rules; null when
 * it is missing or hidden (both answer alike). Reads through `ctx.db`, outside any transaction.
 */
export type OwnerFinder = (ctx: Context, id: string) => Promise<AttachmentOwner | null>;

/** A record type files can be attached to. */
export interface AttachmentOwnerDefinition<Event extends string = string> {
  /** The GraphQL type name: the typename of the global IDs `attachFile(ownerId:)` accepts. */
  readonly type: string;
  /** Activity kinds recorded when a file is added or deleted (a plugin's must be among its declared events). */
  readonly events: { readonly added: Event; readonly deleted: Event };
  /** Roles that upload and delete files of a visible owner (default ADMIN and SECRETARY); others get FORBIDDEN. */
  readonly writers?: readonly Role[];
  /** The owner inside the viewer's reach, or null. */
  readonly find: OwnerFinder;
  /**
   * Called before the files of an owner are listed (`read` = `attachments`) or one is downloaded
   * (`read` = `attachment:<id>`), and awaited: a confidential record writes its access log here, so no
   * file of it is shown without its record.
   */
  readonly audit?: (ctx: Context, ownerId: string, read: string) => Promise<unknown>;
  /**
   * 保密 — the upload and deletion activities name no file (a file name can say what a clue is about);
   * their kinds should be restricted by the plugin's `eventRoles` too.
   */
  readonly confidential?: boolean;
}

/** An owner with the plugin that declared it (null for core). */
export interface RegisteredAttachmentOwner extends AttachmentOwnerDefinition {
  readonly plugin: string | null;
}

/** The owner types of a deployment, by type name. */
export type AttachmentOwners = ReadonlyMap<string, RegisteredAttachmentOwner>;

/** The default writers of an owner's files. */
export const DEFAULT_WRITERS: readonly Role[] = ['ADMIN', 'SECRETARY'];

/**
 * Core's owners and each plugin's, in one map. Throws when two declare the same type, naming both, so a
 * deployment with a clash does not start.
 */
export function assembleAttachmentOwners(
  core: readonly AttachmentOwnerDefinition[],
  plugins: readonly { id: string; attachmentOwners?: readonly AttachmentOwnerDefinition[] }[],
): AttachmentOwners {
  const owners = new Map<string, RegisteredAttachmentOwner>();
  const add = (owner: AttachmentOwnerDefinition, plugin: string | null) => {
    const before = owners.get(owner.type);
    if (before) {
      const who = (p: string | null) => (p === null ? 'core' : `plugin ${p}`);
      throw new Error(`attachment owner ${owner.type} is declared by ${who(before.plugin)} and by ${who(plugin)}`);
    }
    owners.set(owner.type, Object.freeze({ ...owner, plugin }));
  };
  for (const owner of core) add(owner, null);
  for (const plugin of plugins) for (const owner of plugin.attachmentOwners ?? []) add(owner, plugin.id);
  return owners;
}

/** FORBIDDEN unless the viewer holds a role that uploads and deletes files of this owner type. */
export function assertWritesAttachments(definition: AttachmentOwnerDefinition, roles: readonly Role[]): void {
  const writers = definition.writers ?? DEFAULT_WRITERS;
  if (!writers.some((r) => roles.includes(r))) {
    throw new ForbiddenError(`attaching and deleting files of a ${definition.type} requires ${writers.join(' or ')}`);
  }
}

/** The files of owners of one type, for one request: one statement however many owners ask. */
export async function attachmentsOf(ctx: Context, type: string, ownerIds: readonly string[]): Promise<Attachment[][]> {
  const rows = await ctx.db.attachment.findMany({
    where: { ownerType: type, ownerId: { in: [...ownerIds] }, deletedAt: null },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const byOwner = new Map<string, Attachment[]>();
  for (const row of rows) byOwner.set(row.ownerId, [...(byOwner.get(row.ownerId) ?? []), row]);
  return ownerIds.map((id) => byOwner.get(id) ?? []);
}

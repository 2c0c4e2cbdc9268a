import { type AttachmentOwnerDefinition, attachmentsField, type Builder } from '@dangjian/core';
import type { CommunityReportEvent } from './events.ts';
import { ownedWhere, recordScope } from './scope.ts';

/**
 * 服务记录 — a service record's proof (签到表, 照片), seen by whoever sees the record: the member's agency
 * subtree and the community's administrator, who both may attach.
 */
export const SERVICE_FILES: AttachmentOwnerDefinition<CommunityReportEvent> = {
  type: 'CommunityServiceRecord',
  events: { added: 'community-report.serviceAttachmentAdded', deleted: 'community-report.serviceAttachmentDeleted' },
  writers: ['ADMIN', 'SECRETARY', 'COMMUNITY_ADMIN'],
  find: async (ctx, id) => {
    const row = await ctx.db.communityServiceRecord.findFirst({
      where: { id, ...ownedWhere(await recordScope(ctx)) },
      select: { id: true, date: true, organizationId: true, community: { select: { name: true } } },
    });
    if (!row) return null;
    const organization = await ctx.db.organization.findUniqueOrThrow({
      where: { id: row.organizationId },
      select: { id: true, path: true },
    });
    return { id: row.id, label: `${row.community.name} ${row.date.toISOString().slice(0, 10)} 的服务记录`, organization };
  },
};

/** `CommunityServiceRecord.attachments`. */
export function registerServiceAttachments(builder: Builder): void {
  attachmentsField(builder, 'CommunityServiceRecord', SERVICE_FILES, {
    description: '附件 — proof of the service (sign-in sheets, photos), oldest first',
  });
}

import { type AttachmentOwnerDefinition, attachmentsField, type Builder } from '@dangjian/core';
import type { PartyBrandEvent } from './events.ts';
import { brandScope } from './scope.ts';

/** 品牌年度测评 — an evaluation's materials (测评表, 现场照片), for those who see the brand; the evaluating ADMIN attaches them. */
export const EVALUATION_FILES: AttachmentOwnerDefinition<PartyBrandEvent> = {
  type: 'BrandEvaluation',
  events: { added: 'party-brand.evaluationAttachmentAdded', deleted: 'party-brand.evaluationAttachmentDeleted' },
  writers: ['ADMIN'],
  find: async (ctx, id) => {
    const row = await ctx.db.partyBrandEvaluation.findFirst({
      where: { id, brand: await brandScope(ctx) },
      select: { id: true, year: true, brand: { select: { name: true, organizationId: true } } },
    });
    if (!row) return null;
    const organization = await ctx.db.organization.findUniqueOrThrow({
      where: { id: row.brand.organizationId },
      select: { id: true, path: true },
    });
    return { id: row.id, label: `品牌“${row.brand.name}”${row.year} 年度测评`, organization };
  },
};

/** `BrandEvaluation.attachments` and its `attachmentOwnerId` (an evaluation is no Relay node). */
export function registerEvaluationAttachments(builder: Builder): void {
  attachmentsField(builder, 'PartyBrandEvaluation', EVALUATION_FILES, {
    description: '附件 — the evaluation’s materials (score sheets, photos), oldest first',
    ownerIdField: true,
  });
}

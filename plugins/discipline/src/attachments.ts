import { type AttachmentOwner, type AttachmentOwnerDefinition, attachmentsField, type Builder, type Context } from '@dangjian/core';
import { visibleClueWhere, visibleInspectionWhere } from './access.ts';
import { auditClueRead } from './clue-audit.ts';
import type { DisciplineEvent } from './events.ts';

/** Inspection papers and rectification evidence are worked on by both sides and the discipline body. */
const WRITERS = ['ADMIN', 'SECRETARY', 'DISCIPLINE'] as const;

async function ownedBy(ctx: Context, id: string, label: string, organizationId: string): Promise<AttachmentOwner> {
  const organization = await ctx.db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, path: true } });
  return { id, label, organization };
}

/** 督查 — an inspection's papers (督查通知, 工作底稿, 反馈意见), for those who see the inspection. */
const inspection: AttachmentOwnerDefinition<DisciplineEvent> = {
  type: 'Inspection',
  events: { added: 'discipline.inspectionAttachmentAdded', deleted: 'discipline.inspectionAttachmentDeleted' },
  writers: WRITERS,
  find: async (ctx, id) => {
    const row = await ctx.db.disciplineInspection.findFirst({
      where: { id, ...(await visibleInspectionWhere(ctx)) },
      select: { id: true, inspectedOrganizationId: true },
    });
    return row ? ownedBy(ctx, row.id, '督查', row.inspectedOrganizationId) : null;
  },
};

/** 整改事项 — rectification evidence beside the text `submitRectification(evidence:)` keeps taking. */
const rectification: AttachmentOwnerDefinition<DisciplineEvent> = {
  type: 'Rectification',
  events: { added: 'discipline.rectificationAttachmentAdded', deleted: 'discipline.rectificationAttachmentDeleted' },
  writers: WRITERS,
  find: async (ctx, id) => {
    const row = await ctx.db.disciplineRectification.findFirst({
      where: { id, problem: { inspection: await visibleInspectionWhere(ctx) } },
      select: { id: true, measure: true, problem: { select: { inspection: { select: { inspectedOrganizationId: true } } } } },
    });
    return row ? ownedBy(ctx, row.id, `整改事项“${row.measure.slice(0, 30)}”`, row.problem.inspection.inspectedOrganizationId) : null;
  },
};

/**
 * 问题线索 — a clue's files follow the clue exactly: found only through `visibleClueWhere` (DISCIPLINE of
 * the receiving organization or above, never the subject), written by DISCIPLINE, and every listing and
 * download is written to the clue's access log and the audit trail before anything is returned. The label
 * names no content: activities of a clue carry nothing of it.
 */
const clue: AttachmentOwnerDefinition<DisciplineEvent> = {
  type: 'Clue',
  events: { added: 'discipline.clueAttachmentAdded', deleted: 'discipline.clueAttachmentDeleted' },
  writers: ['DISCIPLINE'],
  find: async (ctx, id) => {
    const row = await ctx.db.disciplineClue.findFirst({
      where: { id, ...(await visibleClueWhere(ctx)) },
      select: { id: true, receivingOrganizationId: true },
    });
    return row ? ownedBy(ctx, row.id, '问题线索', row.receivingOrganizationId) : null;
  },
  audit: (ctx, id, read) => auditClueRead(ctx, id, read),
  confidential: true,
};

/** The plugin's attachment owners (`definePlugin({ attachmentOwners })`). */
export const ATTACHMENT_OWNERS = [inspection, rectification, clue] as const;

/** `attachments` on inspections, rectification items and clues. */
export function registerAttachments(builder: Builder): void {
  attachmentsField(builder, 'DisciplineInspection', inspection, {
    description: '附件 — the inspection’s papers (notice, working papers, feedback), oldest first',
  });
  attachmentsField(builder, 'DisciplineRectification', rectification, {
    description: '整改佐证材料 — files evidencing the rectification (beside the text `evidence`), oldest first',
  });
  attachmentsField(builder, 'DisciplineClue', clue, {
    description: '附件 — the clue’s files (the report, its enclosures); listing them is written to the access log',
  });
}

// Core's record types that carry files: meetings (minutes, photos), steps of the development procedure
// (入党申请书, 政审材料, 入党志愿书 …) and organizations' reports on assessment tasks. Each is found with the
// same subtree rule its own queries use.

import { organizationScope } from '../auth/subtree.ts';
import { stepSpec } from '../schema/development-rules.ts';
import { assembleAttachmentOwners, type AttachmentOwnerDefinition, type AttachmentOwners } from './attachment-owner.ts';

const meeting: AttachmentOwnerDefinition = {
  type: 'Meeting',
  events: { added: 'meeting.attachmentAdded', deleted: 'meeting.attachmentDeleted' },
  find: async (ctx, id) => {
    const row = await ctx.db.meeting.findFirst({
      where: { id, organization: organizationScope(ctx) },
      select: { id: true, topic: true, organization: { select: { id: true, path: true } } },
    });
    return row ? { id: row.id, label: `会议“${row.topic}”`, organization: row.organization } : null;
  },
};

const developmentEntry: AttachmentOwnerDefinition = {
  type: 'DevelopmentEntry',
  events: { added: 'development.attachmentAdded', deleted: 'development.attachmentDeleted' },
  find: async (ctx, id) => {
    const row = await ctx.db.developmentEntry.findFirst({
      where: { id, record: { organization: organizationScope(ctx) } },
      select: { id: true, kind: true, step: true, record: { select: { name: true, organization: { select: { id: true, path: true } } } } },
    });
    if (!row) return null;
    const step = row.kind === 'STEP' ? `第 ${row.step} 步“${stepSpec(row.step).name}”` : '决定';
    return { id: row.id, label: `${row.record.name}的发展${step}`, organization: row.record.organization };
  },
};

const taskAssignment: AttachmentOwnerDefinition = {
  type: 'AssessmentTaskAssignment',
  events: { added: 'assessment.attachmentAdded', deleted: 'assessment.attachmentDeleted' },
  find: async (ctx, id) => {
    const row = await ctx.db.assessmentTaskAssignment.findFirst({
      where: { id, organization: organizationScope(ctx) },
      select: { id: true, task: { select: { title: true } }, organization: { select: { id: true, path: true, name: true } } },
    });
    return row
      ? {
          id: row.id,
          label: `${row.organization.name}的任务“${row.task.title}”`,
          organization: { id: row.organization.id, path: row.organization.path },
        }
      : null;
  },
};

/** Core's attachment owners. */
export const CORE_ATTACHMENT_OWNERS: readonly AttachmentOwnerDefinition[] = Object.freeze([meeting, developmentEntry, taskAssignment]);

/** Every owner type of a deployment: core's, then each loaded plugin's; a type declared twice throws (start-up stops). */
export function loadedAttachmentOwners(
  plugins: readonly { id: string; attachmentOwners?: readonly AttachmentOwnerDefinition[] }[],
): AttachmentOwners {
  return assembleAttachmentOwners(CORE_ATTACHMENT_OWNERS, plugins);
}

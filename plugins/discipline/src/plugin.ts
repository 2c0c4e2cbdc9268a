import { definePlugin, requiresFrom } from '@dangjian/core';
import pkg from '../package.json' with { type: 'json' };
import { ATTACHMENT_OWNERS, registerAttachments } from './attachments.ts';
import { registerClue } from './clue.ts';
import { registerClueMutations } from './clue-mutations.ts';
import { registerClueStatistics } from './clue-statistics.ts';
import type { Deps } from './deps.ts';
import { defineEnums } from './enums.ts';
import { EVENT_ROLES, EVENTS, type DisciplineEvent } from './events.ts';
import { registerInspection } from './inspection.ts';
import { registerProblem } from './problem.ts';
import { registerRectification } from './rectification.ts';
import { registerRectificationBoard } from './rectification-board.ts';
import { rectificationDueRule } from './reminders.ts';
import { registerViewerPermissions } from './viewer-permissions.ts';
import { INDICATORS } from './indicators.ts';

declare module '@dangjian/core' {
  interface DangjianPlugins {
    discipline: { events: DisciplineEvent };
  }
}

/** 纪检监督 — inspections, rectification and confidential clue handling. */
export const disciplinePlugin = definePlugin({
  id: 'discipline',
  version: pkg.version,
  description: pkg.description,
  requires: requiresFrom(pkg),
  events: EVENTS,
  eventRoles: EVENT_ROLES,
  indicators: INDICATORS,
  reminders: [rectificationDueRule],
  attachmentOwners: ATTACHMENT_OWNERS,
  register(builder, api) {
    const deps: Deps = { api, enums: defineEnums(builder) };
    registerInspection(builder, deps);
    registerProblem(builder, deps);
    registerRectification(builder, deps);
    registerRectificationBoard(builder, deps);
    registerClue(builder, deps);
    registerClueMutations(builder, deps);
    registerClueStatistics(builder, deps);
    registerViewerPermissions(builder);
    registerAttachments(builder);
  },
});

export { raiseOverdueRectifications } from './rectification-board.ts';

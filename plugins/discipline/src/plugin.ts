import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';
import { defineClueEnums, registerClue } from './clue.ts';
import { registerClueMutations } from './clue-mutations.ts';
import { registerClueStatistics } from './clue-statistics.ts';
import { DISCIPLINE_EVENT_ROLES, DISCIPLINE_EVENTS } from './events.ts';
import { registerInspection } from './inspection.ts';
import { registerProblem } from './problem.ts';
import { defineRectificationStatus, registerRectification } from './rectification.ts';
import { registerRectificationBoard } from './rectification-board.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

declare module '@dangjian/core' {
  interface DangjianPlugins {
    discipline: {
      events:
        | 'discipline.inspectionOpened'
        | 'discipline.rectificationOverdue'
        | 'discipline.rectificationAccepted'
        | 'discipline.clueReceived'
        | 'discipline.clueDisposed';
    };
  }
}

/** 纪检监督 — inspections, rectification and confidential clue handling. */
export const disciplinePlugin = definePlugin({
  id: 'discipline',
  version,
  description: '纪检监督 — inspections, rectification and confidential clue handling',
  requires: { core: '^1.1.0' },
  events: [...DISCIPLINE_EVENTS],
  eventRoles: DISCIPLINE_EVENT_ROLES,
  register(builder, api) {
    registerInspection(builder, api);
    registerProblem(builder, api);
    const RectificationStatus = defineRectificationStatus(builder);
    registerRectification(builder, api, RectificationStatus);
    registerRectificationBoard(builder, api);
    const clueEnums = defineClueEnums(builder);
    registerClue(builder, api, clueEnums);
    registerClueMutations(builder, api, clueEnums);
    registerClueStatistics(builder, clueEnums);
  },
});

export { raiseOverdueRectifications } from './rectification-board.ts';

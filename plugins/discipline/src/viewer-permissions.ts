import { hasRole, viewerPermissionsRefOf, type Builder } from '@dangjian/core';
import { INSPECTION_READERS } from './access.ts';

/**
 * 纪检监督's booleans on `viewer.permissions`: what a UI may offer. They come and go with the plugin, and
 * follow the same role rules as the fields they stand for (clues: DISCIPLINE of the receiving body or
 * above; inspections: the committee roles).
 */
export function registerViewerPermissions(builder: Builder): void {
  builder.objectFields(viewerPermissionsRefOf(builder), (t) => ({
    readDisciplineClues: t.boolean({
      description: '查看问题线索 — read and handle confidential clues received by the organization or below (DISCIPLINE)',
      resolve: ({ viewer }) => hasRole(viewer, 'DISCIPLINE'),
    }),
    readInspections: t.boolean({
      description: '查看督查 — read inspections, problems and rectification lists (ADMIN, SECRETARY, DISCIPLINE or AUDITOR)',
      resolve: ({ viewer }) => hasRole(viewer, ...INSPECTION_READERS),
    }),
  }));
}

import type { Builder } from '@dangjian/core';
import { PartyBrandState } from '@dangjian/db';

/** The GraphQL enum of brand states, named BrandState (the Prisma enum is PartyBrandState). */
export function defineBrandState(builder: Builder) {
  return builder.enumType(PartyBrandState, {
    name: 'BrandState',
    description: '党建品牌状态 — where a brand stands: draft → submitted → approved | returned → cultivating → model, or revoked',
    values: {
      DRAFT: { description: '草稿 — being written by its organization; not yet submitted' },
      SUBMITTED: { description: '已申报 — submitted to the committee above, awaiting review' },
      APPROVED: { description: '已认定 — accepted by the committee as a brand' },
      RETURNED: { description: '已退回 — sent back with reasons; may be revised and submitted again' },
      CULTIVATING: { description: '培育中 — being cultivated by the committee toward a model brand' },
      MODEL: { description: '示范品牌 — named a model (典型) brand' },
      REVOKED: { description: '已撤销 — approval withdrawn by the committee' },
    } as const,
  });
}

/** The BrandState enum ref. */
export type BrandStateRef = ReturnType<typeof defineBrandState>;

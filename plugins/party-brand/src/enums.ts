import type { Builder } from '@dangjian/core';
import { PartyBrandState } from '@dangjian/db';

/** The GraphQL enums of 党建品牌, defined once and handed to every type file in `deps.enums`. */
export function defineEnums(builder: Builder) {
  // Named BrandState in GraphQL; the Prisma enum is PartyBrandState.
  const State = builder.enumType(PartyBrandState, {
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
  const Direction = builder.enumType('BrandTrendDirection', {
    description: '走势 — which way a brand’s overall score went in its latest evaluation',
    values: {
      RISING: { description: '上升 — higher than the previous evaluation' },
      FALLING: { description: '下降 — lower than the previous evaluation' },
      STEADY: { description: '持平 — the same as the previous evaluation' },
    } as const,
  });
  return { State, Direction };
}

/** The enums as the type files receive them. */
export type Enums = ReturnType<typeof defineEnums>;

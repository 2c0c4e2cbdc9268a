import type { Builder } from '@dangjian/core';
import type { Gender } from '@dangjian/db';
import { HelpPairingStatus, HouseholdDifficulty, MemberGrowthKind, TalentPathStage } from '@dangjian/db';

/**
 * The plugin's GraphQL enums, defined once and handed to every file that uses them, plus core's
 * `Gender` enum referenced by name (core registers it; a second definition would clash).
 */
export function defineEnums(builder: Builder) {
  const Stage = builder.enumType(TalentPathStage, {
    name: 'TalentPathStage',
    description: '发展阶段 — stage of the path into the party, in order; stages are never skipped or gone back to',
    values: {
      APPLICANT: { description: '入党申请人 — applicant: has handed in an application to join the party' },
      ACTIVIST: { description: '入党积极分子 — activist: cultivated and examined for at least one year' },
      DEVELOPMENT_TARGET: { description: '发展对象 — development target: under political review and training' },
      PROBATIONARY: { description: '预备党员 — probationary member: the core member record exists from here' },
    },
  });
  const GrowthKind = builder.enumType(MemberGrowthKind, {
    name: 'MemberGrowthKind',
    description: '成长记录类别 — kind of a member’s growth into a leader of prosperity (党员培养成致富能手)',
    values: {
      TRAINING: { description: '技能培训 — skills training taken' },
      PROJECT: { description: '创业项目 — a project or business started (amount: the investment, optional)' },
      INCOME: { description: '增收 — income raised (amount: yuan, required)' },
    },
  });
  const Difficulty = builder.enumType(HouseholdDifficulty, {
    name: 'HouseholdDifficulty',
    description: '困难类型 — why a household is in difficulty',
    values: {
      ILLNESS: { description: '因病 — illness' },
      DISABILITY: { description: '因残 — disability' },
      LACK_OF_LABOR: { description: '缺劳力 — lack of labour' },
      LACK_OF_SKILLS: { description: '缺技术 — lack of skills' },
      DISASTER: { description: '因灾 — natural disaster' },
      EDUCATION: { description: '因学 — cost of schooling' },
      OTHER: { description: '其他 — other' },
    },
  });
  const PairingStatus = builder.enumType(HelpPairingStatus, {
    name: 'HelpPairingStatus',
    description: '结对状态 — status of a pairing',
    values: {
      OPEN: { description: '帮扶中 — open: visits and help are being recorded' },
      CLOSED: { description: '已结束 — closed with a result' },
    },
  });
  // Core's enum, reached by its registered name: Pothos resolves a type name to the implemented type.
  const GenderRef = 'Gender' as unknown as PothosSchemaTypes.EnumRef<Types, Gender, Gender>;
  return { Stage, GrowthKind, Difficulty, PairingStatus, Gender: GenderRef };
}

type Types = Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export type Enums = ReturnType<typeof defineEnums>;

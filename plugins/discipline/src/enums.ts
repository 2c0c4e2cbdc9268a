import type { Builder } from '@dangjian/core';
import {
  DisciplineClueChannel,
  DisciplineClueStatus,
  DisciplineDisposition,
  DisciplineProblemCategory,
  DisciplineRectificationStatus,
  DisciplineResponsibilityKind,
} from '@dangjian/db';
import { CATEGORIES } from './problem.ts';

/** The GraphQL enums of 纪检监督, defined once and handed to every type file in `deps.enums`. */
export function defineEnums(builder: Builder) {
  const Channel = builder.enumType(DisciplineClueChannel, {
    name: 'ClueChannel',
    description: '线索来源 — the supervision channel a clue came through',
    values: {
      SUPERIOR: { description: '上级监督 — from a superior organization' },
      PEER: { description: '平级监督 — from a peer' },
      SUBORDINATE: { description: '下级监督 — from a subordinate' },
      PUBLIC: { description: '群众监督 — from the public (letters, calls, visits)' },
    },
  });
  const Status = builder.enumType(DisciplineClueStatus, {
    name: 'ClueStatus',
    description: '线索状态 — where a clue stands',
    values: {
      RECEIVED: { description: '已受理 — received and registered' },
      UNDER_REVIEW: { description: '核查中 — under review' },
      DISPOSED: { description: '已处置 — disposed of with a measure (final)' },
      CLOSED: { description: '已了结 — closed without action (final)' },
    },
  });
  const Disposition = builder.enumType(DisciplineDisposition, {
    name: 'ClueDisposition',
    description: '处置方式 — how a clue was disposed of',
    values: {
      TALK_REMINDER: { description: '谈话提醒 — talk and reminder' },
      CRITICISM: { description: '批评教育 — criticism and education' },
      ADMONISHMENT: { description: '诫勉 — admonishment' },
      PARTY_DISCIPLINE: { description: '党纪处分 — party disciplinary sanction' },
      CLOSED_NO_ACTION: { description: '了结 — closed, no action needed (the clue ends CLOSED)' },
    },
  });
  const RectificationStatus = builder.enumType(DisciplineRectificationStatus, {
    name: 'RectificationStatus',
    description: '整改状态 — where a rectification item stands',
    values: {
      OPEN: { description: '整改中 — not yet answered' },
      SUBMITTED: { description: '已提交 — the inspected organization reported it done, with evidence' },
      ACCEPTED: { description: '已验收 — the inspecting committee accepted it (final)' },
      REOPENED: { description: '已退回 — the inspecting committee sent it back; to be submitted again' },
    },
  });
  const ProblemCategory = builder.enumType(DisciplineProblemCategory, {
    name: 'ProblemCategory',
    description: '问题类别 — which part of party building a problem concerns',
    values: Object.fromEntries(Object.entries(CATEGORIES).map(([k, description]) => [k, { description }])) as Record<
      DisciplineProblemCategory,
      { description: string }
    >,
  });
  const ResponsibilityKind = builder.enumType(DisciplineResponsibilityKind, {
    name: 'ResponsibilityKind',
    description: '责任类别 — kind of responsibility for a problem',
    values: {
      PRIMARY: { description: '主体责任 — primary responsibility (the party organization and its secretary)' },
      DIRECT: { description: '直接责任 — direct responsibility (whoever did or failed to do the thing)' },
    },
  });
  return { Channel, Status, Disposition, RectificationStatus, ProblemCategory, ResponsibilityKind };
}

/** The enums as the type files receive them. */
export type Enums = ReturnType<typeof defineEnums>;

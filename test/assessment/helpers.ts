import { expect } from 'vitest';
import type { GqlResult } from '@dangjian/testing';

export const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
export const thisYear = () => new Date().getUTCFullYear();

export function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}

export function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

export const SCHEME_FIELDS = `id year name totalPoints kinds state publishedAt
  items { id position category name maxPoints source indicatorId rule { kind target perOccurrence floor threshold cap steps { atLeast points } } }`;
export const CREATE = `mutation ($input: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $input) { ${SCHEME_FIELDS} } }`;
export const UPDATE = `mutation ($id: ID!, $input: UpdateAssessmentSchemeInput!) { updateAssessmentScheme(id: $id, input: $input) { ${SCHEME_FIELDS} } }`;
export const PUBLISH = `mutation ($id: ID!) { publishAssessmentScheme(id: $id) { id state publishedAt } }`;
export const SET_MANUAL = `mutation ($input: SetAssessmentManualScoreInput!) {
  setAssessmentManualScore(input: $input) { id value reason evidence organization { code } item { name } } }`;
export const CARD_FIELDS = `total maxPoints vetoed rank coveredCount siblingRank siblingCount published hash
  organization { id code }
  items { itemId name source indicatorId value points notApplicable notApplicableReason vetoed manualReason manualEvidence
    rule { kind } evidence { indicatorId organization { code } from to } }`;
export const CARD = `query ($o: ID!, $s: ID!) { scorecard(organizationId: $o, schemeId: $s) { ${CARD_FIELDS} } }`;
export const CARDS = `query ($s: ID!, $under: ID, $kinds: [OrganizationKind!], $first: Int, $after: String) {
  scorecards(schemeId: $s, under: $under, kinds: $kinds, orderBy: TOTAL, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${CARD_FIELDS} } } } }`;

/** A scheme of three fixture-indicator items, a manual item, a tasks item and a veto, 100 points. */
// Loosely typed: tests mutate items freely to build invalid input.
export const schemeInput = (
  name: string,
  year = thisYear(),
): { year: number; name: string; totalPoints: string; kinds: string[]; items: any[] } => ({
  year,
  name,
  totalPoints: '100',
  kinds: ['BRANCH', 'TEMPORARY_BRANCH'],
  items: [
    {
      category: 'PARTY',
      name: '会议次数',
      maxPoints: '30',
      source: 'INDICATOR',
      indicatorId: 'assessment-fixture.meetings.held',
      rule: { kind: 'PROPORTIONAL', target: '40' },
    },
    {
      category: 'PARTY',
      name: '党员规模',
      maxPoints: '20',
      source: 'INDICATOR',
      indicatorId: 'assessment-fixture.members.count',
      rule: {
        kind: 'STEPPED',
        steps: [
          { atLeast: '5', points: '10' },
          { atLeast: '10', points: '20' },
        ],
      },
    },
    {
      category: 'INTEGRATED',
      name: '预备党员（扣分）',
      maxPoints: '10',
      source: 'INDICATOR',
      indicatorId: 'assessment-fixture.members.probationary',
      rule: { kind: 'DEDUCTION', perOccurrence: '2.5', floor: '2' },
    },
    { category: 'BUSINESS', name: '业务工作实绩', maxPoints: '25', source: 'MANUAL', rule: { kind: 'PROPORTIONAL', target: '25' } },
    { category: 'INTEGRATED', name: '任务清单', maxPoints: '15', source: 'TASKS', rule: { kind: 'PROPORTIONAL', target: '100' } },
    {
      category: 'PARTY',
      name: '严重违纪（一票否决）',
      maxPoints: '0',
      source: 'MANUAL',
      rule: { kind: 'VETO', threshold: '1', cap: '60' },
    },
  ],
});

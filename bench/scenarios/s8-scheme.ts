/**
 * Scenario 8's scheme: 20 indicator items, 100 points, on the indicator ids of core and the four plugins
 * (README's indicator table). Ours scores it through the API; the peer (s8-peer/) scores the same items.
 */

/** A scheme item as `createAssessmentScheme` takes it (decimal texts), for the indicator items s8 uses. */
export interface SchemeItem {
  category: 'PARTY' | 'BUSINESS' | 'INTEGRATED';
  name: string;
  maxPoints: string;
  source: 'INDICATOR';
  indicatorId: string;
  rule:
    | { kind: 'PROPORTIONAL'; target: string }
    | { kind: 'STEPPED'; steps: { atLeast: string; points: string }[] }
    | { kind: 'VETO'; threshold: string; cap: string };
}

const percent = (name: string, maxPoints: string, indicatorId: string, target = '100.00', category: SchemeItem['category'] = 'PARTY') =>
  ({ category, name, maxPoints, source: 'INDICATOR', indicatorId, rule: { kind: 'PROPORTIONAL', target } }) satisfies SchemeItem;
const stepped = (category: SchemeItem['category'], name: string, maxPoints: string, indicatorId: string, steps: [string, string][]) =>
  ({
    category,
    name,
    maxPoints,
    source: 'INDICATOR',
    indicatorId,
    rule: { kind: 'STEPPED', steps: steps.map(([atLeast, points]) => ({ atLeast, points })) },
  }) satisfies SchemeItem;
const yesNo = (name: string, maxPoints: string, indicatorId: string) =>
  stepped('PARTY', name, maxPoints, indicatorId, [['1.00', maxPoints]]);

/** 一票否决: 0 points; a value below `threshold` caps the card's total at `cap`. */
const veto = (name: string, indicatorId: string, threshold: string, cap: string) =>
  ({
    category: 'PARTY',
    name,
    maxPoints: '0.00',
    source: 'INDICATOR',
    indicatorId,
    rule: { kind: 'VETO', threshold, cap },
  }) satisfies SchemeItem;

export const RANKING_TOTAL = '100.00';

/** 20 items, 100 points. */
export const RANKING_ITEMS: readonly SchemeItem[] = [
  percent('支部党员大会按期召开', '10.00', 'core.meetings.generalMeeting'),
  percent('支委会按月召开', '6.00', 'core.meetings.committeeMeeting'),
  percent('党小组会按月召开', '4.00', 'core.meetings.groupMeeting'),
  percent('党课按季度开展', '6.00', 'core.meetings.partyLecture'),
  percent('主题党日按月开展', '12.00', 'core.meetings.themeDay'),
  yesNo('组织生活会召开', '5.00', 'core.meetings.organizationalLife'),
  stepped('PARTY', '党费按时足额缴纳', '8.00', 'core.dues.onTime', [
    ['80.00', '4.00'],
    ['95.00', '8.00'],
  ]),
  yesNo('按期换届', '5.00', 'core.terms.onTime'),
  veto('支部书记在岗（一票否决）', 'core.cadres.secretaryInPost', '1.00', '60.00'),
  yesNo('支部书记三年内参加培训', '4.00', 'core.cadres.secretaryTrained'),
  percent('党务干部培训学时', '4.00', 'core.training.cadreHours', '32.00'),
  percent('干部年度考核登记', '4.00', 'core.assessments.recorded'),
  stepped('INTEGRATED', '党建品牌创建', '6.00', 'party-brand.brands.stateReached', [
    ['1.00', '2.00'],
    ['2.00', '4.00'],
    ['3.00', '6.00'],
  ]),
  percent('党建品牌年度测评', '4.00', 'party-brand.evaluations.latestScore', '100.00', 'INTEGRATED'),
  percent('结对帮带走访', '4.00', 'dual-cultivation.pairings.visited', '100.00', 'INTEGRATED'),
  stepped('BUSINESS', '培养致富能人', '4.00', 'dual-cultivation.talents.advanced', [['1.00', '4.00']]),
  percent('报到党员服务时长', '4.00', 'community-report.service.hoursPerMember', '10.00', 'INTEGRATED'),
  stepped('INTEGRATED', '完成社区需求', '4.00', 'community-report.demands.completed', [['1.00', '4.00']]),
  percent('问题整改按期完成', '4.00', 'discipline.rectifications.onTime', '100.00', 'INTEGRATED'),
  percent('问题线索处置', '2.00', 'discipline.clues.disposed', '100.00', 'INTEGRATED'),
];

// 考核 of the demo: the working committee's scheme for the current year, with the agreed indicator ids of
// core and the plugins (those not provided by a deployment score not applicable), a manual business item
// scored for every branch, and a task list with reports in every state — so the first ranking query shows
// real, differing totals.

import type { AssessmentItemRow, AssessmentTaskAssignmentRow, OrganizationRow } from './types.ts';
import { addDays } from './dates.ts';
import type { BuildContext } from './life.ts';

type ItemSpec = Omit<AssessmentItemRow, 'id' | 'schemeId' | 'position' | 'target' | 'perOccurrence' | 'floor' | 'threshold' | 'cap'> &
  Partial<Pick<AssessmentItemRow, 'target' | 'perOccurrence' | 'floor' | 'threshold' | 'cap'>>;

const percent = (category: ItemSpec['category'], name: string, maxPoints: string, indicatorId: string): ItemSpec => ({
  category,
  name,
  maxPoints,
  source: 'INDICATOR',
  indicatorId,
  rule: 'PROPORTIONAL',
  target: '100.00',
});
const yesNo = (name: string, maxPoints: string, indicatorId: string): ItemSpec => ({
  category: 'PARTY',
  name,
  maxPoints,
  source: 'INDICATOR',
  indicatorId,
  rule: 'STEPPED',
  steps: [{ atLeast: '1.00', points: maxPoints }],
});

/** The items of the demo scheme: 100 points, 党建 / 融合 / 业务. */
const ITEMS: ItemSpec[] = [
  percent('PARTY', '支部党员大会按期召开', '6.00', 'core.meetings.generalMeeting'),
  percent('PARTY', '支委会按月召开', '6.00', 'core.meetings.committeeMeeting'),
  percent('PARTY', '党课按季度开展', '6.00', 'core.meetings.partyLecture'),
  percent('PARTY', '主题党日按月开展', '6.00', 'core.meetings.themeDay'),
  yesNo('组织生活会召开', '5.00', 'core.meetings.organizationalLife'),
  {
    category: 'PARTY',
    name: '党费按时足额缴纳',
    maxPoints: '8.00',
    source: 'INDICATOR',
    indicatorId: 'core.dues.onTime',
    rule: 'STEPPED',
    steps: [
      { atLeast: '80.00', points: '4.00' },
      { atLeast: '95.00', points: '8.00' },
    ],
  },
  yesNo('按期换届', '5.00', 'core.terms.onTime'),
  {
    category: 'PARTY',
    name: '支部书记在岗（一票否决）',
    maxPoints: '0.00',
    source: 'INDICATOR',
    indicatorId: 'core.cadres.secretaryInPost',
    rule: 'VETO',
    threshold: '1.00',
    cap: '60.00',
  },
  yesNo('支部书记三年内参加培训', '4.00', 'core.cadres.secretaryTrained'),
  {
    category: 'PARTY',
    name: '党务干部培训学时',
    maxPoints: '4.00',
    source: 'INDICATOR',
    indicatorId: 'core.training.cadreHours',
    rule: 'PROPORTIONAL',
    target: '32.00',
  },
  percent('PARTY', '干部年度考核登记', '4.00', 'core.assessments.recorded'),
  {
    category: 'INTEGRATED',
    name: '任务清单按期完成',
    maxPoints: '12.00',
    source: 'TASKS',
    indicatorId: null,
    rule: 'PROPORTIONAL',
    target: '100.00',
  },
  {
    category: 'INTEGRATED',
    name: '党建品牌创建',
    maxPoints: '6.00',
    source: 'INDICATOR',
    indicatorId: 'party-brand.brands.stateReached',
    rule: 'STEPPED',
    steps: [
      { atLeast: '1.00', points: '2.00' },
      { atLeast: '2.00', points: '4.00' },
      { atLeast: '3.00', points: '6.00' },
    ],
  },
  percent('INTEGRATED', '结对帮带走访', '4.00', 'dual-cultivation.pairings.visited'),
  percent('INTEGRATED', '问题整改按期完成', '4.00', 'discipline.rectifications.onTime'),
  {
    category: 'BUSINESS',
    name: '业务工作实绩',
    maxPoints: '20.00',
    source: 'MANUAL',
    indicatorId: null,
    rule: 'PROPORTIONAL',
    target: '20.00',
  },
];

const BUSINESS_REASONS = ['年度业务目标全面完成', '重点工作推进有力', '业务考核位列前茅', '个别指标未达预期', '服务群众满意度较高'];

const TASKS = [
  { title: '开展党纪学习教育', description: '制定学习计划，组织专题学习不少于4次，报送学习台账', days: -75, points: '10.00' },
  { title: '报送党建与业务融合典型案例', description: '每个支部报送1篇融合案例', days: -20, points: '5.00' },
  { title: '完成党员信息采集核对', description: '核对党员基本信息并更新', days: 45, points: '5.00' },
];

/** Adds the demo scheme of the root organization for the current year, its manual scores and its tasks. */
export function addAssessment(ctx: BuildContext): void {
  const { rng, today, data } = ctx;
  const root = data.organizations.find((o) => o.parentId === null);
  if (!root) return;
  const year = today.getUTCFullYear();
  const scheme = {
    id: rng.uuid(),
    organizationId: root.id,
    year,
    name: `${year}年度基层党组织党建工作考核`,
    totalPoints: '100.00',
    kinds: ['BRANCH' as const, 'TEMPORARY_BRANCH' as const],
  };
  data.assessmentSchemes.push(scheme);
  const items = ITEMS.map(
    (spec, position): AssessmentItemRow => ({
      target: null,
      perOccurrence: null,
      floor: null,
      threshold: null,
      cap: null,
      ...spec,
      id: rng.uuid(),
      schemeId: scheme.id,
      position,
    }),
  );
  data.assessmentItems.push(...items);

  const covered: OrganizationRow[] = data.organizations.filter((o) => o.kind === 'BRANCH' || o.kind === 'TEMPORARY_BRANCH');
  const business = items.find((i) => i.source === 'MANUAL')!;
  for (const org of covered) {
    data.assessmentManualScores.push({
      id: rng.uuid(),
      itemId: business.id,
      organizationId: org.id,
      value: `${rng.int(11, 20)}.${rng.pick(['00', '50'])}`,
      reason: rng.pick(BUSINESS_REASONS),
      evidence: '机关工委考核组年度评议记录',
      scoredBy: 'seed',
      scoredAt: addDays(today, -rng.int(1, 10)),
    });
  }

  for (const spec of TASKS) {
    const deadline = addDays(today, spec.days);
    const task = {
      id: rng.uuid(),
      organizationId: root.id,
      schemeId: scheme.id,
      title: spec.title,
      description: spec.description,
      deadline,
      points: spec.points,
      createdBy: 'seed',
      createdAt: addDays(today, Math.min(spec.days, 0) - 30),
    };
    data.assessmentTasks.push(task);
    for (const org of covered) {
      const row: AssessmentTaskAssignmentRow = {
        id: rng.uuid(),
        taskId: task.id,
        organizationId: org.id,
        state: 'ASSIGNED',
        account: null,
        reportedAt: null,
        reportedBy: null,
        decidedAt: null,
        decidedBy: null,
        returnReason: null,
      };
      const roll = rng.int(1, 10);
      const report = (reportedAt: Date, state: 'REPORTED' | 'ACCEPTED' | 'RETURNED') => {
        Object.assign(row, { state, account: `${spec.title}：已按要求完成并报送材料`, reportedAt, reportedBy: 'seed' });
        if (state !== 'REPORTED') Object.assign(row, { decidedAt: addDays(reportedAt, 2), decidedBy: 'seed' });
        if (state === 'RETURNED') row.returnReason = '材料不完整，请补充会议记录';
      };
      if (spec.days < 0) {
        // Past deadline: 2 in 10 never reported, 1 reported late, 1 returned, the rest accepted on time.
        if (roll === 3) report(addDays(deadline, rng.int(1, Math.min(10, -spec.days))), 'ACCEPTED');
        else if (roll === 4) report(addDays(deadline, -rng.int(1, 10)), 'RETURNED');
        else if (roll >= 5) report(addDays(deadline, -rng.int(1, 15)), 'ACCEPTED');
      } else if (roll >= 6) {
        // Not yet due: some reported already, a few of them accepted.
        report(addDays(today, -rng.int(1, 10)), roll >= 9 ? 'ACCEPTED' : 'REPORTED');
      }
      data.assessmentTaskAssignments.push(row);
    }
  }
}

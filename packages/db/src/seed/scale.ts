// Synthetic dataset for benchmarks: a wide, shallow tree like a province's agency organizations, with
// exactly the requested numbers of organizations and members. Only a light layer of meetings and dues
// is added so generation stays fast (10k organizations / 100k members in well under a few seconds).

import type { MeetingKind } from '../generated/prisma/client.ts';
import { MEETING_TOPICS } from './catalogue.ts';
import { addDays, addMonths, minDate, monthEnd, monthStart, startOfDay } from './dates.ts';
import { dateUpTo, type BuildContext } from './life.ts';
import { PersonFactory } from './people.ts';
import { Random } from './random.ts';
import {
  currentTerm,
  duesAmount,
  duesBaseOf,
  emptyDataset,
  makeMember,
  makeOrganization,
  membershipDates,
  monthlyIncome,
  type OrganizationFields,
} from './tree.ts';
import type { Dataset, OrganizationRow } from './types.ts';

/** Size and shape of a benchmark dataset. */
export interface ScaleOptions {
  /** Exact number of organizations, root included (at least 1). */
  organizations: number;
  /** Exact number of members. */
  members: number;
  seed?: number;
  today?: Date;
  /** Months of dues per member, ending with the current month (default 1). */
  duesMonths?: number;
  /** Meetings per member-holding organization, one per month going back (default 1); no attendance rows. */
  meetingsPerBranch?: number;
}

const AGENCY_NAMES = [
  '市财政局',
  '市教育局',
  '市公安局',
  '市卫健委',
  '市住建局',
  '市交通运输局',
  '市水利局',
  '市农业农村局',
  '市商务局',
  '市文广旅游局',
  '市审计局',
  '市统计局',
  '市市场监管局',
  '市生态环境局',
  '市自然资源规划局',
  '市应急管理局',
  '市司法局',
  '市医保局',
  '市国资委',
  '市体育局',
  '市民政局',
  '市科协',
  '市委宣传部',
  '市人社局',
  '市发改委',
];
const MEETING_CYCLE: MeetingKind[] = ['THEME_DAY', 'COMMITTEE_MEETING', 'GENERAL_MEETING', 'PARTY_LECTURE'];

/** Builds a benchmark dataset with exactly `organizations` organizations and `members` members. */
export function buildScaleDataset(options: ScaleOptions): Dataset {
  const { organizations: total, members: memberCount } = options;
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`organizations must be a positive integer, got ${total}`);
  if (!Number.isInteger(memberCount) || memberCount < 0) throw new RangeError(`members must be a non-negative integer, got ${memberCount}`);
  const rng = new Random(options.seed ?? 1);
  const today = startOfDay(options.today ?? new Date());
  const data = emptyDataset();
  const ctx: BuildContext = { rng, today, data };

  // Shape: ~1 committee per 50 organizations; of the rest 5% general branches, 30% groups, the remainder branches.
  const rest = total - 1;
  const committeeCount = rest === 0 ? 0 : Math.max(1, Math.round(rest / 50));
  const remaining = rest - committeeCount;
  const generalCount = Math.floor(remaining * 0.05);
  const groupCount = Math.floor(remaining * 0.3);
  const branchCount = remaining - generalCount - groupCount;

  const orgs = data.organizations;
  const parentIndex: number[] = [];
  const childCounters = new Map<number, number>();
  const add = (parent: number, fields: Omit<OrganizationFields, 'termStart' | 'termEnd'>, prefix: string): number => {
    const parentRow = parent >= 0 ? orgs[parent]! : null;
    const n = (childCounters.get(parent) ?? 0) + 1;
    childCounters.set(parent, n);
    const term = fields.kind === 'GROUP' ? { termStart: null, termEnd: null } : currentTerm(rng, fields.kind, today, rng.chance(0.05));
    const code = parentRow ? `${parentRow.code}-${prefix}${n}` : prefix;
    const name = fields.kind === 'GROUP' ? `第${n}党小组` : fields.name.replace('#', String(n));
    orgs.push(makeOrganization(rng, parentRow, { ...fields, name, code, ...term }));
    parentIndex.push(parent);
    return orgs.length - 1;
  };

  add(-1, { kind: 'WORKING_COMMITTEE', name: '市直机关工委', code: '', agency: '市直机关工委' }, 'BENCH');
  const committees: number[] = [];
  for (let i = 0; i < committeeCount; i++) {
    const round = Math.floor(i / AGENCY_NAMES.length);
    const agency = `${AGENCY_NAMES[i % AGENCY_NAMES.length]}${round > 0 ? round + 1 : ''}`;
    committees.push(add(0, { kind: 'COMMITTEE', name: `${agency}机关党委`, code: '', agency }, 'C'));
  }
  const agencyOf = (index: number) => orgs[index]!.agency;
  const generals: number[] = [];
  for (let i = 0; i < generalCount; i++) {
    const parent = committees[i % committees.length]!;
    generals.push(add(parent, { kind: 'GENERAL_BRANCH', name: '第#党总支', code: '', agency: agencyOf(parent) }, 'Z'));
  }
  // Every general branch gets at least one branch; about a fifth of all branches sit under one.
  const underGeneral = generals.length === 0 ? 0 : Math.min(branchCount, Math.max(generals.length, Math.floor(branchCount * 0.2)));
  const branches: number[] = [];
  for (let i = 0; i < branchCount; i++) {
    const parent = i < underGeneral ? generals[i % generals.length]! : committees[i % committees.length]!;
    const kind = rng.chance(0.01) ? 'TEMPORARY_BRANCH' : 'BRANCH';
    branches.push(add(parent, { kind, name: kind === 'BRANCH' ? '第#党支部' : '第#临时党支部', code: '', agency: agencyOf(parent) }, 'B'));
  }
  for (let i = 0; i < groupCount; i++) {
    const parent = branches[i % branches.length]!;
    add(parent, { kind: 'GROUP', name: '', code: '', agency: agencyOf(parent) }, 'G');
  }

  // Members: one per holder first so no branch is empty, then at random; each full member also fills the
  // nearest organization (own, then ancestors) still without a secretary, so secretaries are distinct people.
  const holders = branches.length > 0 ? branches : generals.length > 0 ? generals : committees.length > 0 ? committees : [0];
  const secretaryOf = new Array<number>(orgs.length).fill(-1);
  const people = new PersonFactory(rng, today);
  const duesMonths = options.duesMonths ?? 1;
  // The months paid end with last month: the current month is not due until its end, so the arrears
  // screen (which looks at due months) sees this data's 5 % of late payers.
  const months = Array.from({ length: duesMonths }, (_, i) => addMonths(monthStart(today), i - duesMonths));
  for (let i = 0; i < memberCount; i++) {
    const holder = i < holders.length ? holders[i]! : holders[rng.int(0, holders.length - 1)]!;
    const probationary = rng.chance(0.05);
    const person = people.create(probationary ? 23 : 24, probationary ? 35 : 59);
    const member = makeMember(rng, person, orgs[holder]!.id, membershipDates(rng, person.birthDate, today, probationary));
    data.members.push(member);
    if (!probationary) {
      let org = holder;
      while (org >= 0 && secretaryOf[org] !== -1) org = parentIndex[org]!;
      if (org >= 0) secretaryOf[org] = data.members.length - 1;
    }
    const income = monthlyIncome(rng, person.birthDate, today);
    const amount = duesAmount(income);
    data.duesBases.push(duesBaseOf(member.id, income, monthStart(member.joinedAt)));
    const arrears = rng.chance(0.05);
    for (const month of months) {
      if (month.getTime() < monthStart(member.joinedAt).getTime() || (arrears && month.getTime() === months[months.length - 1]!.getTime()))
        continue;
      data.duesPayments.push({
        id: rng.uuid(),
        memberId: member.id,
        month,
        amount,
        paidAt: minDate(addDays(month, rng.int(0, 14)), today),
      });
    }
  }

  orgs.forEach((org, index) => {
    const memberIndex = secretaryOf[index]!;
    // Groups have no secretary post; about 2% of organizations are left vacant on purpose.
    if (org.kind === 'GROUP' || memberIndex < 0 || !org.termStart || rng.chance(0.02)) return;
    data.cadres.push({
      id: rng.uuid(),
      memberId: data.members[memberIndex]!.id,
      organizationId: org.id,
      post: 'SECRETARY',
      fullTime: rng.chance(0.15),
      startDate: dateUpTo(ctx, org.termStart, addDays(org.termStart, 30)),
      endDate: null,
    });
  });

  const meetingsPerBranch = options.meetingsPerBranch ?? 1;
  for (const holder of holders) {
    const org: OrganizationRow = orgs[holder]!;
    for (let j = 0; j < meetingsPerBranch; j++) {
      const month = addMonths(monthStart(today), -j);
      const kind = MEETING_CYCLE[j % MEETING_CYCLE.length]!;
      data.meetings.push({
        id: rng.uuid(),
        organizationId: org.id,
        kind,
        date: rng.dateBetween(month, minDate(monthEnd(month), today)),
        topic: rng.pick(MEETING_TOPICS[kind]),
      });
    }
  }
  return data;
}

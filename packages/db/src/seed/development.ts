// Demo 发展党员 records: every branch develops two applicants at some step of the first fourteen, every
// probationary member of the demo has the record that made them one (steps 15–22), and some recently
// converted members have their completed or nearly completed record (steps 24–25). Step 23 (the 转正
// vote while still probationary after a year) cannot occur: demo probationary members joined within a year.
// Built after everything else, so the random stream of the other tables is unchanged.

import { addDays, addYears, maxDate } from './dates.ts';
import type { BuildContext } from './life.ts';
import { PersonFactory } from './people.ts';
import type { DevelopmentEntryRow, DevelopmentRecordRow, MemberRow, OrganizationRow } from './types.ts';

/** Days after the application each step is taken in the demo (the intervals keep every rule). */
const OFFSETS = [0, 0, 20, 60, 70, 80, 200, 436, 440, 450, 460, 470, 480, 492, 495, 500, 510, 560, 570, 580, 590, 700, 850] as const;
/** Step 15 (the branch general meeting) is taken OFFSETS[15] days after the application. */
const ACCEPTED = 500;

/** The account a demo step carries. */
const ACCOUNTS: Record<number, string> = {
  1: '本人递交入党申请书',
  2: '党组织派人谈话，了解基本情况',
  3: '经党员推荐、支委会研究，确定为入党积极分子',
  4: '报上级党委备案',
  5: '指定两名正式党员作培养联系人',
  6: '半年考察：表现良好',
  7: '听取各方意见，支委会讨论确定为发展对象',
  8: '报上级党委备案',
  9: '确定两名正式党员作入党介绍人',
  10: '政治审查合格',
  11: '参加党校集中培训三天，考试合格',
  12: '支部委员会审查合格',
  13: '上级党委预审合格，公示无异议',
  14: '填写入党志愿书',
  15: '支部大会讨论通过，接收为预备党员',
  16: '上级党委派人谈话',
  17: '上级党委审批同意',
  18: '报再上一级党委组织部门备案',
  19: '编入党支部和党小组',
  20: '面向党旗进行入党宣誓',
  21: '继续教育考察：表现良好',
  22: '本人提出转正申请',
  23: '支部大会讨论通过，同意按期转正',
  24: '上级党委审批同意转正',
  25: '入党材料归档',
};

interface Branch {
  row: OrganizationRow;
  roster: MemberRow[];
}

/** Adds the demo development records of the branches (in tree order). */
export function addDevelopment(ctx: BuildContext, branches: readonly Branch[]): void {
  const { rng, today, data } = ctx;
  const people = new PersonFactory(rng, today);
  const takenIds = new Set(data.members.map((m) => m.nationalId));
  const fullOf = (branch: Branch) => branch.roster.filter((m) => m.status === 'FULL' && m.organizationId === branch.row.id);

  /** Writes a record and its entries up to `step`; step k's date is `dateOf(k)`. */
  const write = (
    branch: Branch,
    person: Pick<DevelopmentRecordRow, 'name' | 'gender' | 'birthDate' | 'nationalId'>,
    step: number,
    dateOf: (step: number) => Date,
    member: MemberRow | null,
  ): DevelopmentRecordRow => {
    const full = fullOf(branch);
    const record: DevelopmentRecordRow = {
      id: rng.uuid(),
      name: person.name,
      gender: person.gender,
      birthDate: person.birthDate,
      nationalId: person.nationalId,
      organizationId: branch.row.id,
      state: step === 25 ? 'COMPLETED' : 'ACTIVE',
      step,
      stepDate: dateOf(step),
      appliedAt: dateOf(1),
      memberId: member?.id ?? null,
      probationEndsAt: step >= 15 ? addYears(dateOf(15), 1) : null,
      endedAt: null,
      endReason: null,
    };
    data.developmentRecords.push(record);
    for (let k = 1; k <= step; k++) {
      const vote = k === 15 || k === 23 ? { votesEntitled: full.length, votesPresent: full.length - 1, votesFor: full.length - 1 } : null;
      const entry: DevelopmentEntryRow = {
        id: rng.uuid(),
        recordId: record.id,
        kind: 'STEP',
        step: k,
        date: dateOf(k),
        account: ACCOUNTS[k]!,
        late: false,
        votesEntitled: vote?.votesEntitled ?? null,
        votesPresent: vote?.votesPresent ?? null,
        votesFor: vote?.votesFor ?? null,
        trainingDays: k === 11 ? 3 : null,
        noticeFrom: k === 13 ? dateOf(12) : null,
        noticeTo: k === 13 ? addDays(dateOf(12), 11) : null,
      };
      data.developmentEntries.push(entry);
      const named = k === 5 || k === 9 ? 2 : k === 2 || k === 16 ? 1 : 0;
      rng
        .sample(full, named)
        .forEach((m, position) => data.developmentPeople.push({ id: rng.uuid(), entryId: entry.id, position, memberId: m.id }));
    }
    return record;
  };

  const applicant = () => {
    let person = people.create(20, 35);
    while (takenIds.has(person.nationalId)) person = people.create(20, 35);
    takenIds.add(person.nationalId);
    return person;
  };

  branches.forEach((branch, i) => {
    // Two applicants per branch, cycling through steps 1–14 across the branches.
    for (const step of [((2 * i) % 14) + 1, ((2 * i + 1) % 14) + 1]) {
      const base = addDays(today, -OFFSETS[step]! - rng.int(3, 60));
      write(branch, applicant(), step, (k) => addDays(base, OFFSETS[k]!), null);
    }
    // Now and then one that was not pursued.
    if (i % 4 === 0) {
      const base = addDays(today, -rng.int(200, 400));
      const record = write(branch, applicant(), 3, (k) => addDays(base, OFFSETS[k]!), null);
      record.state = 'ENDED';
      record.endedAt = addDays(record.stepDate, 30);
      record.endReason = '工作调动，关系转往外地';
      data.developmentEntries.push({
        id: rng.uuid(),
        recordId: record.id,
        kind: 'ENDING',
        step: 3,
        date: record.endedAt,
        account: record.endReason,
        late: false,
        votesEntitled: null,
        votesPresent: null,
        votesFor: null,
        trainingDays: null,
        noticeFrom: null,
        noticeTo: null,
      });
    }
    const own = branch.roster.filter((m) => m.organizationId === branch.row.id);
    // Every probationary member came through the procedure: step 15 is the day they joined.
    for (const member of own.filter((m) => m.status === 'PROBATIONARY')) {
      const base = addDays(member.joinedAt, -ACCEPTED);
      const reachable = [15, 16, 17, 18, 19, 20, 21, 22].filter((k) => addDays(base, OFFSETS[k]!).getTime() <= today.getTime());
      const step = reachable[rng.int(0, reachable.length - 1)]!;
      write(branch, member, step, (k) => addDays(base, OFFSETS[k]!), member);
    }
    // A member converted in the last two years, with the record completed or awaiting its archive.
    const converted = own.find(
      (m) =>
        m.status === 'FULL' &&
        m.fullMemberAt !== null &&
        m.fullMemberAt.getTime() <= addDays(today, -30).getTime() &&
        m.fullMemberAt.getTime() >= addDays(today, -730).getTime(),
    );
    if (converted) {
      const base = addDays(converted.joinedAt, -ACCEPTED);
      const end = maxDate(converted.fullMemberAt!, addYears(converted.joinedAt, 1));
      const dateOf = (k: number) => (k <= 22 ? addDays(base, OFFSETS[k]!) : addDays(end, (k - 22) * 5));
      write(branch, converted, rng.chance(0.5) ? 24 : 25, dateOf, converted);
    }
  });
}

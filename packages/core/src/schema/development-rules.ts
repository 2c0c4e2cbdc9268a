// Pure rules of 发展党员 (《中国共产党发展党员工作细则》): the 25 steps in five stages, the intervals and
// time limits between them, who may be named at a step, and the vote rule of the branch general meeting.
// No database, no GraphQL: the mutations gather the facts, these functions judge them (unit-tested).

import { IllegalStateError, InputError } from '../errors/errors.ts';
import { isoDate } from '../kit/dates.ts';
import { addMonths, eighteenthBirthday } from './member-rules.ts';

/** The five stages, in order. */
export type DevelopmentStage = 'APPLICATION' | 'ACTIVIST' | 'TARGET' | 'ACCEPTANCE' | 'PROBATION';

export const DEVELOPMENT_STAGES: readonly DevelopmentStage[] = ['APPLICATION', 'ACTIVIST', 'TARGET', 'ACCEPTANCE', 'PROBATION'];

/** Chinese names of the stages. */
export const STAGE_NAMES: Record<DevelopmentStage, string> = {
  APPLICATION: '入党申请',
  ACTIVIST: '入党积极分子',
  TARGET: '发展对象',
  ACCEPTANCE: '预备党员的接收',
  PROBATION: '预备党员的教育考察和转正',
};

/** What a step asks of its input beyond date and account. */
export interface StepSpec {
  readonly step: number;
  readonly stage: DevelopmentStage;
  readonly name: string;
  /** People to name: [min, max] (培养联系人 1–2, 入党介绍人 2, 谈话人 at least one). */
  readonly people?: readonly [number, number];
  /** The named people must be full members (or named externally with a reason). */
  readonly fullMembers?: boolean;
  /** A vote of the branch general meeting. */
  readonly vote?: boolean;
  /** May be recorded again after itself (each half-yearly assessment, each period of continued education). */
  readonly repeatable?: boolean;
}

const S = (step: number, stage: DevelopmentStage, name: string, extra: Omit<StepSpec, 'step' | 'stage' | 'name'> = {}): StepSpec => ({
  step,
  stage,
  name,
  ...extra,
});

/** The 25 steps, index = step - 1. */
export const STEPS: readonly StepSpec[] = [
  S(1, 'APPLICATION', '递交入党申请书'),
  S(2, 'APPLICATION', '党组织派人谈话', { people: [1, 3] }),
  S(3, 'ACTIVIST', '推荐和确定入党积极分子'),
  S(4, 'ACTIVIST', '上级党委备案'),
  S(5, 'ACTIVIST', '指定培养联系人', { people: [1, 2], fullMembers: true }),
  S(6, 'ACTIVIST', '培养教育考察', { repeatable: true }),
  S(7, 'TARGET', '确定发展对象'),
  S(8, 'TARGET', '报上级党委备案'),
  S(9, 'TARGET', '确定入党介绍人', { people: [2, 2], fullMembers: true }),
  S(10, 'TARGET', '进行政治审查'),
  S(11, 'TARGET', '开展集中培训'),
  S(12, 'ACCEPTANCE', '支部委员会审查'),
  S(13, 'ACCEPTANCE', '上级党委预审'),
  S(14, 'ACCEPTANCE', '填写入党志愿书'),
  S(15, 'ACCEPTANCE', '支部大会讨论', { vote: true }),
  S(16, 'ACCEPTANCE', '上级党委派人谈话', { people: [1, 3] }),
  S(17, 'ACCEPTANCE', '上级党委审批'),
  S(18, 'ACCEPTANCE', '再上一级党委组织部门备案'),
  S(19, 'PROBATION', '编入党支部和党小组'),
  S(20, 'PROBATION', '入党宣誓'),
  S(21, 'PROBATION', '继续教育考察', { repeatable: true }),
  S(22, 'PROBATION', '提出转正申请'),
  S(23, 'PROBATION', '支部大会讨论', { vote: true }),
  S(24, 'PROBATION', '上级党委审批'),
  S(25, 'PROBATION', '材料归档'),
];

export const LAST_STEP = STEPS.length;
/** The branch general meeting that accepts the person as a probationary member. */
export const ACCEPTANCE_STEP = 15;
/** 上级党委审批 of 转正: the member becomes FULL. */
export const CONVERSION_STEP = 24;

export function stepSpec(step: number): StepSpec {
  const spec = STEPS[step - 1];
  if (!spec) throw new RangeError(`no development step ${step}`);
  return spec;
}

export function stageOf(step: number): DevelopmentStage {
  return stepSpec(step).stage;
}

/** The steps of a stage, as [first, last]. */
export function stageSteps(stage: DevelopmentStage): [number, number] {
  const steps = STEPS.filter((s) => s.stage === stage).map((s) => s.step);
  return [steps[0]!, steps[steps.length - 1]!];
}

/** Steps that may be recorded after `step`: the next one, and the same one again where it repeats. */
export function allowedNext(step: number): number[] {
  const next = step < LAST_STEP ? [step + 1] : [];
  return stepSpec(step).repeatable ? [step, ...next] : next;
}

/** The vote of a branch general meeting: members entitled to vote, present voting, approving. */
export interface Vote {
  entitled: number;
  present: number;
  for: number;
}

/**
 * The vote rule: present voting full members more than half of those entitled, and approvals more than
 * half of those entitled. Returns the refusal (with the numbers) or null when the resolution passes.
 */
export function voteProblem(vote: Vote): string | null {
  if (vote.present > vote.entitled) return `present (${vote.present}) cannot exceed entitled (${vote.entitled})`;
  if (vote.for > vote.present) return `approvals (${vote.for}) cannot exceed present (${vote.present})`;
  if (vote.present * 2 <= vote.entitled) {
    return `quorum not reached: ${vote.present} of ${vote.entitled} entitled members present, more than half (${Math.floor(vote.entitled / 2) + 1}) required`;
  }
  if (vote.for * 2 <= vote.entitled) {
    return `resolution refused: ${vote.for} of ${vote.entitled} entitled members approved, more than half (${Math.floor(vote.entitled / 2) + 1}) required`;
  }
  return null;
}

/** Working days (Monday–Friday) from `from` to `to`, both included. Public holidays are not known here. */
export function workingDays(from: Date, to: Date): number {
  let count = 0;
  for (let d = from.getTime(); d <= to.getTime(); d += 86_400_000) {
    const day = new Date(d).getUTCDay();
    if (day !== 0 && day !== 6) count += 1;
  }
  return count;
}

/** A person named at a step, as the mutation found them. */
export interface NamedPerson {
  /** The member's status when the person is a member of the system; null for someone named externally. */
  memberStatus: 'PROBATIONARY' | 'FULL' | null;
  /** Why an external person is named instead of a member of the system. */
  externalReason: string | null;
}

/** What is stored of a record, as far as the rules look. */
export interface RecordFacts {
  state: 'ACTIVE' | 'COMPLETED' | 'ENDED' | 'CANCELLED';
  step: number;
  stepDate: Date;
  birthDate: Date;
  /** Date of each step recorded (the last one where a step repeats). */
  stepDates: ReadonlyMap<number, Date>;
  probationEndsAt: Date | null;
  extendedMonths: number | null;
}

/** A step as the client gave it (already validated field by field). */
export interface StepInput {
  step: number;
  date: Date;
  people: readonly NamedPerson[];
  vote: Vote | null;
  trainingDays: number | null;
  trainingHours: number | null;
  noticeFrom: Date | null;
  noticeTo: Date | null;
}

/** The outcome of a step that passed the rules. */
export interface StepOutcome {
  /** A time limit was exceeded but the step stays allowed (flagged on the entry). */
  late: boolean;
  /** End of the probation, set by step 15. */
  probationEndsAt?: Date;
}

/** The age rule on the day of the application: at least 18. */
export function checkAge(birthDate: Date, date: Date, field: string): void {
  const adult = eighteenthBirthday(birthDate);
  if (date.getTime() < adult.getTime()) {
    throw new InputError(
      field,
      `rule 年满十八岁: the applicant must be at least 18 on the day of the application (${isoDate(date)}); 18th birthday ${isoDate(adult)}`,
    );
  }
}

function requireActive(facts: RecordFacts): void {
  if (facts.state !== 'ACTIVE')
    throw new IllegalStateError(`the development record is ${facts.state}; no further step can be recorded`, facts.state);
}

function stepDate(facts: RecordFacts, step: number): Date {
  const date = facts.stepDates.get(step);
  if (!date) throw new IllegalStateError(`step ${step} has no recorded date`, 'INCOMPLETE');
  return date;
}

/** Checks a step against the record and the rules; returns what the step sets. Throws the rule it breaks. */
export function checkStep(facts: RecordFacts, input: StepInput): StepOutcome {
  requireActive(facts);
  const spec = stepSpec(input.step);
  const allowed = allowedNext(facts.step);
  if (!allowed.includes(input.step)) {
    throw new IllegalStateError(
      `rule 按步骤进行: the record stands at step ${facts.step} (${stepSpec(facts.step).name}); the next step is ${allowed.join(' or ') || 'none'}, not ${input.step}`,
      `STEP_${facts.step}`,
    );
  }
  if (input.date.getTime() < facts.stepDate.getTime()) {
    throw new InputError('input.date', `rule 按步骤进行: must be on or after the previous step's date (${isoDate(facts.stepDate)})`);
  }
  checkPeople(spec, input.people);
  checkStepFields(spec, input);
  const outcome: StepOutcome = { late: false };
  switch (input.step) {
    case 2: {
      // A talk after the month is allowed, but flagged.
      const limit = addMonths(stepDate(facts, 1), 1);
      outcome.late = input.date.getTime() > limit.getTime();
      break;
    }
    case 7: {
      const earliest = addMonths(stepDate(facts, 3), 12);
      if (input.date.getTime() < earliest.getTime()) {
        throw new InputError(
          'input.date',
          `rule 培养考察一年以上: a development target is determined at least one year after becoming an activist (${isoDate(stepDate(facts, 3))}), not before ${isoDate(earliest)}`,
        );
      }
      break;
    }
    case 11: {
      const days = input.trainingDays ?? 0;
      const hours = input.trainingHours ?? 0;
      if (days < 3 && hours < 24) {
        throw new InputError(
          input.trainingDays == null ? 'input.trainingHours' : 'input.trainingDays',
          `rule 集中培训不少于三天或二十四学时: ${days} days / ${hours} 学时 given`,
        );
      }
      break;
    }
    case 13: {
      const from = input.noticeFrom!;
      const to = input.noticeTo!;
      if (to.getTime() < from.getTime()) throw new InputError('input.noticeTo', `must be on or after input.noticeFrom (${isoDate(from)})`);
      if (to.getTime() > input.date.getTime())
        throw new InputError('input.noticeTo', `rule 公示: the notice ends before the pre-examination (${isoDate(input.date)})`);
      if (from.getTime() < stepDate(facts, 12).getTime())
        throw new InputError(
          'input.noticeFrom',
          `rule 公示: the notice starts after the branch committee's review (${isoDate(stepDate(facts, 12))})`,
        );
      const days = workingDays(from, to);
      if (days < 5) {
        throw new InputError(
          'input.noticeTo',
          `rule 公示不少于五个工作日: ${isoDate(from)} to ${isoDate(to)} is ${days} working day${days === 1 ? '' : 's'}`,
        );
      }
      break;
    }
    case ACCEPTANCE_STEP:
      checkAge(facts.birthDate, input.date, 'input.date');
      outcome.probationEndsAt = addMonths(input.date, 12);
      break;
    case 17: {
      const accepted = stepDate(facts, ACCEPTANCE_STEP);
      const hardLimit = addMonths(accepted, 6);
      if (input.date.getTime() > hardLimit.getTime()) {
        throw new InputError(
          'input.date',
          `rule 审批时限: approval comes within six months at most of the branch resolution (${isoDate(accepted)}), by ${isoDate(hardLimit)}`,
        );
      }
      outcome.late = input.date.getTime() > addMonths(accepted, 3).getTime();
      break;
    }
    case 23:
    case CONVERSION_STEP: {
      const end = facts.probationEndsAt!;
      if (input.date.getTime() < end.getTime()) {
        throw new InputError('input.date', `rule 预备期满: the probation runs until ${isoDate(end)}; 转正 is discussed when it has ended`);
      }
      break;
    }
  }
  return outcome;
}

function checkPeople(spec: StepSpec, people: readonly NamedPerson[]): void {
  if (!spec.people) {
    if (people.length > 0) throw new InputError('input.people', `step ${spec.step} (${spec.name}) names no people`);
    return;
  }
  const [min, max] = spec.people;
  if (people.length < min || people.length > max) {
    const want = min === max ? `exactly ${min}` : `${min} to ${max}`;
    throw new InputError('input.people', `rule ${spec.name}: names ${want} people, ${people.length} given`);
  }
  people.forEach((person, i) => {
    if (person.memberStatus === null && !person.externalReason) {
      throw new InputError(`input.people[${i}].externalReason`, 'is required for a person who is not a member of the system');
    }
    if (spec.fullMembers && person.memberStatus === 'PROBATIONARY') {
      throw new InputError(`input.people[${i}].memberId`, `rule ${spec.name}: must be a full member (正式党员), not a probationary one`);
    }
  });
}

function checkStepFields(spec: StepSpec, input: StepInput): void {
  if (Boolean(spec.vote) !== (input.vote !== null)) {
    throw new InputError('input.vote', spec.vote ? `is required for step ${spec.step} (${spec.name})` : `step ${spec.step} has no vote`);
  }
  if (input.vote) {
    const problem = voteProblem(input.vote);
    if (problem) throw new InputError('input.vote', `rule 表决: ${problem}`);
  }
  const training = input.trainingDays !== null || input.trainingHours !== null;
  if (training && spec.step !== 11) throw new InputError('input.trainingDays', 'is given only for step 11 (集中培训)');
  const notice = input.noticeFrom !== null || input.noticeTo !== null;
  if (spec.step === 13 && (input.noticeFrom === null || input.noticeTo === null)) {
    throw new InputError(input.noticeFrom === null ? 'input.noticeFrom' : 'input.noticeTo', 'is required for step 13 (公示)');
  }
  if (notice && spec.step !== 13) throw new InputError('input.noticeFrom', 'is given only for step 13 (公示)');
}

/** 延长预备期: once, 6 to 12 months, by a vote, during the probation (after step 15, before 转正). */
export function checkExtension(facts: RecordFacts, date: Date, months: number, vote: Vote): Date {
  requireActive(facts);
  if (facts.step < ACCEPTANCE_STEP || facts.step >= CONVERSION_STEP) {
    throw new IllegalStateError(
      `rule 延长预备期: only a probationary member's probation is extended (steps ${ACCEPTANCE_STEP}–${CONVERSION_STEP - 1}); the record stands at step ${facts.step}`,
      `STEP_${facts.step}`,
    );
  }
  if (facts.extendedMonths !== null) {
    throw new IllegalStateError(
      `rule 延长预备期只能一次: the probation was already extended by ${facts.extendedMonths} months`,
      'EXTENDED',
    );
  }
  if (!Number.isInteger(months) || months < 6 || months > 12) throw new InputError('input.months', 'rule 延长预备期: 6 to 12 months');
  if (date.getTime() < facts.stepDate.getTime()) {
    throw new InputError('input.date', `must be on or after the last step's date (${isoDate(facts.stepDate)})`);
  }
  const problem = voteProblem(vote);
  if (problem) throw new InputError('input.vote', `rule 表决: ${problem}`);
  return addMonths(facts.probationEndsAt!, months);
}

/** 取消预备党员资格: by a vote, during the probation. */
export function checkCancellation(facts: RecordFacts, date: Date, vote: Vote): void {
  requireActive(facts);
  if (facts.step < ACCEPTANCE_STEP || facts.step >= CONVERSION_STEP) {
    throw new IllegalStateError(
      `rule 取消预备党员资格: only during the probation (steps ${ACCEPTANCE_STEP}–${CONVERSION_STEP - 1}); the record stands at step ${facts.step}`,
      `STEP_${facts.step}`,
    );
  }
  if (date.getTime() < facts.stepDate.getTime()) {
    throw new InputError('input.date', `must be on or after the last step's date (${isoDate(facts.stepDate)})`);
  }
  const problem = voteProblem(vote);
  if (problem) throw new InputError('input.vote', `rule 表决: ${problem}`);
}

/** Ending a record: any active record before it makes a member; a probationary member is cancelled instead. */
export function checkEnding(facts: RecordFacts, date: Date): void {
  requireActive(facts);
  if (facts.step >= ACCEPTANCE_STEP) {
    throw new IllegalStateError(
      'a probationary member is not ended but cancelled (取消预备党员资格, by a vote): use cancelProbation',
      `STEP_${facts.step}`,
    );
  }
  if (date.getTime() < facts.stepDate.getTime()) {
    throw new InputError('input.date', `must be on or after the last step's date (${isoDate(facts.stepDate)})`);
  }
}

/** A step that is due, with the rule that makes it so. */
export interface DueStep {
  step: number;
  dueBy: Date;
  rule: string;
}

/** The next step that has a deadline, when there is one. Steps without a time limit are never due. */
export function nextDue(facts: RecordFacts): DueStep | null {
  if (facts.state !== 'ACTIVE') return null;
  const at = facts.step;
  if (at === 1) return { step: 2, dueBy: addMonths(stepDate(facts, 1), 1), rule: '党组织在一个月内派人谈话' };
  if (at === 5 || at === 6) {
    // Half-yearly assessment of an activist, counted from the last one (or from the contacts' appointment).
    return { step: 6, dueBy: addMonths(facts.stepDate, 6), rule: '每半年对入党积极分子进行一次考察' };
  }
  if (at >= ACCEPTANCE_STEP && at < 17) {
    return { step: 17, dueBy: addMonths(stepDate(facts, ACCEPTANCE_STEP), 3), rule: '上级党委在三个月内审批' };
  }
  if (at >= 17 && at < CONVERSION_STEP && facts.probationEndsAt) {
    return { step: at < 22 ? 22 : at + 1, dueBy: facts.probationEndsAt, rule: '预备期满及时讨论转正' };
  }
  return null;
}

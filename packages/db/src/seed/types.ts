// Row shapes of a seed dataset. They mirror core.prisma field for field so each array can be handed to
// `createMany` unchanged, while staying plain data that tests can inspect without a database.

import type {
  AssessmentCategory,
  AssessmentGrade,
  AssessmentItemSource,
  AssessmentRuleKind,
  AssessmentTaskState,
  CadrePost,
  DevelopmentEntryKind,
  DevelopmentState,
  Gender,
  MeetingKind,
  MemberStatus,
  OrganizationKind,
  RotationKind,
} from '../generated/prisma/client.ts';

/** One 党组织 row; `path` is `/rootId/…/id/` and `depth` is 0 for the root. */
export interface OrganizationRow {
  id: string;
  kind: OrganizationKind;
  name: string;
  code: string;
  agency: string | null;
  parentId: string | null;
  path: string;
  depth: number;
  termStart: Date | null;
  termEnd: Date | null;
}

/** One past 届 of an organization. */
export interface OrganizationTermRow {
  id: string;
  organizationId: string;
  termStart: Date;
  termEnd: Date;
  renewedAt: Date;
  note: string | null;
}

/** One 党员 row. */
export interface MemberRow {
  id: string;
  name: string;
  gender: Gender;
  birthDate: Date;
  ethnicity: string;
  education: string;
  phone: string;
  nationalId: string;
  status: MemberStatus;
  joinedAt: Date;
  fullMemberAt: Date | null;
  organizationId: string;
}

/** One 党务干部 post. */
export interface CadreRow {
  id: string;
  memberId: string;
  organizationId: string;
  post: CadrePost;
  fullTime: boolean;
  startDate: Date;
  endDate: Date | null;
}

/** One 培训 record; `hours` is a decimal string such as '24.0'. */
export interface TrainingRow {
  id: string;
  memberId: string;
  course: string;
  hours: string;
  date: Date;
  provider: string | null;
}

/** One yearly 考核. */
export interface AssessmentRow {
  id: string;
  memberId: string;
  year: number;
  grade: AssessmentGrade;
  notes: string | null;
}

/** One 交流 between posts. */
export interface RotationRow {
  id: string;
  memberId: string;
  kind: RotationKind;
  fromPost: string;
  toPost: string;
  date: Date;
  note: string | null;
}

/** One meeting of 组织生活. */
export interface MeetingRow {
  id: string;
  organizationId: string;
  kind: MeetingKind;
  date: Date;
  topic: string;
}

/** Whether one member attended one meeting. */
export interface MeetingAttendanceRow {
  meetingId: string;
  memberId: string;
  present: boolean;
  absenceReason: string | null;
}

/** One monthly 党费 payment; `month` is the first day of the month, `amount` a string like '25.00'. */
export interface DuesPaymentRow {
  id: string;
  memberId: string;
  month: Date;
  amount: string;
  paidAt: Date;
}

/** A member's 党费 base: category and monthly after-tax salary in fen from a month on. */
export interface DuesBaseRow {
  id: string;
  memberId: string;
  category: 'EMPLOYED' | 'RETIRED';
  baseFen: number;
  fixedFen: null;
  effectiveFrom: Date;
  note: string | null;
}

/** Everything a seed inserts, table by table, in no particular order (insertDataset orders it). */
export interface Dataset {
  organizations: OrganizationRow[];
  organizationTerms: OrganizationTermRow[];
  members: MemberRow[];
  cadres: CadreRow[];
  trainings: TrainingRow[];
  assessments: AssessmentRow[];
  rotations: RotationRow[];
  meetings: MeetingRow[];
  meetingAttendance: MeetingAttendanceRow[];
  duesPayments: DuesPaymentRow[];
  assessmentSchemes: AssessmentSchemeRow[];
  assessmentItems: AssessmentItemRow[];
  assessmentManualScores: AssessmentManualScoreRow[];
  assessmentTasks: AssessmentTaskRow[];
  assessmentTaskAssignments: AssessmentTaskAssignmentRow[];
  developmentRecords: DevelopmentRecordRow[];
  developmentEntries: DevelopmentEntryRow[];
  developmentPeople: DevelopmentPersonRow[];
  duesBases: DuesBaseRow[];
  transferLetters: TransferLetterRow[];
}

/** One 考核方案; points are decimal texts such as '100.00'. */
export interface AssessmentSchemeRow {
  id: string;
  organizationId: string;
  year: number;
  name: string;
  totalPoints: string;
  kinds: OrganizationKind[];
}

/** One item of a scheme, with the parameters of its rule (decimal texts) and null for the others. */
export interface AssessmentItemRow {
  id: string;
  schemeId: string;
  position: number;
  category: AssessmentCategory;
  name: string;
  maxPoints: string;
  source: AssessmentItemSource;
  indicatorId: string | null;
  rule: AssessmentRuleKind;
  target: string | null;
  steps?: { atLeast: string; points: string }[];
  perOccurrence: string | null;
  floor: string | null;
  threshold: string | null;
  cap: string | null;
}

/** A manual item's value for one organization. */
export interface AssessmentManualScoreRow {
  id: string;
  itemId: string;
  organizationId: string;
  value: string;
  reason: string;
  evidence: string | null;
  scoredBy: string;
  scoredAt: Date;
}

/** One 任务清单 task. */
export interface AssessmentTaskRow {
  id: string;
  organizationId: string;
  schemeId: string | null;
  title: string;
  description: string | null;
  deadline: Date;
  points: string;
  createdBy: string;
  createdAt: Date;
}

/** One organization's part of a task. */
export interface AssessmentTaskAssignmentRow {
  id: string;
  taskId: string;
  organizationId: string;
  state: AssessmentTaskState;
  account: string | null;
  reportedAt: Date | null;
  reportedBy: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  returnReason: string | null;
}

/** One 发展记录; `nationalId` is clear here and sealed by insertDataset. */
export interface DevelopmentRecordRow {
  id: string;
  name: string;
  gender: Gender;
  birthDate: Date;
  nationalId: string;
  organizationId: string;
  state: DevelopmentState;
  step: number;
  stepDate: Date;
  appliedAt: Date;
  memberId: string | null;
  probationEndsAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
}

/** One recorded step (or decision) of a development record. */
export interface DevelopmentEntryRow {
  id: string;
  recordId: string;
  kind: DevelopmentEntryKind;
  step: number;
  date: Date;
  account: string;
  late: boolean;
  votesEntitled: number | null;
  votesPresent: number | null;
  votesFor: number | null;
  trainingDays: number | null;
  noticeFrom: Date | null;
  noticeTo: Date | null;
}

/** A member named at a step (谈话人, 培养联系人, 入党介绍人). */
export interface DevelopmentPersonRow {
  id: string;
  entryId: string;
  position: number;
  memberId: string;
}

/** 介绍信 — a transfer letter in flight (see TransferLetter in core-transfers.prisma). */
export interface TransferLetterRow {
  id: string;
  number: string;
  memberId: string;
  memberName: string;
  issuerId: string;
  issuerName: string;
  destinationId: string | null;
  destinationName: string;
  destinationAddress: string | null;
  paidUpTo: Date | null;
  issuedOn: Date;
  validUntil: Date;
  receiptDueOn: Date;
  state: 'ISSUED';
  reason: string;
}

// Row shapes of a seed dataset. They mirror core.prisma field for field so each array can be handed to
// `createMany` unchanged, while staying plain data that tests can inspect without a database.

import type {
  AssessmentGrade,
  CadrePost,
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
  duesBases: DuesBaseRow[];
}

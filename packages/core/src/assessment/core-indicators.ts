import { ownIndicators, type OwnedIndicator } from './indicator.ts';
import { assessmentsRecordedIndicator } from './indicators/assessments.ts';
import { secretaryInPostIndicator, secretaryTrainedIndicator } from './indicators/cadres.ts';
import {
  committeeMeetingIndicator,
  generalMeetingIndicator,
  groupMeetingIndicator,
  organizationalLifeIndicator,
  partyLectureIndicator,
  themeDayIndicator,
} from './indicators/meetings.ts';
import { termOnTimeIndicator } from './indicators/terms.ts';
import { tasksAcceptedOnTime } from './indicators/tasks.ts';
import { cadreTrainingHoursIndicator } from './indicators/training.ts';
import { DEVELOPMENT_INDICATORS } from './indicators/development.ts';
import { duesOnTime } from './indicators/dues.ts';

/**
 * Core's indicators (三会一课, 主题党日, 组织生活会, dues, terms, secretaries, training, assessments), owner
 * `core`. Each lives in its own file under `indicators/` and is listed here (checked like a plugin's).
 */
export const CORE_INDICATORS: readonly OwnedIndicator[] = ownIndicators('core', [
  generalMeetingIndicator,
  committeeMeetingIndicator,
  groupMeetingIndicator,
  partyLectureIndicator,
  themeDayIndicator,
  organizationalLifeIndicator,
  termOnTimeIndicator,
  secretaryInPostIndicator,
  secretaryTrainedIndicator,
  cadreTrainingHoursIndicator,
  assessmentsRecordedIndicator,
  tasksAcceptedOnTime,
  duesOnTime,
  ...DEVELOPMENT_INDICATORS,
]);

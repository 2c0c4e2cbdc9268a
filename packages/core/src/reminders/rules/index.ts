export { assessmentTaskDueRule } from './assessment-task-due.ts';
export { developmentDueRule } from './development-due.ts';
export { duesUnpaidRule } from './dues-unpaid.ts';
export { meetingDueRule } from './meeting-due.ts';
export { probationEndingRule } from './probation-ending.ts';
export { termEndingRule } from './term-ending.ts';
export { transferReceiptOverdueRule } from './transfer-receipt-overdue.ts';
export { transferLetterExpiringRule } from './transfer-letter-expiring.ts';

import { IllegalStateError, InputError, requiredText, utcToday } from '@dangjian/core';
import type { DisciplineRectificationStatus } from '@dangjian/db';

/** 整改状态 — the states of a rectification item. */
export type RectificationStatus = DisciplineRectificationStatus;

/** What can be done to a rectification item, and by which side. */
export type RectificationAction = 'submit' | 'accept' | 'reopen';

/**
 * The state machine OPEN → SUBMITTED → ACCEPTED | REOPENED, REOPENED → SUBMITTED again. ACCEPTED is final:
 * an accepted item that turns out badly is a new problem of a new inspection, not a rewritten history.
 */
const TRANSITIONS: Record<RectificationAction, { from: readonly RectificationStatus[]; to: RectificationStatus }> = {
  submit: { from: ['OPEN', 'REOPENED'], to: 'SUBMITTED' },
  accept: { from: ['SUBMITTED'], to: 'ACCEPTED' },
  reopen: { from: ['SUBMITTED'], to: 'REOPENED' },
};

/** The state after `action`, or an IllegalStateError naming the current state. */
export function nextRectificationStatus(current: RectificationStatus, action: RectificationAction): RectificationStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    throw new IllegalStateError(`cannot ${action} a rectification that is ${current} (allowed from ${rule.from.join(' or ')})`, current);
  }
  return rule.to;
}

/**
 * 逾期 — an item is overdue once the whole deadline day has passed and it has not been accepted. A
 * submitted item still counts: the inspecting committee has not confirmed the work was done.
 */
export function isOverdue(item: { status: RectificationStatus; deadline: Date }, now: Date): boolean {
  return item.status !== 'ACCEPTED' && item.deadline.getTime() < utcToday(now).getTime();
}

/** 按期整改 — accepted on or before the deadline day (UTC calendar dates). */
export function closedOnTime(item: { status: RectificationStatus; deadline: Date; acceptedAt: Date | null }): boolean {
  return item.status === 'ACCEPTED' && item.acceptedAt !== null && utcToday(item.acceptedAt).getTime() <= item.deadline.getTime();
}

/**
 * 按期整改率 — accepted on time ÷ items whose outcome is due (accepted, or overdue), to four places;
 * null while nothing is due yet, so a board with only fresh items does not read as 0 %.
 */
export function onTimeRate(acceptedOnTime: number, accepted: number, overdue: number): number | null {
  const due = accepted + overdue;
  return due === 0 ? null : Math.round((acceptedOnTime / due) * 10_000) / 10_000;
}

/** A deadline must leave the inspected organization time after the inspection: not before its date. */
export function checkDeadline(deadline: Date, inspectionDate: Date, field: string): void {
  if (deadline.getTime() < inspectionDate.getTime()) throw new InputError(field, 'must not be before the inspection date');
}

/** 督查人员 — names, trimmed, none empty, no duplicates, at least one. */
export function checkInspectors(names: readonly string[], field: string): string[] {
  if (names.length === 0) throw new InputError(field, 'must name at least one inspector');
  if (names.length > 50) throw new InputError(field, 'must name at most 50 inspectors');
  const seen = new Set<string>();
  return names.map((name, i) => {
    const text = requiredText(name, `${field}[${i}]`, 'name', 50);
    if (seen.has(text)) throw new InputError(`${field}[${i}]`, 'is listed more than once');
    seen.add(text);
    return text;
  });
}

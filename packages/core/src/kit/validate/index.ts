export {
  checkTextPolicy,
  DEFAULT_TEXT_MAX,
  textProblem,
  optionalText,
  patchText,
  requiredText,
  TEXT_KINDS,
  trimText,
  type TextKind,
} from './text.ts';
export { checkNationalId, checkPhone } from './identity.ts';
export { parseTenthsOfHours } from './numbers.ts';
export { checkAfter, checkDateRange, checkNotBefore, checkNotFuture, checkPeriod, DATE_RANGE, isPlausibleDate } from './dates.ts';
export { guardTextArguments, textKind } from './guard.ts';
export { checkNestedArguments } from './nested-guard.ts';

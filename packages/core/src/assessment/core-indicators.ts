import { ownIndicators, type OwnedIndicator } from './indicator.ts';
import { duesOnTime } from './indicators/dues.ts';

/**
 * Core's indicators (三会一课, 主题党日, 组织生活会, dues, terms, secretaries, training, assessments), owner
 * `core`. Each lives in its own file under `indicators/` and is listed here.
 */
export const CORE_INDICATORS: readonly OwnedIndicator[] = ownIndicators('core', [duesOnTime]);

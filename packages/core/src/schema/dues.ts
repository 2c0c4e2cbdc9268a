import type { Builder } from '../builder.ts';
import { registerDuesBase } from './dues-base.ts';
import { registerDuesCollection } from './dues-collection.ts';
import { defineDuesEnums } from './dues-enums.ts';
import { registerDuesLedger } from './dues-ledger.ts';
import { registerDuesMonth } from './dues-month.ts';
import { registerDuesReduction } from './dues-reduction.ts';
import { registerDuesRemittance } from './dues-remittance.ts';
import { registerDuesSettings } from './dues-settings.ts';

/**
 * 党费 by the standard: bases, reductions, payments covering months, month statements, collection,
 * the ledger and settings. Each type lives in its own file; the member's `dues` and `recordDuesPayment`
 * stay in member-dues.ts.
 */
export function registerDues(builder: Builder): void {
  const enums = defineDuesEnums(builder);
  registerDuesMonth(builder, enums);
  registerDuesBase(builder, enums);
  registerDuesReduction(builder);
  registerDuesRemittance(builder, enums);
  registerDuesCollection(builder);
  registerDuesLedger(builder);
  registerDuesSettings(builder);
}

/** Executing an up/downgrade deal (issue 4). */
import type { Deps } from '../deps.js';
import type { CrmRecordWithAssociations } from '../hubspot/api.js';
import type { DealCheckOptions } from '../mappers/toDealProblems.js';
import { describeDeal } from '../mappers/toDealProblems.js';
import { fail, type Outcome } from '../result.js';
import type { ApplyDealResult } from './applyDeal.js';

export async function executeUpgrade(_deps: Deps, deal: CrmRecordWithAssociations, _options: DealCheckOptions): Promise<Outcome<ApplyDealResult>> {
  return fail({ record: describeDeal(deal), message: 'Executing up/downgrades is not available yet.' });
}

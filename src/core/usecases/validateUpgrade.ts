/** Validation of an Upgrade deal (issue 4): preview against the origin deal's contract. */
import type { Deps } from '../deps.js';
import type { DealCheckOptions } from '../mappers/toDealProblems.js';
import { describeDeal } from '../mappers/toDealProblems.js';
import type { Outcome } from '../result.js';
import type { DealContext } from './readDealContext.js';
import { writeValidationFailure, type ValidateDealResult } from './validateDeal.js';

export async function validateUpgrade(deps: Deps, ctx: DealContext, _options: DealCheckOptions): Promise<Outcome<ValidateDealResult>> {
  return writeValidationFailure(deps, ctx.deal, [{ record: describeDeal(ctx.deal), field: 'Deal Type (billwerk)', message: 'Up/downgrade validation is not available yet.' }]);
}

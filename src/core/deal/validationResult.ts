/** Writing a failed validation onto the deal: shared by the signup and the up/downgrade validation. */
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toValidationFailedProperties } from '../mappers/toValidationResult.js';
import { fail, type Outcome, type Problem } from '../result.js';

export interface ValidateDealResult {
  message: string;
}

export async function writeValidationFailure(deps: Deps, deal: CrmRecord, problems: Problem[]): Promise<Outcome<never>> {
  await deps.hubspot.updateObject('deals', deal.id, toValidationFailedProperties(problems, deps.now()));
  deps.logger.info('deal validation failed', { dealId: deal.id, problems: problems.length });
  return fail(...problems);
}

/**
 * Executing a validated, Closed-won up/downgrade deal: commits the up/downgrade order on the origin
 * deal's contract, copies the contract id onto this deal and hands over the sync (ownership rule:
 * the deal with billwerk_contract_id = X and billwerk_contract_synced = true owns contract X, so the
 * origin gets synced = false and billwerk events update only this, the newest, deal). The unique owner
 * property (billwerk_owned_contract_id, by which billwerk events find the deal) moves with it: cleared
 * on the origin first, then set here, since HubSpot refuses two holders. A note on the timeline says so. Idempotent like the signup apply: claim + re-read against concurrent runs, the
 * order id stored before the commit so a retry commits that order instead of ordering again, and a
 * deal that already executed answers "already applied".
 */
import { randomUUID } from 'node:crypto';
import { APPLY_CHANGE, DEAL, DEAL_TYPE } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Order } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, CrmRecordWithAssociations } from '../hubspot/api.js';
import { toUpgradeOrder } from '../mappers/toBillwerkOrder.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import {
  activeForeignClaim, changedOnly, toApplyFailedProperties, toAppliedDealProperties, toClaimProperties, toReleasedOwnershipProperties, type Claim,
} from '../mappers/toDealProperties.js';
import { checkDealBasics, dealEntityId, describeDeal, problemLine, type DealCheckOptions } from '../mappers/toDealProblems.js';
import { checkUpgradeItems, checkUpgradeOrigin } from '../mappers/toUpgradeSummary.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { checkReadyToApply, commitOnce, type ApplyDealResult } from './applyDeal.js';
import { DEAL_PROPERTIES, readDealContextOf, type DealContext } from './readDealContext.js';
import { loadOpenContract, readOrigin, upgradeChangeDate } from './validateUpgrade.js';

export async function executeUpgrade(deps: Deps, deal: CrmRecordWithAssociations, options: DealCheckOptions): Promise<Outcome<ApplyDealResult>> {
  const contractId = deal.properties[DEAL.contractId]?.trim();
  if (contractId && deal.properties[DEAL.applyChange] === APPLY_CHANGE.applied) {
    return succeed({ contractId, customerId: deal.properties[DEAL.customerId]?.trim() ?? '', alreadyApplied: true });
  }
  const refusal = checkReadyToApply(deal, deps.now());
  if (refusal.length) return fail(...refusal);

  const claim: Claim = { token: randomUUID(), at: deps.now() };
  await deps.hubspot.updateObject('deals', deal.id, toClaimProperties(claim));
  const [ctx, origin, current] = await Promise.all([
    readDealContextOf(deps, deal),
    readOrigin(deps, deal),
    deps.hubspot.getObject('deals', deal.id, DEAL_PROPERTIES),
  ]);
  if (activeForeignClaim(current, claim.token, deps.now())) {
    return fail({ record: describeDeal(deal), message: 'Another execution of this up/downgrade started at the same moment. Refresh in a moment.' });
  }
  const storedOrderId = current.properties[DEAL.orderId]?.trim();
  const problems = storedOrderId ? [] : checkStillValid(ctx, origin, options);
  if (problems.length) {
    await deps.hubspot.updateObject('deals', deal.id, toApplyFailedProperties(problems.map(problemLine).join('\n')));
    return fail(...problems);
  }

  const api = deps.billwerk.forEntity(dealEntityId(deal, options.entities));
  try {
    let order: Order;
    if (storedOrderId) {
      order = await api.getOrder(storedOrderId);
    } else {
      const changeDate = upgradeChangeDate(deal, deps.now());
      const contract = await loadOpenContract(api, origin!, changeDate);
      if (!contract.ok) {
        await deps.hubspot.updateObject('deals', deal.id, toApplyFailedProperties(contract.problems.map(problemLine).join('\n')));
        return fail(...contract.problems);
      }
      order = await api.createOrder(toUpgradeOrder({ contractId: contract.value.Id, items: ctx.lineItems, changeDate }));
      // Before the commit: a retry finds this order instead of ordering the change twice.
      await deps.hubspot.updateObject('deals', deal.id, { [DEAL.orderId]: order.Id });
    }
    const contract = await commitOnce(api, order);
    await handOver(deps, deal, origin, { contractId: contract.Id, customerId: contract.CustomerId, orderId: order.Id });
    deps.logger.info('up/downgrade executed', { dealId: deal.id, originDealId: origin?.id, contractId: contract.Id, orderId: order.Id });
    return succeed({ contractId: contract.Id, customerId: contract.CustomerId, alreadyApplied: false });
  } catch (error) {
    const problem = toBillwerkProblem(error, 'execute the up/downgrade', describeDeal(deal));
    deps.logger.warn('up/downgrade failed', { dealId: deal.id, error: problem.message });
    await deps.hubspot.updateObject('deals', deal.id, toApplyFailedProperties(problem.message));
    await deps.hubspot.createNote(`billwerk: executing the up/downgrade failed. ${problem.message}`, { type: 'deals', id: deal.id });
    return fail(problem);
  }
}

/** Line items unchanged since validation (else the validation is older than the last change), origin still fine. */
function checkStillValid(ctx: DealContext, origin: CrmRecord | undefined, options: DealCheckOptions): Problem[] {
  if (ctx.lineItemsHash !== ctx.deal.properties[DEAL.validatedLineItemsHash]) {
    return [{ record: describeDeal(ctx.deal), field: 'Line items', message: 'The validation is older than the last change of the line items. Request validation again.' }];
  }
  return [...checkDealBasics(ctx, options, [DEAL_TYPE.upgrade]), ...checkUpgradeItems(ctx.deal, ctx.lineItems), ...checkUpgradeOrigin(ctx.deal, origin, options)];
}

/**
 * The origin stops following the contract, then this deal owns it. Origin first: the owner property is
 * unique, so this deal can only take it once the origin let go. Resumable and idempotent: a retry after
 * a failure in between finds the origin already released (no write) and finishes this deal. Between
 * the two writes no deal owns the contract; an event arriving then is acknowledged without an update,
 * and the next event (or the deal card's refresh of a stale state) brings this deal up to date.
 */
async function handOver(deps: Deps, deal: CrmRecord, origin: CrmRecord | undefined, applied: { contractId: string; customerId: string; orderId: string }): Promise<void> {
  if (origin) {
    // The origin keeps billwerk_upgrade_deal_id = this deal: its card links to the deal that now follows the contract.
    const originChanges = changedOnly(origin, toReleasedOwnershipProperties());
    if (Object.keys(originChanges).length) await deps.hubspot.updateObject('deals', origin.id, originChanges);
  }
  await deps.hubspot.updateObject('deals', deal.id, toAppliedDealProperties(applied));
  await deps.hubspot.createNote(
    `billwerk: Up/downgrade executed on contract ${applied.contractId} (order ${applied.orderId}). This deal now follows the contract${origin ? `; the origin deal ${origin.id} no longer does` : ''}.`,
    { type: 'deals', id: deal.id },
  );
}

export type { BillwerkEntityApi };

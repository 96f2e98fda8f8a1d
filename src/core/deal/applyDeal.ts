/**
 * "Apply change in billwerk" for a validated, Closed-won signup deal: creates (or reuses) the billwerk
 * customer, creates the order, stores the order id on the deal, commits it, sets the individual term
 * of payment, and links everything (customer id on company and contact, contract id on the deal,
 * synced = true), with a note on the deal's timeline. Up/downgrade deals go to executeUpgrade.
 *
 * Idempotent and resumable:
 * - a deal that already has a contract answers "already applied" and changes nothing;
 * - the order id is written to the deal BEFORE the commit, so a retry after a timeout or crash finds
 *   the order and commits it (or, if it was committed, just finishes the HubSpot side);
 * - two applies at once: each writes a claim right after reading the deal and reads the deal again
 *   after gathering the rest; the one whose claim was overwritten backs off (last writer wins). The
 *   HubSpot reads in between make the claim visible to the other apply before its own check. As a last
 *   guard for new customers, billwerk's ExternalCustomerId is unique: a second inline customer with
 *   the company's external id is rejected and the existing customer is reused.
 * - a failure half-way writes "Change failed" and the reason (billwerk_sync_error) onto the deal and
 *   releases the claim; clicking Apply again resumes.
 */
import { randomUUID } from 'node:crypto';
import { COMPANY, CONTACT, DEAL, DEAL_TYPE, VALIDATION } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Contract, Order } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, CrmRecordWithAssociations } from '../hubspot/api.js';
import { toBillwerkCustomer } from '../customer/toBillwerkCustomer.js';
import { type BillwerkEnvironment } from '../billwerk/environment.js';
import { toBillwerkDate, toPaymentTermDays, toSignupOrder } from '../mappers/toBillwerkOrder.js';
import { isBillwerkRejection, toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { contractCustomFieldsFrom, customerCustomFieldsFrom, mappedHubSpotProperties, type CustomFieldMapping } from '../settings/mappings.js';
import { cachedMappings } from '../settings/mappingsCache.js';
import {
  activeForeignClaim, changedOnly, toApplyFailedProperties, toAppliedDealProperties, toClaimProperties, type AppliedContract, type Claim,
} from '../mappers/toDealProperties.js';
import { checkSignupDeal, dealEntityId, dealTypeOf, describeDeal, isClosedWon, problemLine, type DealCheckOptions } from '../mappers/toDealProblems.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { executeUpgrade } from './executeUpgrade.js';
import { DEAL_PROPERTIES, readDeal, readDealContextOf, type DealContext } from './readDealContext.js';

export interface ApplyDealInput {
  dealId: string;
  environment: BillwerkEnvironment;
}

export interface ApplyDealResult {
  contractId: string;
  customerId: string;
  /** True when the deal already had its contract: nothing was created. */
  alreadyApplied: boolean;
}

export async function applyDeal(deps: Deps, input: ApplyDealInput): Promise<Outcome<ApplyDealResult>> {
  const deal = await readDeal(deps, input.dealId);
  const options: DealCheckOptions = { environment: input.environment, entities: deps.billwerk.entities };
  if (dealTypeOf(deal) === DEAL_TYPE.upgrade) return executeUpgrade(deps, deal, options);

  const done = alreadyApplied(deal);
  if (done) return succeed(done);
  const refusal = checkReadyToApply(deal, deps.now());
  if (refusal.length) return fail(...refusal);

  // Claim first (right after the read), so a concurrent apply's re-read below sees it. The custom
  // field mappings (cached per warm container) load meanwhile: mapped company properties ride along in
  // the companies read, mapped deal properties in the re-read.
  const claim: Claim = { token: randomUUID(), at: deps.now() };
  const mappingsLoad = cachedMappings(deps.hubspot, deps.now());
  mappingsLoad.catch(() => undefined); // awaited (and its failure handled) below, after the claim
  await deps.hubspot.updateObject('deals', deal.id, toClaimProperties(claim));
  const { ctx, current, mappings } = await releasingClaimOnError(deps, deal, async () => {
    const mappings = await mappingsLoad;
    const ctx = await readDealContextOf(deps, deal, { extraCompanyProperties: mappedHubSpotProperties(mappings, 'company') });
    const current = await deps.hubspot.getObject('deals', deal.id, [...new Set([...DEAL_PROPERTIES, ...mappedHubSpotProperties(mappings, 'deal')])]);
    return { ctx, current, mappings };
  });
  if (activeForeignClaim(current, claim.token, deps.now())) {
    return fail({ record: describeDeal(deal), message: 'Another apply of this deal started at the same moment and is creating the contract. Refresh in a moment.' });
  }
  const stale = checkStillValid(ctx, options);
  if (stale.length) {
    await deps.hubspot.updateObject('deals', deal.id, toApplyFailedProperties(stale.map(problemLine).join('\n')));
    return fail(...stale);
  }

  try {
    const applied = await createContract(deps, ctx, current, options, mappings);
    await linkRecords(deps, ctx, applied);
    deps.logger.info('contract created', { dealId: deal.id, ...applied });
    return succeed({ contractId: applied.contractId, customerId: applied.customerId, alreadyApplied: false });
  } catch (error) {
    // A concurrent apply may have won the race billwerk decided (unique ExternalCustomerId): then the
    // deal already has its contract and this attempt must not mark it failed.
    const after = await deps.hubspot.getObject('deals', deal.id, DEAL_PROPERTIES);
    const won = alreadyApplied(after);
    if (won) return succeed(won);
    const problem = toBillwerkProblem(error, 'create the contract', describeDeal(deal));
    deps.logger.warn('apply failed', { dealId: deal.id, error: problem.message });
    await deps.hubspot.updateObject('deals', deal.id, toApplyFailedProperties(problem.message));
    await deps.hubspot.createNote(`billwerk: creating the contract failed. ${problem.message}`, { type: 'deals', id: deal.id });
    return fail(problem);
  }
}

/**
 * HubSpot failing between the claim and the checks (after the client's retries) would otherwise leave
 * the claim blocking every retry for CLAIM_TTL_MS: release it with the reason, then let the edge report
 * the error. Best effort: if HubSpot cannot take the release either, the claim simply expires.
 */
async function releasingClaimOnError<T>(deps: Deps, deal: CrmRecord, gather: () => Promise<T>): Promise<T> {
  try {
    return await gather();
  } catch (error) {
    deps.logger.warn('apply stopped before billwerk was called', { dealId: deal.id, error: error instanceof Error ? error.message : String(error) });
    await deps.hubspot
      .updateObject('deals', deal.id, toApplyFailedProperties('HubSpot could not be read while starting the apply; nothing was created in billwerk. Try again.'))
      .catch(() => undefined);
    throw error;
  }
}

function alreadyApplied(deal: CrmRecord): ApplyDealResult | undefined {
  const contractId = deal.properties[DEAL.contractId]?.trim();
  if (!contractId) return undefined;
  return { contractId, customerId: deal.properties[DEAL.customerId]?.trim() ?? '', alreadyApplied: true };
}

/** Refusals that need no more reads: not validated, not Closed won, another apply running. */
export function checkReadyToApply(deal: CrmRecord, now: Date): Problem[] {
  const record = describeDeal(deal);
  const problems: Problem[] = [];
  if (deal.properties[DEAL.validation] !== VALIDATION.succeeded) {
    problems.push({ record, field: 'billwerk validation', message: 'The deal is not successfully validated. Request validation first.' });
  }
  if (!isClosedWon(deal)) problems.push({ record, field: 'Deal Stage', message: 'Move the deal to Closed won before applying it in billwerk.' });
  const claim = activeForeignClaim(deal, undefined, now);
  if (claim) problems.push({ record, message: `An apply of this deal started at ${claim.at.toISOString()} is still running. Refresh in a moment.` });
  return problems;
}

/** What may have changed since validation: line items (fingerprint) and the prerequisites. */
function checkStillValid(ctx: DealContext, options: DealCheckOptions): Problem[] {
  if (ctx.deal.properties[DEAL.orderId]?.trim()) return []; // resuming: the order already exists
  if (ctx.lineItemsHash !== ctx.deal.properties[DEAL.validatedLineItemsHash]) {
    return [{ record: describeDeal(ctx.deal), field: 'Line items', message: 'The line items changed after the last validation. Request validation again.' }];
  }
  return checkSignupDeal(ctx, options);
}

/** billwerk side: reuse the order of an earlier attempt, or create one; commit; payment term. */
async function createContract(
  deps: Deps, ctx: DealContext, current: CrmRecord, options: DealCheckOptions, mappings: readonly CustomFieldMapping[],
): Promise<AppliedContract> {
  const api = deps.billwerk.forEntity(dealEntityId(ctx.deal, options.entities));
  const storedOrderId = current.properties[DEAL.orderId]?.trim();
  const order = storedOrderId ? await api.getOrder(storedOrderId) : await createOrder(deps, api, ctx, customFieldsOf(ctx, current, mappings, options));
  if (!storedOrderId) {
    // Before the commit: a retry after a lost reply finds this order instead of ordering again.
    await deps.hubspot.updateObject('deals', ctx.deal.id, { [DEAL.orderId]: order.Id, ...(order.CustomerId ? { [DEAL.customerId]: order.CustomerId } : {}) });
  }
  const contract = await commitOnce(api, order);
  const paymentTerm = toPaymentTermDays(ctx.deal.properties[DEAL.paymentTermDays]);
  if (paymentTerm !== undefined && paymentTerm !== null && !samePaymentTerm(contract, paymentTerm)) {
    await api.updateContract(contract.Id, { OnAccountDueAfter: { Unit: 'Day', Quantity: paymentTerm } });
  }
  return { contractId: contract.Id, customerId: contract.CustomerId, orderId: order.Id };
}

/** An order that an earlier attempt already committed is not committed again. */
export async function commitOnce(api: BillwerkEntityApi, order: Order): Promise<Contract> {
  if (order.ContractId && order.Status === 'Completed') return api.getContract(order.ContractId);
  return api.commitOrder(order.Id);
}

function samePaymentTerm(contract: Contract, days: number): boolean {
  return contract.OnAccountDueAfter?.Unit === 'Day' && contract.OnAccountDueAfter.Quantity === days;
}

/** The external customer id billwerk gets: the company's own, else one derived from the HubSpot id. */
export function externalCustomerIdOf(company: CrmRecord): string {
  return company.properties[COMPANY.externalCustomerId]?.trim() || `hubspot-company-${company.id}`;
}

interface SignupCustomFields {
  contract: Record<string, string>;
  customer: Record<string, string>;
}

/**
 * Custom field mappings (settings page): deal -> the order's ContractCustomFields, company -> a new
 * customer's CustomFields. Sent only when the contract is created: later deal edits are not (guide).
 */
function customFieldsOf(ctx: DealContext, current: CrmRecord, mappings: readonly CustomFieldMapping[], options: DealCheckOptions): SignupCustomFields {
  const entityId = dealEntityId(ctx.deal, options.entities) ?? '';
  return {
    contract: contractCustomFieldsFrom(current, mappings, entityId),
    customer: ctx.company ? customerCustomFieldsFrom(ctx.company, mappings, entityId) : {},
  };
}

async function createOrder(deps: Deps, api: BillwerkEntityApi, ctx: DealContext, custom: SignupCustomFields): Promise<Order> {
  const company = ctx.company!;
  const startDate = toBillwerkDate(ctx.deal.properties[DEAL.startDate]) ?? undefined;
  const contractCustomFields: Record<string, string> = custom.contract;
  const customerCustomFields = Object.keys(custom.customer).length ? { CustomFields: custom.customer } : {};
  const common = { items: ctx.lineItems, ...(startDate ? { startDate } : {}), contractCustomFields };
  const knownCustomerId = company.properties[COMPANY.customerId]?.trim()
    || (dealTypeOf(ctx.deal) === DEAL_TYPE.signupExisting ? ctx.deal.properties[DEAL.customerId]?.trim() : undefined);
  if (knownCustomerId) return api.createOrder(toSignupOrder({ ...common, customerId: knownCustomerId }));

  const externalId = externalCustomerIdOf(company);
  try {
    return await api.createOrder(toSignupOrder({ ...common, customer: { ...toBillwerkCustomer(company, ctx.contact!), ...customerCustomFields, ExternalCustomerId: externalId } }));
  } catch (error) {
    // ExternalCustomerId is unique in billwerk: an earlier attempt (or a concurrent one) created the customer.
    if (!isBillwerkRejection(error)) throw error;
    const [existing] = await api.findCustomersByExternalId(externalId);
    if (!existing) throw error;
    deps.logger.info('reusing billwerk customer found by external id', { dealId: ctx.deal.id, customerId: existing.Id });
    return api.createOrder(toSignupOrder({ ...common, customerId: existing.Id }));
  }
}

/** HubSpot side: deal owns the contract; company and contact point at the customer; one note. */
async function linkRecords(deps: Deps, ctx: DealContext, applied: AppliedContract): Promise<void> {
  await deps.hubspot.updateObject('deals', ctx.deal.id, toAppliedDealProperties(applied));
  const company = ctx.company!;
  const companyChanges = changedOnly(company, { [COMPANY.customerId]: applied.customerId, [COMPANY.externalCustomerId]: externalCustomerIdOf(company) });
  if (Object.keys(companyChanges).length) await deps.hubspot.updateObject('companies', company.id, companyChanges);
  const contactChanges = ctx.contact ? changedOnly(ctx.contact, { [CONTACT.customerId]: applied.customerId }) : {};
  if (ctx.contact && Object.keys(contactChanges).length) await deps.hubspot.updateObject('contacts', ctx.contact.id, contactChanges);
  await deps.hubspot.createNote(
    `billwerk: Contract created. Contract ${applied.contractId} for customer ${applied.customerId} (order ${applied.orderId}).`,
    { type: 'deals', id: ctx.deal.id },
  );
}

export type { CrmRecordWithAssociations };

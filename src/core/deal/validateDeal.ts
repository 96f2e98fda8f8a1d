/**
 * "Request validation": checks a deal's prerequisites, asks billwerk for an order preview and writes
 * the result onto the deal ("Successfully validated" + summary + line-item fingerprint, or
 * "Validation failed" + every reason). Signups here; up/downgrades in validateUpgrade.ts.
 *
 * Calls (signup, billwerk token cached): HubSpot 4 reads (readDealContext) + 1 write; billwerk: 1
 * customer search (see findLikelyDuplicates; +1 exact lookup when the company carries an external id)
 * + 1 preview. Budget and reasons: docs/deal-flow.md.
 */
import { COMPANY, DEAL, DEAL_TYPE, ITEM_TYPE } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Customer } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { describeCompany } from '../customer/fields.js';
import { toBillwerkCustomer } from '../customer/toBillwerkCustomer.js';
import { type BillwerkEnvironment } from '../billwerk/environment.js';
import { toBillwerkDate, toPaymentTermDays, toSignupOrder } from '../mappers/toBillwerkOrder.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { checkSignupDeal, dealEntityId, dealTypeOf, describeDeal, type DealCheckOptions } from '../mappers/toDealProblems.js';
import { toSignupSummary, toValidatedProperties, toValidationFailedProperties } from '../mappers/toValidationResult.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { readDealContext, type DealContext } from './readDealContext.js';
import { validateUpgrade } from './validateUpgrade.js';

export interface ValidateDealInput {
  dealId: string;
  /** From BILLWERK_BASE_URL: SnailMail is refused on a sandbox. */
  environment: BillwerkEnvironment;
}

export interface ValidateDealResult {
  message: string;
}

export async function validateDeal(deps: Deps, input: ValidateDealInput): Promise<Outcome<ValidateDealResult>> {
  const ctx = await readDealContext(deps, input.dealId);
  const options: DealCheckOptions = { environment: input.environment, entities: deps.billwerk.entities };
  if (dealTypeOf(ctx.deal) === DEAL_TYPE.upgrade) return validateUpgrade(deps, ctx, options);
  return validateSignup(deps, ctx, options);
}

async function validateSignup(deps: Deps, ctx: DealContext, options: DealCheckOptions): Promise<Outcome<ValidateDealResult>> {
  const problems = checkSignupDeal(ctx, options);
  if (problems.length > 0) return writeFailure(deps, ctx.deal, problems);
  const company = ctx.company!;
  const contact = ctx.contact!;
  const api = deps.billwerk.forEntity(dealEntityId(ctx.deal, options.entities));

  const customer = await resolveCustomer(api, ctx);
  if (!customer.ok) return writeFailure(deps, ctx.deal, customer.problems);

  const startDate = toBillwerkDate(ctx.deal.properties[DEAL.startDate]) ?? undefined;
  const order = toSignupOrder({
    items: ctx.lineItems,
    ...(customer.value.customerId ? { customerId: customer.value.customerId } : { customer: toBillwerkCustomer(company, contact) }),
    ...(startDate ? { startDate } : {}),
  });
  let preview;
  try {
    preview = await api.previewOrder(order);
  } catch (error) {
    return writeFailure(deps, ctx.deal, [toBillwerkProblem(error, 'preview the order', describeDeal(ctx.deal))]);
  }

  const summary = toSignupSummary({
    preview,
    customerLabel: customer.value.customerId ? `existing billwerk customer ${customer.value.customerId}` : 'new billwerk customer (created on apply)',
    planVariantName: ctx.lineItems.find((i) => i.item.type === ITEM_TYPE.planVariant)?.name,
    paymentTermDays: toPaymentTermDays(ctx.deal.properties[DEAL.paymentTermDays]) ?? undefined,
    startDate,
    notes: customer.value.notes,
  });
  await deps.hubspot.updateObject('deals', ctx.deal.id, {
    ...toValidatedProperties(summary, ctx.lineItemsHash, deps.now()),
    // The customer an existing-customer signup will use (apply reads it from here).
    ...(customer.value.customerId && customer.value.customerId !== ctx.deal.properties[DEAL.customerId] ? { [DEAL.customerId]: customer.value.customerId } : {}),
  });
  deps.logger.info('deal validated', { dealId: ctx.deal.id, customerId: customer.value.customerId });
  return succeed({ message: `Successfully validated\n${summary}` });
}

interface ResolvedCustomer {
  /** Existing billwerk customer to order for; undefined = a new customer. */
  customerId?: string;
  notes: string[];
}

/**
 * Signup: no billwerk customer may already exist for the company (else: suggest "Signup for existing
 * Customer" with its id). Signup for existing Customer: the company's linked customer, the one stored
 * on the deal, or the single likely match found in billwerk.
 */
async function resolveCustomer(api: BillwerkEntityApi, ctx: DealContext): Promise<Outcome<ResolvedCustomer>> {
  const company = ctx.company!;
  const record = describeCompany(company);
  const linked = company.properties[COMPANY.customerId]?.trim();
  const isExisting = dealTypeOf(ctx.deal) === DEAL_TYPE.signupExisting;

  if (isExisting) {
    const known = linked || ctx.deal.properties[DEAL.customerId]?.trim();
    if (known) return succeed({ customerId: known, notes: [] });
  } else if (linked) {
    return fail({ record, field: 'billwerk customer id', message: `The company is already billwerk customer ${linked}. Set the deal type to "Signup for existing Customer" to add a contract to that customer.` });
  }

  let matches: DuplicateMatch[];
  let strong: DuplicateMatch[];
  try {
    matches = await findLikelyDuplicates(api, company, ctx.contact!);
    strong = matches.filter(isStrong);
    // Signup for existing Customer with nothing found by id or email: the company name is the last
    // clue to the customer (one more search, only on this path).
    if (isExisting && strong.length === 0) {
      matches = await findLikelyDuplicates(api, company, ctx.contact!, { by: 'company name' });
      strong = matches.filter(isStrong);
    }
  } catch (error) {
    return fail(toBillwerkProblem(error, 'look for an existing customer', record));
  }

  if (isExisting) {
    const candidates = strong.length ? strong : matches;
    if (candidates.length === 1) return succeed({ customerId: candidates[0]!.customer.Id, notes: [`Matched billwerk customer ${candidates[0]!.customer.Id} by ${candidates[0]!.reasons.join(' and ')}.`] });
    return fail({
      record, field: 'billwerk customer id',
      message: candidates.length === 0
        ? 'No billwerk customer was found for this company (by external id, email or company name). Use deal type "Signup" to create a new customer.'
        : `Several billwerk customers match this company: ${candidates.map(describeMatch).join('; ')}. Ask an admin to link the right one to the company.`,
    });
  }
  if (strong.length > 0) {
    return fail(...strong.map((m) => ({
      record, field: 'Deal Type (billwerk)',
      message: `billwerk already has a likely duplicate: ${describeMatch(m)}. To add the contract to that customer instead of creating a new one, set the deal type to "Signup for existing Customer" (customer ${m.customer.Id}) and validate again.`,
    } satisfies Problem)));
  }
  // A company name alone is a hint, not proof (two firms can share a name): warn, don't block.
  const notes = matches.map((m) => `Note: billwerk customer ${m.customer.Id} has the same company name. If it is this company, use "Signup for existing Customer".`);
  return succeed({ notes });
}

export type DuplicateReason = 'external id' | 'email' | 'company name';
export interface DuplicateMatch {
  customer: Customer;
  reasons: DuplicateReason[];
}

const isStrong = (m: DuplicateMatch) => m.reasons.some((r) => r !== 'company name');

/**
 * billwerk customers that are probably this company: same external customer id, same contact email,
 * or same company name (case-insensitive, compared here on every customer found).
 *
 * One free-text search (billwerk's `search` matches external id, first/last name, company name, email
 * and debitor account: docs/deal-flow.md), by the contact's email: the strong signal that blocks a
 * duplicate signup. The company name is compared on what that search returns; a search by the name
 * itself (`by: 'company name'`) is the fallback for "Signup for existing Customer". The exact
 * external-id lookup runs only when the company carries an external id. Lookups run in parallel.
 */
export async function findLikelyDuplicates(
  api: BillwerkEntityApi, company: CrmRecord, contact: CrmRecord, options: { by?: 'email' | 'company name' } = {},
): Promise<DuplicateMatch[]> {
  const externalId = company.properties[COMPANY.externalCustomerId]?.trim();
  const email = contact.properties.email?.trim();
  const name = company.properties.name?.trim();
  const term = options.by === 'company name' ? name : email || name;
  const [byExternalId, found] = await Promise.all([
    externalId && options.by !== 'company name' ? api.findCustomersByExternalId(externalId) : Promise.resolve([]),
    term ? api.searchCustomers(term) : Promise.resolve([]),
  ]);
  return toDuplicateMatches([...byExternalId, ...found], { externalId, email, name });
}

/** Pure: which candidates really match, and why (search results are fuzzy; compare exactly). */
export function toDuplicateMatches(candidates: readonly Customer[], keys: { externalId?: string; email?: string; name?: string }): DuplicateMatch[] {
  const same = (a: string | null | undefined, b: string | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.toLowerCase());
  const byId = new Map<string, DuplicateMatch>();
  for (const customer of candidates) {
    if (customer.Hidden) continue;
    const reasons: DuplicateReason[] = [];
    if (same(customer.ExternalCustomerId, keys.externalId)) reasons.push('external id');
    if (same(customer.EmailAddress, keys.email)) reasons.push('email');
    if (same(customer.CompanyName, keys.name)) reasons.push('company name');
    if (reasons.length && !byId.has(customer.Id)) byId.set(customer.Id, { customer, reasons });
  }
  return [...byId.values()];
}

function describeMatch(m: DuplicateMatch): string {
  const label = m.customer.CompanyName || [m.customer.FirstName, m.customer.LastName].filter(Boolean).join(' ') || m.customer.EmailAddress || '';
  return `customer ${m.customer.Id}${label ? ` ("${label}")` : ''} with the same ${m.reasons.join(' and ')}`;
}

async function writeFailure(deps: Deps, deal: CrmRecord, problems: Problem[]): Promise<Outcome<never>> {
  await deps.hubspot.updateObject('deals', deal.id, toValidationFailedProperties(problems));
  deps.logger.info('deal validation failed', { dealId: deal.id, problems: problems.length });
  return fail(...problems);
}
export { writeFailure as writeValidationFailure };

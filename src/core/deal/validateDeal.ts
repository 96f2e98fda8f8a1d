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
import type { Deps } from '../deps.js';
import { describeCompany } from '../customer/fields.js';
import { toBillwerkCustomer } from '../customer/toBillwerkCustomer.js';
import { type BillwerkEnvironment } from '../billwerk/environment.js';
import { toBillwerkDate, toPaymentTermDays, toSignupOrder } from '../mappers/toBillwerkOrder.js';
import { toBillwerkProblem } from '../mappers/toBillwerkProblem.js';
import { toSignupSummary, toValidatedProperties } from '../mappers/toValidationResult.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import { describeMatch, findLikelyDuplicates, isStrong, type DuplicateMatch } from './duplicates.js';
import { readDealContext, type DealContext } from './readDealContext.js';
import { checkSignupDeal, dealEntityId, dealTypeOf, describeDeal, type DealCheckOptions } from './rules.js';
import { validateUpgrade } from './validateUpgrade.js';
import { writeValidationFailure as writeFailure, type ValidateDealResult } from './validationResult.js';

export interface ValidateDealInput {
  dealId: string;
  /** From BILLWERK_BASE_URL: SnailMail is refused on a sandbox. */
  environment: BillwerkEnvironment;
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

  const startDate = toBillwerkDate(ctx.deal.properties[DEAL.startDate]) ?? undefined;
  const previewFor = (customerId: string | undefined) =>
    api.previewOrder(
      toSignupOrder({
        items: ctx.lineItems,
        ...(customerId ? { customerId } : { customer: toBillwerkCustomer(company, contact) }),
        ...(startDate ? { startDate } : {}),
      }),
    );
  // The preview does not wait for the duplicate search when the search cannot change whom it is for:
  // a plain Signup previews a new customer (a duplicate fails the validation either way), a known
  // existing customer needs no search. Only "Signup for existing Customer" without an id waits.
  const early = previewCustomerUpfront(ctx);
  const earlyPreview = early ? previewFor(early.customerId) : undefined;
  earlyPreview?.catch(() => undefined); // awaited below unless the customer check fails first

  const customer = await resolveCustomer(api, ctx);
  if (!customer.ok) return writeFailure(deps, ctx.deal, customer.problems);
  let preview;
  try {
    preview = await (earlyPreview && early!.customerId === customer.value.customerId
      ? earlyPreview
      : previewFor(customer.value.customerId));
  } catch (error) {
    return writeFailure(deps, ctx.deal, [toBillwerkProblem(error, 'preview the order', describeDeal(ctx.deal))]);
  }

  const summary = toSignupSummary({
    preview,
    customerLabel: customer.value.customerId
      ? `existing billwerk customer ${customer.value.customerId}`
      : 'new billwerk customer (created on apply)',
    planVariantName: ctx.lineItems.find((i) => i.item.type === ITEM_TYPE.planVariant)?.name,
    paymentTermDays: toPaymentTermDays(ctx.deal.properties[DEAL.paymentTermDays]) ?? undefined,
    startDate,
    notes: customer.value.notes,
  });
  await deps.hubspot.updateObject('deals', ctx.deal.id, {
    ...toValidatedProperties(summary, ctx.lineItemsHash, deps.now()),
    // The customer an existing-customer signup will use (apply reads it from here).
    ...(customer.value.customerId && customer.value.customerId !== ctx.deal.properties[DEAL.customerId]
      ? { [DEAL.customerId]: customer.value.customerId }
      : {}),
  });
  deps.logger.info('deal validated', { dealId: ctx.deal.id, customerId: customer.value.customerId });
  return succeed({ message: `Successfully validated\n${summary}` });
}

/** Whom the preview is for when that is known before the duplicate search; undefined when it must wait. */
function previewCustomerUpfront(ctx: DealContext): { customerId: string | undefined } | undefined {
  const linked = ctx.company!.properties[COMPANY.customerId]?.trim();
  if (dealTypeOf(ctx.deal) !== DEAL_TYPE.signupExisting) return linked ? undefined : { customerId: undefined };
  const known = linked || ctx.deal.properties[DEAL.customerId]?.trim();
  return known ? { customerId: known } : undefined;
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
    return fail({
      record,
      field: 'billwerk customer id',
      message: `The company is already billwerk customer ${linked}. Set the deal type to "Signup for existing Customer" to add a contract to that customer.`,
    });
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
    if (candidates.length === 1)
      return succeed({
        customerId: candidates[0]!.customer.Id,
        notes: [`Matched billwerk customer ${candidates[0]!.customer.Id} by ${candidates[0]!.reasons.join(' and ')}.`],
      });
    return fail({
      record,
      field: 'billwerk customer id',
      message:
        candidates.length === 0
          ? 'No billwerk customer was found for this company (by external id, email or company name). Use deal type "Signup" to create a new customer.'
          : `Several billwerk customers match this company: ${candidates.map(describeMatch).join('; ')}. Ask an admin to link the right one to the company.`,
    });
  }
  if (strong.length > 0) {
    return fail(
      ...strong.map(
        (m) =>
          ({
            record,
            field: 'Deal Type (billwerk)',
            message: `billwerk already has a likely duplicate: ${describeMatch(m)}. To add the contract to that customer instead of creating a new one, set the deal type to "Signup for existing Customer" (customer ${m.customer.Id}) and validate again.`,
          }) satisfies Problem,
      ),
    );
  }
  // A company name alone is a hint, not proof (two firms can share a name): warn, don't block.
  const notes = matches.map(
    (m) => `Note: billwerk customer ${m.customer.Id} has the same company name. If it is this company, use "Signup for existing Customer".`,
  );
  return succeed({ notes });
}

export type { ValidateDealResult };

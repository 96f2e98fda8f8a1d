/**
 * The signup flow of the apply protocol (applyProtocol.ts): creates the customer (inline in the order,
 * or the existing one) and the contract, sets the individual term of payment, links company and contact
 * to the customer. Right before a new customer is ordered, the duplicate check of the validation runs
 * again: a billwerk customer that appeared since then stops the apply with the validation's words.
 */
import { COMPANY, DEAL, DEAL_TYPE } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Contract, Customer, Order } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, CrmRecordWithAssociations } from '../hubspot/api.js';
import { describeCompany } from '../customer/fields.js';
import { toBillwerkCustomer } from '../customer/toBillwerkCustomer.js';
import { toBillwerkDate, toPaymentTermDays, toSignupOrder } from '../mappers/toBillwerkOrder.js';
import type { AppliedContract } from '../mappers/toDealProperties.js';
import {
  contractCustomFieldsFrom,
  customerCustomFieldsFrom,
  mappedHubSpotProperties,
  type CustomFieldMapping,
} from '../settings/mappings.js';
import { cachedMappings } from '../settings/mappingsCache.js';
import { fail, succeed, type Outcome, type Problem } from '../result.js';
import type { AfterCommitStep, ApplyFlow, Gathered } from './applyProtocol.js';
import { describeMatch, findLikelyDuplicates, isStrong } from './duplicates.js';
import { DEAL_PROPERTIES, readDealContextOf } from './readDealContext.js';
import { checkSignupDeal, dealEntityId, dealTypeOf, describeDeal, type DealCheckOptions } from './rules.js';

interface SignupGathered extends Gathered {
  mappings: readonly CustomFieldMapping[];
  /** billwerk customers holding the external id derived from the company (read while HubSpot is read). */
  derivedIdCustomers?: Promise<Customer[]>;
}

export function signupFlow(deps: Deps, options: DealCheckOptions): ApplyFlow<SignupGathered> {
  // Cached per warm container; loads meanwhile the claim is taken (awaited, and its failure handled, in gather).
  const mappingsLoad = cachedMappings(deps.hubspot, deps.now());
  mappingsLoad.catch(() => undefined);
  const api = (deal: CrmRecord) => deps.billwerk.forEntity(dealEntityId(deal, options.entities));
  return {
    words: {
      running: 'creating the contract',
      done: (contractId) => `billwerk created contract ${contractId}`,
      applied: (a) => `billwerk created contract ${a.contractId} for customer ${a.customerId} (order ${a.orderId})`,
    },
    async gather(deps, first) {
      // A new customer's order waits for this billwerk read (and the token of a cold container): start
      // it beside the HubSpot reads. Used only if the company turns out to have no external id of its own.
      const companyIds = first.associations.companies ?? [];
      const derivedIdCustomers =
        dealTypeOf(first) === DEAL_TYPE.signup && companyIds.length === 1 && !first.properties[DEAL.orderId]?.trim()
          ? api(first).findCustomersByExternalId(`hubspot-company-${companyIds[0]}`)
          : undefined;
      derivedIdCustomers?.catch(() => undefined); // awaited (and its failure handled) when the order is made
      const mappings = await mappingsLoad;
      // The deal again (after the claim: an apply that just finished is seen) beside its records.
      const [current, ctx] = await Promise.all([
        deps.hubspot.getObject('deals', first.id, [...new Set([...DEAL_PROPERTIES, ...mappedHubSpotProperties(mappings, 'deal')])]),
        readDealContextOf(deps, first, { extraCompanyProperties: mappedHubSpotProperties(mappings, 'company') }),
      ]);
      return {
        ctx: { ...ctx, deal: { ...current, associations: first.associations } },
        mappings,
        ...(derivedIdCustomers ? { derivedIdCustomers } : {}),
      };
    },
    check: ({ ctx }) => {
      if (ctx.lineItemsHash !== ctx.deal.properties[DEAL.validatedLineItemsHash]) {
        return [
          {
            record: describeDeal(ctx.deal),
            field: 'Line items',
            message: 'The line items changed after the last validation. Request validation again.',
          },
        ];
      }
      return checkSignupDeal(ctx, options);
    },
    api,
    order: (deps, gathered, entityApi) => createSignupOrder(deps, gathered, entityApi, options),
    afterCommit: (_deps, { ctx }, entityApi, contract) => paymentTermStep(entityApi, ctx.deal, contract),
    companyLink: ({ ctx }, applied) => ({
      [COMPANY.customerId]: applied.customerId,
      [COMPANY.externalCustomerId]: externalCustomerIdOf(ctx.company!),
    }),
    linkOnlyUnlinked: false,
    note: (_g, a: AppliedContract) =>
      `billwerk: Contract created. Contract ${a.contractId} for customer ${a.customerId} (order ${a.orderId}).`,
  };
}

/** The external customer id billwerk gets: the company's own, else one derived from the HubSpot id. */
export function externalCustomerIdOf(company: CrmRecord): string {
  return company.properties[COMPANY.externalCustomerId]?.trim() || `hubspot-company-${company.id}`;
}

async function createSignupOrder(
  deps: Deps,
  { ctx, mappings, derivedIdCustomers }: SignupGathered,
  api: BillwerkEntityApi,
  options: DealCheckOptions,
): Promise<Outcome<Order>> {
  const company = ctx.company!;
  const entityId = dealEntityId(ctx.deal, options.entities) ?? '';
  const startDate = toBillwerkDate(ctx.deal.properties[DEAL.startDate]) ?? undefined;
  // Custom field mappings go only with the new order: later deal edits are not sent (guide).
  const common = {
    items: ctx.lineItems,
    ...(startDate ? { startDate } : {}),
    contractCustomFields: contractCustomFieldsFrom(ctx.deal, mappings, entityId),
  };
  const knownCustomerId =
    company.properties[COMPANY.customerId]?.trim() ||
    (dealTypeOf(ctx.deal) === DEAL_TYPE.signupExisting ? ctx.deal.properties[DEAL.customerId]?.trim() : undefined);
  if (knownCustomerId) return succeed(await api.createOrder(toSignupOrder({ ...common, customerId: knownCustomerId })));

  const externalId = externalCustomerIdOf(company);
  const [ours, matches] = await Promise.all([
    // A customer with the id derived from this HubSpot company was created by the connector for it (e.g. by
    // another deal's apply that could not link the company): use it instead of creating a second one.
    company.properties[COMPANY.externalCustomerId]?.trim()
      ? Promise.resolve([])
      : (derivedIdCustomers ?? api.findCustomersByExternalId(externalId)),
    findLikelyDuplicates(api, company, ctx.contact!),
  ]);
  const own = ours.find((c) => !c.Hidden);
  if (own) {
    deps.logger.info('reusing the billwerk customer created for this company', { dealId: ctx.deal.id, customerId: own.Id });
    return succeed(await api.createOrder(toSignupOrder({ ...common, customerId: own.Id })));
  }
  const strong = matches.filter(isStrong);
  if (strong.length) {
    return fail(
      ...strong.map(
        (m) =>
          ({
            record: describeCompany(company),
            field: 'Deal Type (billwerk)',
            message: `billwerk has a likely duplicate since the validation: ${describeMatch(m)}. Nothing was created. To add the contract to that customer, set the deal type to "Signup for existing Customer" (customer ${m.customer.Id}) and validate again.`,
          }) satisfies Problem,
      ),
    );
  }
  const customFields = customerCustomFieldsFrom(company, mappings, entityId);
  const customer = {
    ...toBillwerkCustomer(company, ctx.contact!),
    ...(Object.keys(customFields).length ? { CustomFields: customFields } : {}),
    ExternalCustomerId: externalId,
  };
  return succeed(await api.createOrder(toSignupOrder({ ...common, customer })));
}

function paymentTermStep(api: BillwerkEntityApi, deal: CrmRecord, contract: Contract): AfterCommitStep[] {
  const days = toPaymentTermDays(deal.properties[DEAL.paymentTermDays]);
  if (days === undefined || days === null) return [];
  if (contract.OnAccountDueAfter?.Unit === 'Day' && contract.OnAccountDueAfter.Quantity === days) return [];
  return [
    {
      step: 'paymentTerm',
      doing: `set the payment term of ${days} days`,
      service: 'billwerk',
      run: () => api.updateContract(contract.Id, { OnAccountDueAfter: { Unit: 'Day', Quantity: days } }),
    },
  ];
}

export type { CrmRecordWithAssociations };

/**
 * The deal rules, pure: what a deal is (type, entity, Closed won), every reason it cannot be validated or
 * applied yet (the guide's prerequisites: contact first/last name and email; company name, locale,
 * country, street, house number, postal code; one entity for contact, company, deal and line items;
 * exactly one plan variant for a signup; a deal type), and whether an up/downgrade may change the origin
 * deal's contract. Each problem names the record and the field. The context is read by readDealContext.
 */
import { COMPANY, CONTACT, DEAL, DEAL_TYPE, ITEM_TYPE, VALIDATION } from '../catalog.js';
import type { Contract } from '../billwerk/schemas.js';
import type { BillwerkEntity } from '../config.js';
import type { CrmRecord } from '../hubspot/api.js';
import type { BillwerkEnvironment } from '../billwerk/environment.js';
import { checkCustomerPrerequisites } from '../customer/checks.js';
import { describeCompany, describeContact } from '../customer/fields.js';
import type { DealLineItem } from '../mappers/toBillwerkItem.js';
import { toBillwerkDate, toPaymentTermDays } from '../mappers/toBillwerkOrder.js';
import { formatDay } from '../mappers/toValidationResult.js';
import type { Problem } from '../result.js';
import type { DealContext } from './readDealContext.js';

export type DealType = (typeof DEAL_TYPE)[keyof typeof DEAL_TYPE];

export interface DealCheckOptions {
  environment: BillwerkEnvironment;
  /** Configured entities, root first (an empty Entity field means the root entity). */
  entities: readonly BillwerkEntity[];
}

export function describeDeal(deal: CrmRecord): string {
  const name = deal.properties.dealname?.trim();
  return name ? `deal "${name}"` : `deal ${deal.id}`;
}

export function dealTypeOf(deal: CrmRecord): DealType | undefined {
  const value = deal.properties[DEAL.dealType]?.trim();
  return (Object.values(DEAL_TYPE) as string[]).includes(value ?? '') ? (value as DealType) : undefined;
}

/** The deal's entity id (root when empty). */
export function dealEntityId(deal: CrmRecord, entities: readonly BillwerkEntity[]): string | undefined {
  return deal.properties[DEAL.entity]?.trim() || entities[0]?.id;
}

export function isClosedWon(deal: CrmRecord): boolean {
  return deal.properties.hs_is_closed_won === 'true' || deal.properties.dealstage === 'closedwon';
}

/** Problems shared by signups and up/downgrades: deal type, entity, line items, dates. */
export function checkDealBasics(ctx: DealContext, options: DealCheckOptions, allowed: readonly DealType[]): Problem[] {
  const deal = describeDeal(ctx.deal);
  const problems: Problem[] = [];
  const type = dealTypeOf(ctx.deal);
  if (!type || !allowed.includes(type)) {
    problems.push({
      record: deal,
      field: 'Deal Type (billwerk)',
      message: type
        ? `This action does not apply to deal type ${type}.`
        : 'Choose a deal type: Signup, Signup for existing Customer or Upgrade.',
    });
  }
  const entityId = dealEntityId(ctx.deal, options.entities);
  if (entityId && !options.entities.some((e) => e.id === entityId)) {
    problems.push({ record: deal, field: 'Entity', message: `Entity ${entityId} is not configured in the connector.` });
  }
  if (toBillwerkDate(ctx.deal.properties[DEAL.startDate]) === null) {
    problems.push({ record: deal, field: 'billwerk start date', message: `"${ctx.deal.properties[DEAL.startDate]}" is not a date.` });
  }
  if (ctx.lineItemRecords.length === 0) {
    problems.push({ record: deal, field: 'Line items', message: 'The deal has no line items. Add products synced from billwerk.' });
  }
  problems.push(...ctx.lineItemProblems, ...checkLineItemEntities(ctx, options));
  return problems;
}

/** Everything a signup (new or existing customer) needs before billwerk is asked. */
export function checkSignupDeal(ctx: DealContext, options: DealCheckOptions): Problem[] {
  const deal = describeDeal(ctx.deal);
  const problems = checkDealBasics(ctx, options, [DEAL_TYPE.signup, DEAL_TYPE.signupExisting]);

  if (ctx.companies.length === 0)
    problems.push({ record: deal, field: 'Company', message: 'Associate the company to bill with the deal.' });
  if (ctx.companies.length > 1)
    problems.push({
      record: deal,
      field: 'Company',
      message: `The deal has ${ctx.companies.length} companies; billwerk bills exactly one. Keep one.`,
    });
  if (!ctx.contact)
    problems.push({ record: deal, field: 'Contact', message: 'Associate the contact person of the customer with the deal.' });
  if (ctx.company && ctx.contact) {
    problems.push(
      ...checkCustomerPrerequisites(ctx.company, ctx.contact, { environment: options.environment, rootEntityId: options.entities[0]?.id }),
    );
  }
  problems.push(...checkRecordEntities(ctx, options));

  const planVariants = ctx.lineItems.filter((i) => i.item.type === ITEM_TYPE.planVariant);
  if (ctx.lineItemRecords.length > 0 && planVariants.length === 0 && ctx.lineItemProblems.length === 0) {
    problems.push({ record: deal, field: 'Line items', message: 'A signup needs exactly one plan variant; the deal has none.' });
  }
  if (planVariants.length > 1) {
    problems.push({
      record: deal,
      field: 'Line items',
      message: `A signup needs exactly one plan variant; the deal has ${planVariants.length}: ${planVariants.map((p) => `"${p.name}"`).join(', ')}.`,
    });
  }
  if (toPaymentTermDays(ctx.deal.properties[DEAL.paymentTermDays]) === null) {
    problems.push({
      record: deal,
      field: 'Payment term (in days)',
      message: `"${ctx.deal.properties[DEAL.paymentTermDays]}" is not a whole number of days between 0 and 365.`,
    });
  }
  return problems;
}

/** The deal's entity must be the company's and the contact's (the company/contact pair is checked with the customer). */
function checkRecordEntities(ctx: DealContext, options: DealCheckOptions): Problem[] {
  const dealEntity = dealEntityId(ctx.deal, options.entities);
  const root = options.entities[0]?.id;
  const problems: Problem[] = [];
  const check = (record: CrmRecord | undefined, name: string, describe: (r: CrmRecord) => string) => {
    const entity = record?.properties[name]?.trim() || root;
    if (record && entity && dealEntity && entity !== dealEntity) {
      problems.push({
        record: describe(record),
        field: 'Entity',
        message: `It is in entity ${entityName(entity, options)} but the deal is in entity ${entityName(dealEntity, options)}; contact, company, deal and line items must share one entity.`,
      });
    }
  };
  check(ctx.company, COMPANY.entity, describeCompany);
  // The company/contact pair is reported by the customer check; report the contact here only when the company is missing.
  if (!ctx.company) check(ctx.contact, CONTACT.entity, describeContact);
  return problems;
}

function checkLineItemEntities(ctx: DealContext, options: DealCheckOptions): Problem[] {
  const dealEntity = dealEntityId(ctx.deal, options.entities);
  const root = options.entities[0]?.id;
  return ctx.lineItems
    .filter((li) => (li.item.entityId ?? root) !== dealEntity)
    .map((li) => ({
      record: `line item "${li.name}"`,
      field: 'Entity',
      message: `Its product belongs to entity ${entityName(li.item.entityId ?? root ?? '', options)} but the deal is in entity ${entityName(dealEntity ?? '', options)}; contact, company, deal and line items must share one entity.`,
    }));
}

export function entityName(id: string, options: Pick<DealCheckOptions, 'entities'>): string {
  const entity = options.entities.find((e) => e.id === id);
  return entity ? `"${entity.name}"` : id;
}

/** Refusals that need no more reads: not validated, not Closed won. */
export function checkReadyToApply(deal: CrmRecord): Problem[] {
  const record = describeDeal(deal);
  const problems: Problem[] = [];
  if (deal.properties[DEAL.validation] !== VALIDATION.succeeded) {
    problems.push({ record, field: 'billwerk validation', message: 'The deal is not successfully validated. Request validation first.' });
  }
  if (!isClosedWon(deal))
    problems.push({ record, field: 'Deal Stage', message: 'Move the deal to Closed won before applying it in billwerk.' });
  return problems;
}

/** Problems of the origin deal itself: missing, without contract, another entity. */
export function checkUpgradeOrigin(deal: CrmRecord, origin: CrmRecord | undefined, options: DealCheckOptions): Problem[] {
  const record = describeDeal(deal);
  if (!deal.properties[DEAL.originDealId]?.trim()) {
    return [
      {
        record,
        field: 'Origin deal id',
        message:
          'This up/downgrade deal does not name its origin deal. Create it with "Create up/downgrade deal" on the deal that owns the contract.',
      },
    ];
  }
  if (!origin)
    return [
      { record, field: 'Origin deal id', message: `The origin deal ${deal.properties[DEAL.originDealId]} does not exist (any more).` },
    ];
  if (!origin.properties[DEAL.contractId]?.trim()) {
    return [
      {
        record: describeDeal(origin),
        field: 'billwerk contract id',
        message: 'The origin deal has no billwerk contract, so there is nothing to up/downgrade.',
      },
    ];
  }
  const dealEntity = dealEntityId(deal, options.entities);
  const originEntity = dealEntityId(origin, options.entities);
  if (dealEntity !== originEntity) {
    return [
      {
        record,
        field: 'Entity',
        message: `The contract belongs to entity ${entityName(originEntity ?? '', options)}, this deal to ${entityName(dealEntity ?? '', options)}. An up/downgrade stays in the contract's entity.`,
      },
    ];
  }
  return [];
}

/** billwerk says the contract is over (end date reached, or an ended lifecycle). */
export function checkContractOpen(contract: Contract, at: Date, record: string): Problem[] {
  const end = contract.EndDate ? new Date(contract.EndDate) : undefined;
  const ended =
    (end && !Number.isNaN(end.getTime()) && end.getTime() <= at.getTime()) ||
    /^(ended|terminated|cancelled|annulled)$/i.test(contract.LifecycleStatus ?? '');
  if (!ended) return [];
  return [
    {
      record,
      field: 'billwerk contract',
      message: `Contract ${contract.Id} has ended${contract.EndDate ? ` (${formatDay(contract.EndDate)})` : ''}; an ended contract cannot be up/downgraded. Sell a new signup instead.`,
    },
  ];
}

/** An up/downgrade may change the plan variant (at most one) and add components or discounts. */
export function checkUpgradeItems(deal: CrmRecord, items: readonly DealLineItem[]): Problem[] {
  const planVariants = items.filter((i) => i.item.type === ITEM_TYPE.planVariant);
  if (planVariants.length <= 1) return [];
  return [
    {
      record: describeDeal(deal),
      field: 'Line items',
      message: `An up/downgrade switches to at most one plan variant; the deal has ${planVariants.length}: ${planVariants.map((p) => `"${p.name}"`).join(', ')}.`,
    },
  ];
}

/**
 * What happens when billwerk sends X: one table, one named handler per subscribed event, each with
 * what it writes. The table's type makes the compiler check that every subscribed event has a handler.
 * Contract events are hints: whatever they say, the deal gets the contract's current state
 * (refreshContractState); only the escalation events add what no contract read can tell. Handlers load
 * what they need (mappings) themselves. Thrown errors are transient (the endpoint answers 503 so
 * billwerk redelivers); everything a retry cannot fix comes back as a result and is acknowledged.
 */
import type { Invoice, WebhookEvent } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import { CATALOG_EVENTS, handleCatalogEvent } from '../products/syncProducts.js';
import { isTransient, statusOf } from './failures.js';
import { refreshContractState, type RefreshResult } from './refreshContractState.js';

/** The contract events the guide asks admins to activate ("Configuring the required webhooks"). */
export const CONTRACT_EVENTS = [
  'ContractCreated',
  'ContractChanged',
  'InvoiceCreated',
  'OrderSucceeded',
  'PaymentEscalated',
  'PaymentEscalationReset',
  // Not in the guide's list: billwerk raises it when contract custom fields change (docs/mappings.md),
  // so mapped contract -> deal fields follow when an admin also activates it.
  'ContractDataChanged',
] as const;
export type ContractEventName = (typeof CONTRACT_EVENTS)[number];

/** Every billwerk event the connector handles: contract events and catalog events. */
export const SUBSCRIBED_EVENTS = [...CONTRACT_EVENTS, ...CATALOG_EVENTS] as const;
export type SubscribedEvent = (typeof SUBSCRIBED_EVENTS)[number];

export type EventHandling =
  | { kind: 'contract'; event: string; result: RefreshResult }
  /** Catalog events (PlanVariant*, Component*, Plan*, Discount*) go to the product sync. */
  | { kind: 'catalog'; event: string; handled: boolean; detail?: string }
  | { kind: 'ignored'; event: string; why: string };

type Handler = (deps: Deps, event: WebhookEvent) => Promise<EventHandling>;

const HANDLERS: Record<SubscribedEvent, Handler> = {
  // Deal billing state (balance, billed until, lifecycle, payment provider/method, end date) from the contract.
  ContractCreated: syncContract,
  ContractChanged: syncContract,
  OrderSucceeded: syncContract,
  // The same, plus mapped contract custom fields -> deal properties.
  ContractDataChanged: syncContract,
  // The same, plus this invoice (read by id) as the deal's last invoice: number, total, date.
  InvoiceCreated: syncContractAndInvoice,
  // "Payment escalated" = yes with due date and trigger days, unless the contract owes nothing (stale).
  PaymentEscalated: escalatePayment,
  // "Payment escalated" = no; due date and trigger days cleared; reset time kept to order late escalations.
  PaymentEscalationReset: resetPaymentEscalation,
  // HubSpot product of that plan variant / component / plan's variants / discount: created, updated or archived.
  PlanVariantCreated: syncCatalogItem,
  PlanVariantChanged: syncCatalogItem,
  PlanVariantDeleted: syncCatalogItem,
  ComponentCreated: syncCatalogItem,
  ComponentChanged: syncCatalogItem,
  ComponentDeleted: syncCatalogItem,
  PlanCreated: syncCatalogItem,
  PlanChanged: syncCatalogItem,
  PlanDeleted: syncCatalogItem,
  DiscountCreated: syncCatalogItem,
  DiscountChanged: syncCatalogItem,
  DiscountDeleted: syncCatalogItem,
};

export function isSubscribedEvent(name: string): name is SubscribedEvent {
  return Object.hasOwn(HANDLERS, name);
}

export async function handleBillwerkEvent(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  if (!isSubscribedEvent(event.Event)) {
    deps.logger.info('billwerk event not used by the connector; acknowledged', { event: event.Event });
    return { kind: 'ignored', event: event.Event, why: 'event not used by the connector' };
  }
  return HANDLERS[event.Event](deps, event);
}

// ---------------------------------------------------------------------------------------------------
// Handlers

const reasonOf = (event: WebhookEvent) => `${event.Event} webhook`;

function withoutContract(deps: Deps, event: WebhookEvent): EventHandling {
  deps.logger.warn('billwerk event names no contract; acknowledged', { event: event.Event, customerId: event.CustomerId });
  return { kind: 'ignored', event: event.Event, why: 'no contract id in the event' };
}

async function syncContract(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  if (!event.ContractId) return withoutContract(deps, event);
  const result = await refreshContractState(deps, { contractId: event.ContractId, entityId: event.EntityId }, { reason: reasonOf(event) });
  return { kind: 'contract', event: event.Event, result };
}

/**
 * Reads the named invoice by id instead of paging the customer's invoice history. Older payloads
 * carry only `InvoiceId` (developer.billwerk.io): the invoice, read in the event's entity, names its
 * contract. An invoice billwerk does not know (or answers unreadably) is acknowledged: retrying
 * cannot make it appear, and the sweep catches up the deal's last invoice.
 */
async function syncContractAndInvoice(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  if (event.ContractId) {
    const result = await refreshContractState(
      deps,
      { contractId: event.ContractId, entityId: event.EntityId },
      { reason: reasonOf(event), invoiceId: event.InvoiceId ?? undefined },
    );
    return { kind: 'contract', event: event.Event, result };
  }
  if (!event.InvoiceId) return withoutContract(deps, event);
  const entity = knownEntity(deps, event.EntityId);
  let invoice: Invoice;
  try {
    invoice = await deps.billwerk.forEntity(entity).getInvoice(event.InvoiceId);
  } catch (error) {
    if (isTransient(error)) throw error;
    deps.logger.warn('billwerk invoice of the event cannot be read; acknowledged', {
      event: event.Event,
      invoiceId: event.InvoiceId,
      entityId: entity,
      status: statusOf(error),
    });
    return { kind: 'ignored', event: event.Event, why: `billwerk does not know invoice ${event.InvoiceId}` };
  }
  if (!invoice.ContractId) return withoutContract(deps, event);
  const result = await refreshContractState(
    deps,
    { contractId: invoice.ContractId, entityId: entity },
    { reason: reasonOf(event), invoice },
  );
  return { kind: 'contract', event: event.Event, result };
}

async function escalatePayment(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  if (!event.ContractId) return withoutContract(deps, event);
  const escalation = { kind: 'escalated' as const, dueDate: event.DueDate ?? null, triggerDays: event.TriggerDays ?? null };
  const result = await refreshContractState(
    deps,
    { contractId: event.ContractId, entityId: event.EntityId },
    { reason: reasonOf(event), escalation },
  );
  return { kind: 'contract', event: event.Event, result };
}

async function resetPaymentEscalation(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  if (!event.ContractId) return withoutContract(deps, event);
  const result = await refreshContractState(
    deps,
    { contractId: event.ContractId, entityId: event.EntityId },
    { reason: reasonOf(event), escalation: { kind: 'reset' } },
  );
  return { kind: 'contract', event: event.Event, result };
}

async function syncCatalogItem(deps: Deps, event: WebhookEvent): Promise<EventHandling> {
  const outcome = await handleCatalogEvent(deps, event);
  if (!outcome.ok) {
    // A business problem (e.g. setup missing) does not get better by redelivery: acknowledge and log.
    deps.logger.warn('catalog event not applied', { event: event.Event, problems: outcome.problems.map((p) => p.message) });
    return { kind: 'catalog', event: event.Event, handled: false, detail: outcome.problems.map((p) => p.message).join(' ') };
  }
  return { kind: 'catalog', event: event.Event, handled: outcome.value.status === 'synced', detail: outcome.value.reason };
}

function knownEntity(deps: Deps, entityId: string | null | undefined): string | undefined {
  return entityId && deps.billwerk.entities.some((e) => e.id === entityId) ? entityId : undefined;
}

// ---------------------------------------------------------------------------------------------------
// The retry decision for the webhook endpoint

export type EventReceipt =
  /** Handled, ignored or failed for good: answer 2xx so billwerk stops delivering. */
  | { retry: false; handling: EventHandling }
  /** A transient failure (billwerk or HubSpot unreachable, 429, 5xx, time budget): ask for a redelivery. */
  | { retry: true; message: string };

/**
 * Handles one event and decides whether billwerk should deliver it again. Only transient failures
 * are retried; a failure a retry cannot fix (a deal deleted meanwhile, a refused write) is logged with
 * context and acknowledged, and the reconciliation sweep repairs the deal.
 */
export async function receiveBillwerkEvent(deps: Deps, event: WebhookEvent): Promise<EventReceipt> {
  try {
    const handling = await handleBillwerkEvent(deps, event);
    if (handling.kind === 'contract' && handling.result.status === 'failed' && handling.result.retryable) {
      return { retry: true, message: handling.result.message };
    }
    return { retry: false, handling };
  } catch (error) {
    const context = {
      event: event.Event,
      contractId: event.ContractId,
      invoiceId: event.InvoiceId,
      status: statusOf(error),
      error: error instanceof Error ? error.message : String(error),
    };
    if (isTransient(error)) {
      deps.logger.error('billwerk webhook failed; billwerk will deliver it again', context);
      return { retry: true, message: 'temporarily unavailable' };
    }
    deps.logger.error('billwerk webhook cannot be applied; acknowledged (the sweep repairs the record)', context);
    return { retry: false, handling: { kind: 'ignored', event: event.Event, why: 'the write was refused; see the function logs' } };
  }
}

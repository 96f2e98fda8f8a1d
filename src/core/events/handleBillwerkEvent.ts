/**
 * Routes one authenticated, parsed billwerk webhook event. Contract events are hints: whatever they
 * say, the deal gets the contract's current state (refreshContractState). Catalog events go to the
 * product sync. Anything else is acknowledged and logged, so billwerk does not retry it.
 */
import type { WebhookEvent } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CustomFieldMapping } from '../settings/mappings.js';
import { refreshContractState, type RefreshResult } from './refreshContractState.js';
import { handleCatalogEvent, isCatalogEvent } from '../products/syncProducts.js';

/** The events the guide asks admins to activate ("Configuring the required webhooks"). */
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

export function isContractEvent(name: string): name is ContractEventName {
  return (CONTRACT_EVENTS as readonly string[]).includes(name);
}

export type EventHandling =
  | { kind: 'contract'; event: string; result: RefreshResult }
  /** Catalog events (PlanVariant*, Component*, Plan*, Discount*) go to the product sync. */
  | { kind: 'catalog'; event: string; handled: boolean; detail?: string }
  | { kind: 'ignored'; event: string; why: string };

export interface EventHandlerOptions {
  /** Deal ↔ contract custom field mappings to apply (hook for the settings page's mappings). */
  mappings?: readonly CustomFieldMapping[];
}

export async function handleBillwerkEvent(deps: Deps, event: WebhookEvent, options: EventHandlerOptions = {}): Promise<EventHandling> {
  if (isContractEvent(event.Event)) {
    const contractId = event.ContractId ?? (await contractOfInvoice(deps, event));
    if (!contractId) {
      deps.logger.warn('billwerk event names no contract; acknowledged', { event: event.Event });
      return { kind: 'ignored', event: event.Event, why: 'no contract id in the event' };
    }
    const result = await refreshContractState(deps, { contractId, entityId: event.EntityId }, { reason: `${event.Event} webhook`, mappings: options.mappings });
    return { kind: 'contract', event: event.Event, result };
  }
  if (isCatalogEvent(event.Event)) {
    // Thrown errors (billwerk/HubSpot down) reach the endpoint, which answers 503 so billwerk retries.
    const outcome = await handleCatalogEvent(deps, event);
    if (!outcome.ok) {
      // A business problem (e.g. setup missing) does not get better by redelivery: acknowledge and log.
      deps.logger.warn('catalog event not applied', { event: event.Event, problems: outcome.problems.map((p) => p.message) });
      return { kind: 'catalog', event: event.Event, handled: false, detail: outcome.problems.map((p) => p.message).join(' ') };
    }
    return { kind: 'catalog', event: event.Event, handled: outcome.value.status === 'synced', detail: outcome.value.reason };
  }
  deps.logger.info('billwerk event not used by the connector; acknowledged', { event: event.Event });
  return { kind: 'ignored', event: event.Event, why: 'event not used by the connector' };
}

/**
 * Older InvoiceCreated payloads carry only `InvoiceId` (developer.billwerk.io); the invoice names
 * its contract.
 */
async function contractOfInvoice(deps: Deps, event: WebhookEvent): Promise<string | undefined> {
  if (event.Event !== 'InvoiceCreated' || !event.InvoiceId) return undefined;
  const entity = event.EntityId && deps.billwerk.entities.some((e) => e.id === event.EntityId) ? event.EntityId : undefined;
  const invoice = await deps.billwerk.forEntity(entity).getInvoice(event.InvoiceId);
  return invoice.ContractId ?? undefined;
}

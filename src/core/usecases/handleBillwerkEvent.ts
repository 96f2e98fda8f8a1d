/**
 * Routes one authenticated, parsed billwerk webhook event. Contract events are hints: whatever they
 * say, the deal gets the contract's current state (refreshContractState). Catalog events go to the
 * product sync. Anything else is acknowledged and logged, so billwerk does not retry it.
 */
import type { WebhookEvent } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CustomFieldMapping } from '../mappings.js';
import { refreshContractState, type RefreshResult } from './refreshContractState.js';

/** The events the guide asks admins to activate ("Configuring the required webhooks"). */
export const CONTRACT_EVENTS = [
  'ContractCreated',
  'ContractChanged',
  'InvoiceCreated',
  'OrderSucceeded',
  'PaymentEscalated',
  'PaymentEscalationReset',
] as const;
export type ContractEventName = (typeof CONTRACT_EVENTS)[number];

/** billwerk's catalog events (PlanVariant*, Component*, Plan*, Discount*), handled by the product sync. */
const CATALOG_EVENT = /^(PlanVariant|Plan|Component|Discount)(Created|Changed|Deleted)$/;

export function isContractEvent(name: string): name is ContractEventName {
  return (CONTRACT_EVENTS as readonly string[]).includes(name);
}

export function isCatalogEvent(name: string): boolean {
  return CATALOG_EVENT.test(name);
}

export type EventHandling =
  | { kind: 'contract'; event: string; result: RefreshResult }
  | { kind: 'catalog'; event: string; handled: boolean }
  | { kind: 'ignored'; event: string; why: string };

export interface EventHandlerOptions {
  mappings?: readonly CustomFieldMapping[];
  /** The product sync's handler for catalog events; without it they are acknowledged only. */
  handleCatalogEvent?: (deps: Deps, event: WebhookEvent) => Promise<unknown>;
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
    if (!options.handleCatalogEvent) {
      deps.logger.info('catalog event acknowledged; the product sync picks the change up on its next run', { event: event.Event });
      return { kind: 'catalog', event: event.Event, handled: false };
    }
    await options.handleCatalogEvent(deps, event);
    return { kind: 'catalog', event: event.Event, handled: true };
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

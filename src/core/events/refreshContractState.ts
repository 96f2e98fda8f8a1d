/**
 * The convergent billing-state sync: read the contract's CURRENT state from billwerk and write it to
 * the deal that owns the contract. Webhooks only say "something happened to contract X", so every
 * event, replay or late delivery ends in the same state; writes that change nothing are skipped (no
 * HubSpot write, no echo loop, no note). Used by the billwerk webhook endpoint and by the deal card
 * (`refresh_contract`) for portals without webhooks.
 *
 * Calls per event: HubSpot 1 batch read by the unique `billwerk_owned_contract_id` (deal + its current
 * billing properties; no search, so HubSpot's 5/s search limit does not cap a month-end burst) + 1 update
 * when something changed (+ the note's 3–4 calls when the change is noteworthy); billwerk 1 contract
 * read, plus 1 invoice read by id for InvoiceCreated. The invoice list is read only when the contract
 * was billed after the deal's last invoice (an InvoiceCreated was missed: card refresh, sweep).
 *
 * Failures: only transient ones (failures.ts) are returned as retryable; the rest are acknowledged
 * and written onto the deal. The deal is updated only after its timeline note was written, so a
 * retry after a failed note still sees the change and writes the note (timelineNote.ts).
 */
import { DEAL } from '../catalog.js';
import type { BillwerkApi } from '../billwerk/api.js';
import type { Contract, Invoice } from '../billwerk/schemas.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { dealPropertiesFromContract, mappedHubSpotProperties, type CustomFieldMapping } from '../settings/mappings.js';
import { cachedMappings } from '../settings/mappingsCache.js';
import { isTransient, statusOf } from './failures.js';
import { changeKey, writeNoteOnce } from './timelineNote.js';
import {
  BILLING_READ_PROPERTIES,
  changedBillingProperties,
  noteworthyChanges,
  normalizeValue,
  toBillingChangeNote,
  toDealBillingProperties,
  toEscalationProperties,
  toSyncFailureNote,
  type EscalationEvent,
} from '../mappers/toDealBillingProperties.js';
import { fail, succeed, type Outcome } from '../result.js';

export interface RefreshOptions {
  /** Why we sync, for logs and notes, e.g. `ContractChanged webhook` or `refresh from the deal card`. */
  reason: string;
  /**
   * Mapped contract custom fields (settings page). Loaded by the use-case itself (cached per warm
   * container) unless the caller already has them (the sweep loads them once per run).
   */
  mappings?: readonly CustomFieldMapping[];
  /** InvoiceCreated: the invoice (read by id) that becomes the deal's last invoice if it is newer. */
  invoice?: Invoice;
  /** InvoiceCreated with a contract id: read this invoice by id alongside the contract. */
  invoiceId?: string;
  /** PaymentEscalated / PaymentEscalationReset (escalation is known from these events only). */
  escalation?: EscalationEvent;
}

export type RefreshResult =
  /** The deal now mirrors billwerk; `changed` lists the properties written. */
  | {
      status: 'updated';
      dealId: string;
      contractId: string;
      changed: string[];
      properties: Record<string, string | null>;
      checkedAt: string;
    }
  /** billwerk and the deal already agree: nothing was written. */
  | { status: 'unchanged'; dealId: string; contractId: string; properties: Record<string, string | null>; checkedAt: string }
  /** No deal owns the contract (webhook for a contract not created from HubSpot, or handed over). */
  | { status: 'no-owner'; contractId: string }
  /** The deal no longer follows its contract (an executed up/downgrade handed it to a newer deal). */
  | { status: 'not-synced'; dealId: string; contractId: string | null }
  /** Reading billwerk failed. `retryable` = worth retrying later (network, 429, 5xx). */
  | { status: 'failed'; dealId: string; contractId: string; message: string; retryable: boolean };

const withMappings = async (deps: Deps, options: RefreshOptions): Promise<RefreshOptions> =>
  options.mappings ? options : { ...options, mappings: await cachedMappings(deps.hubspot, deps.now()) };

// ---------------------------------------------------------------------------------------------------
// Entry points

/** Webhook path: find the owning deal (one batch read that also returns its billing state), then sync. */
export async function refreshContractState(
  deps: Deps,
  input: { contractId: string; entityId?: string | null },
  given: RefreshOptions,
): Promise<RefreshResult> {
  const options = await withMappings(deps, given);
  const deal = await findOwningDeal(deps, input.contractId, options.mappings);
  if (!deal) {
    deps.logger.info('no deal owns this billwerk contract; event acknowledged', { contractId: input.contractId, reason: options.reason });
    return { status: 'no-owner', contractId: input.contractId };
  }
  return syncDeal(deps, deal, input.contractId, input.entityId, options);
}

/** Card path: the deal is known; it must still follow its contract. */
export async function refreshDealBillingState(
  deps: Deps,
  input: { dealId: string },
  given: RefreshOptions,
): Promise<Outcome<RefreshResult>> {
  const options = await withMappings(deps, given);
  const deal = await deps.hubspot.getObject('deals', input.dealId, readProperties(options.mappings));
  const contractId = (deal.properties[DEAL.contractId] ?? '').trim();
  if (!contractId) {
    return fail({
      record: `deal "${deal.properties.dealname ?? input.dealId}"`,
      field: 'billwerk contract id',
      message: 'This deal has no billwerk contract yet.',
    });
  }
  if (deal.properties[DEAL.contractSynced] !== 'true') return succeed({ status: 'not-synced', dealId: deal.id, contractId });
  return succeed(await syncDeal(deps, deal, contractId, undefined, options));
}

// ---------------------------------------------------------------------------------------------------
// Gather

export function readProperties(mappings: readonly CustomFieldMapping[] | undefined): string[] {
  return [...new Set([...BILLING_READ_PROPERTIES, ...mappedHubSpotProperties(mappings ?? [], 'deal')])];
}

/**
 * Ownership rule: billwerk_contract_id = X and billwerk_contract_synced = true. Found without a search:
 * only the owning deal holds X in the unique-value property billwerk_owned_contract_id (set by apply,
 * moved by an executed up/downgrade, backfilled by setup for deals applied before it existed), so one
 * batch read by that property finds it. The rule itself is still checked on what was read: a deal an
 * admin unsynced by hand is not updated.
 */
async function findOwningDeal(
  deps: Deps,
  contractId: string,
  mappings: readonly CustomFieldMapping[] | undefined,
): Promise<CrmRecord | undefined> {
  const [deal] = await deps.hubspot.batchReadByProperty('deals', DEAL.ownedContractId, [contractId], readProperties(mappings));
  if (!deal) return undefined;
  if (!followsContract(deal, contractId)) {
    deps.logger.warn('the deal holding this billwerk contract no longer follows it (not synced); not updated', {
      contractId,
      dealId: deal.id,
    });
    return undefined;
  }
  return deal;
}

export function followsContract(deal: CrmRecord, contractId: string): boolean {
  return (deal.properties[DEAL.contractId] ?? '').trim() === contractId && deal.properties[DEAL.contractSynced] === 'true';
}

/** The entity to read from: the deal's, else the event's, else the root entity. */
function entityFor(billwerk: BillwerkApi, deal: CrmRecord, eventEntityId: string | null | undefined): string | undefined {
  const known = (id: string | null | undefined) => (id && billwerk.entities.some((e) => e.id === id) ? id : undefined);
  return known(deal.properties[DEAL.entity]) ?? known(eventEntityId) ?? undefined;
}

/** Newest document of the contract by document date (the list order is not relied upon). */
function newestInvoice(invoices: readonly Invoice[]): Invoice | undefined {
  let newest: Invoice | undefined;
  for (const invoice of invoices) {
    if (!newest || Date.parse(invoice.DocumentDate ?? '') > Date.parse(newest.DocumentDate ?? '')) newest = invoice;
  }
  return newest;
}

// ---------------------------------------------------------------------------------------------------
// Decide and write

/** The deal as billwerk says it should be now (pure given the reads). */
function wantedProperties(
  deps: Deps,
  deal: CrmRecord,
  contract: Contract,
  invoice: Invoice | undefined,
  entityId: string | undefined,
  options: RefreshOptions,
) {
  return {
    ...toDealBillingProperties(contract, invoice),
    ...toEscalationProperties(deal.properties, contract, options.escalation, deps.now()),
    // A deal without an Entity belongs to the root entity, whose mappings then apply.
    ...dealPropertiesFromContract(contract, options.mappings ?? [], entityId ?? deps.billwerk.entities[0]?.id ?? ''),
    [DEAL.syncError]: '',
  };
}

/** Newer than what the deal shows as its last invoice (a late, older invoice never replaces a newer one). */
function newerThanDeal(deal: CrmRecord, invoice: Invoice | undefined): Invoice | undefined {
  if (!invoice) return undefined;
  const shown = Number(normalizeValue(DEAL.lastInvoiceDate, deal.properties[DEAL.lastInvoiceDate]));
  const date = Date.parse(invoice.DocumentDate ?? '');
  return !Number.isFinite(shown) || shown === 0 || !Number.isFinite(date) || date >= shown ? invoice : undefined;
}

/** The contract, and the invoice that should be the deal's last one (by id when the event names it). */
async function readBillwerk(deps: Deps, deal: CrmRecord, contractId: string, entityId: string | undefined, options: RefreshOptions) {
  const api = deps.billwerk.forEntity(entityId);
  const invoiceRead = options.invoice
    ? Promise.resolve(options.invoice)
    : options.invoiceId
      ? api.getInvoice(options.invoiceId).catch((error: unknown) => {
          // The contract still tells the billing state; an unknown invoice only leaves the last invoice as it is.
          if (isTransient(error)) throw error;
          deps.logger.warn('billwerk invoice of the event could not be read; contract synced without it', {
            contractId,
            invoiceId: options.invoiceId,
            status: statusOf(error),
          });
          return undefined;
        })
      : Promise.resolve(undefined);
  const [contract, eventInvoice] = await Promise.all([api.getContract(contractId), invoiceRead]);
  if (eventInvoice) return { contract, invoice: newerThanDeal(deal, eventInvoice) };
  // No invoice in the event: list invoices only when billwerk billed after the deal's last invoice.
  const billedAt = Date.parse(contract.LastBillingDate ?? '');
  const shown = Number(normalizeValue(DEAL.lastInvoiceDate, deal.properties[DEAL.lastInvoiceDate]) || '0');
  if (options.invoiceId || !Number.isFinite(billedAt) || billedAt <= shown) return { contract, invoice: undefined };
  return { contract, invoice: newestInvoice(await api.listInvoices({ contractId })) };
}

/** Reads billwerk and writes what changed onto a deal known to own `contractId` (also used by the sweep). */
export async function syncDeal(
  deps: Deps,
  deal: CrmRecord,
  contractId: string,
  eventEntityId: string | null | undefined,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const checkedAt = deps.now().toISOString();
  const entityId = entityFor(deps.billwerk, deal, eventEntityId);
  let next: Record<string, string>;
  try {
    const { contract, invoice } = await readBillwerk(deps, deal, contractId, entityId, options);
    next = wantedProperties(deps, deal, contract, invoice, entityId, options);
  } catch (error) {
    return recordFailure(deps, deal, contractId, error, options);
  }

  const changes = changedBillingProperties(deal.properties, next);
  const after = { ...deal.properties, ...changes };
  if (Object.keys(changes).length === 0) {
    return { status: 'unchanged', dealId: deal.id, contractId, properties: after, checkedAt };
  }
  const lines = noteworthyChanges(deal.properties, changes);
  if (lines.length) {
    // Keyed by the state before the change, so overlapping deliveries and retries share one note.
    const key = changeKey(deal.id, contractId, deal.properties[DEAL.billingSyncedAt], ...lines);
    await writeNoteOnce(deps, deal, key, toBillingChangeNote(contractId, lines, options.reason));
  }
  const written = { ...changes, [DEAL.billingSyncedAt]: checkedAt };
  await deps.hubspot.updateObject('deals', deal.id, written);
  deps.logger.info('deal billing state updated from billwerk', {
    dealId: deal.id,
    contractId,
    changed: Object.keys(changes),
    reason: options.reason,
  });
  return { status: 'updated', dealId: deal.id, contractId, changed: Object.keys(changes), properties: { ...after, ...written }, checkedAt };
}

/**
 * A failed read is recorded on the deal (sync error + one timeline note) so reps see it and can retry
 * from the card. Only a NEW error message is written: billwerk retries a failing webhook a dozen
 * times, which must not leave a dozen notes.
 */
async function recordFailure(
  deps: Deps,
  deal: CrmRecord,
  contractId: string,
  error: unknown,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const { message, retryable } = describeBillwerkFailure(error, contractId);
  deps.logger.warn('reading the billwerk contract failed', { dealId: deal.id, contractId, retryable, message, reason: options.reason });
  if (normalizeValue(DEAL.syncError, deal.properties[DEAL.syncError]) !== message) {
    const key = changeKey(deal.id, contractId, 'failure', deal.properties[DEAL.syncError], message);
    await writeNoteOnce(deps, deal, key, toSyncFailureNote(contractId, message));
    await deps.hubspot.updateObject('deals', deal.id, { [DEAL.syncError]: message });
  }
  return { status: 'failed', dealId: deal.id, contractId, message, retryable };
}

/** Plain words for a failed billwerk read; only a transient failure is worth a retry (failures.ts). */
export function describeBillwerkFailure(error: unknown, contractId: string): { message: string; retryable: boolean } {
  if (error instanceof Error && error.name === 'BillwerkReplyError') {
    return {
      message: `billwerk answered with contract data the connector cannot read (contract ${contractId}). Ask an admin to check the function logs.`,
      retryable: false,
    };
  }
  const status = statusOf(error);
  if (status === 404)
    return {
      message: `billwerk does not know contract ${contractId} (it may have been deleted or belong to another entity).`,
      retryable: false,
    };
  if (status === 401 || status === 403)
    return {
      message:
        "billwerk refused the connector's credentials. An admin should check the billwerk client id and secret; the next sweep repairs the deal.",
      retryable: false,
    };
  if (!isTransient(error)) return { message: `billwerk rejected reading contract ${contractId} (HTTP ${status}).`, retryable: false };
  const why = status ? `HTTP ${status}` : 'no answer';
  return {
    message: `billwerk was not reachable while reading contract ${contractId} (${why}). The sync is retried automatically; you can also retry from the deal card.`,
    retryable: true,
  };
}

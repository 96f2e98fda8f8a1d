/**
 * billwerk contract (+ its newest invoice) -> the deal's billing properties, and the pure decisions
 * around them: which properties really change (compared the way HubSpot stores values, so a replayed
 * event writes nothing) and which changes deserve a timeline note.
 */
import { DEAL, propertyCatalog, type PropertyDefinition } from '../catalog.js';
import type { Contract, Invoice } from '../billwerk/schemas.js';

/** The billing facts the guide lists ("Updating contracts from billwerk") plus what reps asked for. */
export const BILLING_STATE_PROPERTIES = [
  DEAL.paymentEscalated,
  DEAL.paymentEscalationDueDate,
  DEAL.paymentEscalationTriggerDays,
  DEAL.balance,
  DEAL.currency,
  DEAL.billedUntil,
  DEAL.nextBillingDate,
  DEAL.lifecycleStatus,
  DEAL.paymentProvider,
  DEAL.paymentMethod,
  DEAL.endDate,
  DEAL.lastInvoiceNumber,
  DEAL.lastInvoiceTotal,
  DEAL.lastInvoiceDate,
] as const;

/** Everything the webhook's deal lookup reads, so one search call returns the current state too. */
export const BILLING_READ_PROPERTIES = [
  'dealname',
  DEAL.contractId,
  DEAL.contractSynced,
  DEAL.entity,
  ...BILLING_STATE_PROPERTIES,
  DEAL.paymentEscalationResetAt,
  DEAL.billingSyncedAt,
  DEAL.syncError,
] as const;

/** Changes a rep should see on the timeline; balance or billed-until moves with every invoice. */
const NOTEWORTHY = [DEAL.lifecycleStatus, DEAL.endDate, DEAL.paymentEscalated, DEAL.paymentProvider, DEAL.paymentMethod] as const;

const text = (value: string | null | undefined): string => (value ?? '').trim();
const amount = (value: number | null | undefined): string => (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

/** billwerk timestamps (up to 7 fraction digits) -> ISO 8601 as HubSpot stores datetimes; '' clears. */
export function toHubSpotDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/**
 * How the contract is paid. billwerk reports the provider (`PaymentProvider`, e.g. PayOne) and the
 * method either as the bearer type (CreditCard, BankAccount) or the provider role (OnAccount).
 */
function paymentMethodOf(contract: Contract): string {
  return text(contract.PaymentBearer?.Type) || text(contract.PaymentProviderRole);
}

/**
 * The deal properties that mirror billwerk's current contract (and, when given, its newest invoice).
 * Empty strings clear a property (e.g. the end date after a cancellation was withdrawn). Billwerk
 * contracts carry no escalation field: "Payment escalated" comes from the events (toEscalationProperties).
 */
export function toDealBillingProperties(contract: Contract, latestInvoice?: Invoice | null): Record<string, string> {
  const properties: Record<string, string> = {
    [DEAL.balance]: amount(contract.Balance),
    [DEAL.currency]: text(contract.Currency),
    [DEAL.billedUntil]: toHubSpotDateTime(contract.BilledUntil),
    [DEAL.nextBillingDate]: toHubSpotDateTime(contract.NextBillingDate),
    [DEAL.lifecycleStatus]: text(contract.LifecycleStatus),
    [DEAL.paymentProvider]: text(contract.PaymentProvider),
    [DEAL.paymentMethod]: paymentMethodOf(contract),
    [DEAL.endDate]: toHubSpotDateTime(contract.EndDate),
  };
  if (latestInvoice) {
    properties[DEAL.lastInvoiceNumber] = text(latestInvoice.InvoiceNumber);
    properties[DEAL.lastInvoiceTotal] = amount(latestInvoice.TotalGross);
    properties[DEAL.lastInvoiceDate] = toHubSpotDateTime(latestInvoice.DocumentDate);
  }
  return properties;
}

// ---------------------------------------------------------------------------------------------------
// Payment escalation (known only from billwerk's PaymentEscalated / PaymentEscalationReset webhooks)

/** What an escalation webhook says (billwerk's documented payloads, docs/billwerk-api.md). */
export type EscalationEvent = { kind: 'escalated'; dueDate: string | null; triggerDays: number | null } | { kind: 'reset' };

const DAY_MS = 86_400_000;

/** The day billwerk ran the escalation step: due date + trigger days (epoch ms), or undefined. */
function escalationMoment(dueDate: string | null | undefined, triggerDays: number | null | undefined): number | undefined {
  const due = Date.parse(dueDate ?? '');
  return Number.isFinite(due) ? due + (triggerDays ?? 0) * DAY_MS : undefined;
}

const NOT_ESCALATED = { [DEAL.paymentEscalated]: 'false', [DEAL.paymentEscalationDueDate]: '', [DEAL.paymentEscalationTriggerDays]: '' };

/**
 * The escalation properties after `event` (or after a plain contract read when `event` is undefined),
 * decided so that a reordered delivery cannot leave a wrong final value:
 * - billwerk resets an escalation only once the contract's whole balance is cleared (contract-based
 *   receivables management), so a contract that owes nothing (Balance >= 0) is never escalated: a late
 *   PaymentEscalated is stale, and a lost PaymentEscalationReset is healed by any later read (sweep).
 * - A PaymentEscalated whose step ran (due date + trigger days) before the day a reset was recorded
 *   predates that reset and is ignored.
 * - Of two escalation steps the later one (due date, then trigger days) keeps its details, so a late
 *   5-day hook does not overwrite a 10-day one; a newer receivable (later due date) replaces them.
 */
export function toEscalationProperties(
  current: Record<string, string | null | undefined>,
  contract: Pick<Contract, 'Balance'>,
  event: EscalationEvent | undefined,
  now: Date,
): Record<string, string> {
  const owesMoney = typeof contract.Balance === 'number' && contract.Balance < 0;
  if (event?.kind === 'reset') {
    // The first handling of a reset is its time; a replayed reset of a deal already not escalated keeps it.
    const known = (current[DEAL.paymentEscalationResetAt] ?? '') !== '' && current[DEAL.paymentEscalated] !== 'true';
    return known ? { ...NOT_ESCALATED } : { ...NOT_ESCALATED, [DEAL.paymentEscalationResetAt]: now.toISOString() };
  }
  if (!owesMoney) return { ...NOT_ESCALATED };
  if (!event) return {};

  const moment = escalationMoment(event.dueDate, event.triggerDays);
  const resetAt = Date.parse(current[DEAL.paymentEscalationResetAt] ?? '');
  if (moment !== undefined && Number.isFinite(resetAt) && moment < Math.floor(resetAt / DAY_MS) * DAY_MS) return {};

  const escalated = { [DEAL.paymentEscalated]: 'true' };
  const knownDue = Date.parse(current[DEAL.paymentEscalationDueDate] ?? '');
  const knownDays = Number(current[DEAL.paymentEscalationTriggerDays] ?? '');
  const eventDue = Date.parse(event.dueDate ?? '');
  const olderStep =
    current[DEAL.paymentEscalated] === 'true' &&
    Number.isFinite(knownDue) &&
    Number.isFinite(eventDue) &&
    (eventDue < knownDue || (eventDue === knownDue && (event.triggerDays ?? 0) < knownDays));
  if (olderStep) return escalated;
  return {
    ...escalated,
    [DEAL.paymentEscalationDueDate]: toHubSpotDateTime(event.dueDate),
    [DEAL.paymentEscalationTriggerDays]: event.triggerDays === null ? '' : String(event.triggerDays),
  };
}

// ---------------------------------------------------------------------------------------------------
// Comparing as HubSpot stores values

let dealTypes: Map<string, PropertyDefinition['type']> | undefined;
function typeOf(name: string): PropertyDefinition['type'] {
  dealTypes ??= new Map(
    propertyCatalog([])
      .filter((p) => p.objectType === 'deals')
      .map((p) => [p.name, p.type]),
  );
  return dealTypes.get(name) ?? 'string';
}

/** A value in comparable form: numbers as numbers, dates as epoch ms, booleans lower-case; '' = empty. */
export function normalizeValue(name: string, value: string | null | undefined): string {
  const raw = (value ?? '').trim();
  if (raw === '') return '';
  switch (typeOf(name)) {
    case 'number': {
      const n = Number(raw);
      return Number.isFinite(n) ? String(n) : raw;
    }
    case 'datetime':
    case 'date': {
      const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
      return Number.isFinite(ms) ? String(ms) : raw;
    }
    case 'enumeration':
      return raw === 'TRUE' || raw === 'FALSE' || raw === 'True' || raw === 'False' ? raw.toLowerCase() : raw;
    default:
      return raw;
  }
}

/** Only the properties whose value would change on the deal. */
export function changedBillingProperties(
  current: Record<string, string | null | undefined>,
  next: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(next).filter(([name, value]) => normalizeValue(name, current[name]) !== normalizeValue(name, value)),
  );
}

// ---------------------------------------------------------------------------------------------------
// Timeline notes

const LABELS: Record<string, string> = {
  [DEAL.lifecycleStatus]: 'Lifecycle status',
  [DEAL.endDate]: 'Contract end date',
  [DEAL.paymentEscalated]: 'Payment escalated',
  [DEAL.paymentProvider]: 'Payment provider',
  [DEAL.paymentMethod]: 'Payment method',
};

function shown(name: string, value: string | null | undefined): string {
  const v = (value ?? '').trim();
  if (v === '') return 'none';
  if (name === DEAL.paymentEscalated) return v === 'true' ? 'yes' : 'no';
  if (typeOf(name) === 'datetime') return v.slice(0, 10);
  return v;
}

/**
 * Lines for the timeline note about `changes`, or [] when nothing noteworthy changed. The first sync
 * of a field (empty before, and not an end date or an escalation) is no news: the contract-created
 * note already says it.
 */
export function noteworthyChanges(current: Record<string, string | null | undefined>, changes: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const name of NOTEWORTHY) {
    if (!(name in changes)) continue;
    const before = (current[name] ?? '').trim();
    const after = changes[name]!;
    const firstValue = before === '' && name !== DEAL.endDate && !(name === DEAL.paymentEscalated && after === 'true');
    if (firstValue) continue;
    lines.push(`${LABELS[name]}: ${shown(name, before)} → ${shown(name, after)}`);
  }
  return lines;
}

/** Plain-text note body (HubSpot renders simple HTML in notes). */
export function toBillingChangeNote(contractId: string, lines: readonly string[], reason: string): string {
  return [
    `<p><strong>billwerk contract ${contractId} changed</strong> (${reason})</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
  ].join('');
}

export function toSyncFailureNote(contractId: string, message: string): string {
  return `<p><strong>billwerk sync failed</strong> for contract ${escapeHtml(contractId)}</p><p>${escapeHtml(message)}</p>`;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

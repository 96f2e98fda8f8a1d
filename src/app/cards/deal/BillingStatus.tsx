import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { useCrmProperties } from '@hubspot/ui-extensions/crm';
import { BILLING_PROPERTIES } from '../shared/properties.js';
import { FUNCTIONS } from '../shared/functions.js';
import { describeProblem, type Problem } from '../shared/serverless.js';
import { useFunction } from '../shared/useFunction.js';

/**
 * The contract's billing state on the deal card: what billwerk last said (payment escalation, balance,
 * billed until, lifecycle, payment, end date, last invoice), when that was, and the last sync error.
 * Portals without webhooks (no Content Hub Enterprise) stay current through this section: when the
 * stored state is older than `staleAfterMs` it asks `refresh_contract` once on open; reps can refresh
 * or retry by hand. The deal card renders it when the deal has a contract.
 */

/** Mirrors `RefreshResult` of src/core/events/refreshContractState.ts (cards cannot import core). */
export type RefreshReply =
  | { status: 'updated'; changed: string[]; properties: Record<string, string | null>; checkedAt: string }
  | { status: 'unchanged'; properties: Record<string, string | null>; checkedAt: string }
  | { status: 'not-synced' }
  | { status: 'no-owner' }
  | { status: 'failed'; message: string; retryable: boolean };

export interface BillingStatusProps {
  dealId: string;
  actions: { refreshObjectProperties: () => void };
  /** Older stored state triggers a refresh on open (default 5 minutes). */
  staleAfterMs?: number;
  now?: () => Date;
}

export const STALE_AFTER_MS = 5 * 60_000;
const PROPERTY_NAMES = Object.values(BILLING_PROPERTIES);

type Refresh =
  | { kind: 'idle' }
  | { kind: 'running'; automatic: boolean }
  /** `overlay`: the reply's properties are newer than the record (only until the record is read again). */
  | { kind: 'done'; reply: RefreshReply; overlay: boolean }
  | { kind: 'problems'; problems: Problem[] };

export function BillingStatus({
  dealId,
  actions,
  staleAfterMs = STALE_AFTER_MS,
  now = () => new Date(),
}: BillingStatusProps) {
  const crm = useCrmProperties(PROPERTY_NAMES);
  const refreshCall = useFunction<RefreshReply>(FUNCTIONS.refreshContract);
  const [refresh, setRefresh] = useState<Refresh>({ kind: 'idle' });
  const autoStarted = useRef(false);

  const stored = crm.properties ?? {};
  const hasContract = Boolean(stored[BILLING_PROPERTIES.contractId]);
  const following = stored[BILLING_PROPERTIES.contractSynced] === 'true';

  const run = async (automatic: boolean) => {
    setRefresh({ kind: 'running', automatic });
    const outcome = await refreshCall.run({ dealId });
    if (!outcome) return; // a newer refresh is running, or the card is gone
    if (!outcome.ok) {
      setRefresh({ kind: 'problems', problems: outcome.problems });
      return;
    }
    const reply = outcome.value;
    setRefresh({ kind: 'done', reply, overlay: reply.status === 'updated' });
    if (reply.status === 'updated') {
      actions.refreshObjectProperties();
      await crm.refetch();
      // From now on the record is the truth: later webhook updates must not be hidden by this reply.
      setRefresh({ kind: 'done', reply, overlay: false });
    }
  };

  useEffect(() => {
    if (crm.isLoading || crm.error || autoStarted.current || !hasContract || !following) return;
    autoStarted.current = true;
    // Started from a microtask so no state is set synchronously inside the effect (react-hooks rule).
    if (isStale(stored[BILLING_PROPERTIES.billingSyncedAt], now(), staleAfterMs)) queueMicrotask(() => void run(true));
    // Runs once the properties are there; later property changes must not refresh again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [crm.isLoading, crm.error, hasContract, following]);

  if (crm.isLoading) return <LoadingSpinner label="Loading billing state…" testId="billing-loading" />;
  if (crm.error) {
    return (
      <ErrorState title="The billing state cannot be shown" testId="billing-error">
        <Text>Reload the page to try again. ({crm.error.message})</Text>
      </ErrorState>
    );
  }
  if (!hasContract) return <Text testId="billing-no-contract">No billwerk contract yet.</Text>;

  // The function's answer is newer than the record until the record is read again.
  const reply = refresh.kind === 'done' ? refresh.reply : undefined;
  const overlay = refresh.kind === 'done' && refresh.overlay && reply && 'properties' in reply ? reply.properties : {};
  const properties: Record<string, string | null | undefined> = { ...stored, ...overlay };
  const checkedAt = reply && 'checkedAt' in reply ? reply.checkedAt : undefined;
  const syncError = reply?.status === 'failed' ? reply.message : properties[BILLING_PROPERTIES.syncError];
  const running = refresh.kind === 'running';

  return (
    <Flex direction="column" gap="xs">
      <Heading>Billing in billwerk</Heading>
      {!following ? (
        <Text testId="billing-handed-over">
          This deal no longer follows its contract: billwerk updates go to the newer up/downgrade deal.
        </Text>
      ) : null}
      <BillingFacts properties={properties} />
      <Text variant="microcopy" testId="billing-updated">
        {updatedText(properties[BILLING_PROPERTIES.billingSyncedAt], checkedAt)}
      </Text>
      {running ? (
        <Text variant="microcopy" testId="billing-refreshing">
          {refresh.automatic ? 'Checking billwerk for newer data…' : 'Refreshing from billwerk…'}
        </Text>
      ) : null}
      {syncError ? (
        <Alert title="Last sync with billwerk failed" variant="danger" testId="billing-sync-error">
          {syncError}
        </Alert>
      ) : null}
      {refresh.kind === 'problems' ? (
        <Alert title="Refresh did not work" variant="error" testId="billing-refresh-problems">
          {refresh.problems.map(describeProblem).join(' ')}
        </Alert>
      ) : null}
      {reply?.status === 'unchanged' ? (
        <Text variant="microcopy" testId="billing-refresh-result">
          Up to date: billwerk has no changes.
        </Text>
      ) : null}
      {reply?.status === 'updated' ? (
        <Text variant="microcopy" testId="billing-refresh-result">
          Updated from billwerk.
        </Text>
      ) : null}
      {following ? (
        <Button testId="billing-refresh" onClick={() => void run(false)} disabled={running}>
          {running ? 'Refreshing…' : syncError ? 'Retry sync' : 'Refresh from billwerk'}
        </Button>
      ) : null}
    </Flex>
  );
}

function BillingFacts({ properties }: { properties: Record<string, string | null | undefined> }) {
  const p = (name: string) => properties[name] ?? '';
  const escalated = p(BILLING_PROPERTIES.paymentEscalated);
  const currency = p(BILLING_PROPERTIES.currency);
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm">
        {escalated === 'true' ? (
          <StatusTag variant="danger" testId="billing-escalation">
            Payment escalated
          </StatusTag>
        ) : null}
        {escalated === 'false' ? (
          <StatusTag variant="success" testId="billing-escalation">
            No payment escalation
          </StatusTag>
        ) : null}
        {p(BILLING_PROPERTIES.lifecycleStatus) ? (
          <StatusTag variant="info" testId="billing-lifecycle">
            {p(BILLING_PROPERTIES.lifecycleStatus)}
          </StatusTag>
        ) : null}
      </Flex>
      {escalated === 'true' ? (
        <Text testId="billing-escalation-detail">
          {escalationText(
            p(BILLING_PROPERTIES.paymentEscalationDueDate),
            p(BILLING_PROPERTIES.paymentEscalationTriggerDays),
          )}
        </Text>
      ) : null}
      <DescriptionList direction="row">
        <DescriptionListItem label="Balance">
          <Text testId="billing-balance">{balance(p(BILLING_PROPERTIES.balance), currency)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Billed until">
          <Text testId="billing-billed-until">{day(p(BILLING_PROPERTIES.billedUntil))}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Next billing">
          <Text testId="billing-next-billing">{day(p(BILLING_PROPERTIES.nextBillingDate))}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Contract end date">
          <Text testId="billing-end-date">
            {p(BILLING_PROPERTIES.endDate) ? day(p(BILLING_PROPERTIES.endDate)) : 'No end date'}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Payment provider">
          <Text testId="billing-payment-provider">{p(BILLING_PROPERTIES.paymentProvider) || '—'}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Payment method">
          <Text testId="billing-payment-method">{p(BILLING_PROPERTIES.paymentMethod) || '—'}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Last invoice">
          <Text testId="billing-last-invoice">{lastInvoice(properties, currency)}</Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

export function isStale(syncedAt: string | null | undefined, now: Date, staleAfterMs: number): boolean {
  const at = syncedAt ? Date.parse(syncedAt) : NaN;
  return !Number.isFinite(at) || now.getTime() - at > staleAfterMs;
}

/** `2026-03-01 10:00 UTC`: unambiguous for reps in any time zone. */
function stamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : iso;
}

function day(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '—';
}

/**
 * What the PaymentEscalated webhook told (due date of the oldest unpaid payment, days past it when
 * billwerk's dunning escalated), in a rep's words. Either may be missing on older deals.
 */
export function escalationText(dueDate: string, triggerDays: string): string {
  const due = Number.isFinite(Date.parse(dueDate)) ? day(dueDate) : '';
  const days = triggerDays === '' ? NaN : Number(triggerDays);
  const when = !Number.isFinite(days)
    ? ''
    : days === 0
      ? 'on the due date'
      : `${days} day${days === 1 ? '' : 's'} after the due date`;
  if (due && when) return `The payment due ${due} is still unpaid; billwerk's dunning escalated it ${when}.`;
  if (due) return `The payment due ${due} is still unpaid.`;
  if (when) return `A payment is still unpaid; billwerk's dunning escalated it ${when}.`;
  return 'A payment is still unpaid; billwerk did not say since when.';
}

/** `88.1` → `88.10 EUR`: two decimals, as on the invoice. */
function money(value: string, currency: string): string {
  if (value === '') return '—';
  const amount = Number(value);
  const shown = Number.isFinite(amount) ? amount.toFixed(2) : value;
  return currency ? `${shown} ${currency}` : shown;
}

/** billwerk's balance is negative while the customer owes money: say so instead of showing a minus. */
function balance(value: string, currency: string): string {
  const amount = Number(value);
  if (value === '' || !Number.isFinite(amount)) return money(value, currency);
  if (amount < 0) return `${money(String(-amount), currency)} owed`;
  if (amount > 0) return `${money(value, currency)} credit`;
  return `${money('0', currency)} (settled)`;
}

function lastInvoice(properties: Record<string, string | null | undefined>, currency: string): string {
  const number = properties[BILLING_PROPERTIES.lastInvoiceNumber];
  if (!number) return 'None yet';
  const total = properties[BILLING_PROPERTIES.lastInvoiceTotal];
  const date = properties[BILLING_PROPERTIES.lastInvoiceDate];
  return [number, total ? money(total, currency) : '', date ? day(date) : ''].filter(Boolean).join(' · ');
}

/** The newer of "last written" and "last checked" (a check that found no change writes nothing). */
function updatedText(syncedAt: string | null | undefined, checkedAt: string | undefined): string {
  const times = [syncedAt, checkedAt].filter((t): t is string => Boolean(t) && Number.isFinite(Date.parse(t!)));
  if (times.length === 0) return 'Not read from billwerk yet.';
  const latest = times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  return `Last updated from billwerk: ${stamp(latest)}`;
}

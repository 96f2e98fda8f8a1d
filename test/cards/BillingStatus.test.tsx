import React from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { BillingStatus, type RefreshReply } from '../../src/app/cards/deal/BillingStatus.js';
import { callFunction, type Outcome } from '../../src/app/cards/shared/serverless.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));

const NOW = new Date('2026-03-01T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

const contractProperties = (overrides: Record<string, string | null> = {}): Record<string, string | null> => ({
  billwerk_contract_id: '64b000000000000000000c01',
  billwerk_contract_synced: 'true',
  billwerk_payment_escalated: 'false',
  billwerk_balance: '-119',
  billwerk_currency: 'EUR',
  billwerk_billed_until: '2026-04-01T00:00:00.000Z',
  billwerk_next_billing_date: '2026-04-01T00:00:00.000Z',
  billwerk_lifecycle_status: 'Active',
  billwerk_payment_provider: 'PayOne',
  billwerk_payment_method: 'OnAccount',
  billwerk_end_date: null,
  billwerk_last_invoice_number: 'RE-1001',
  billwerk_last_invoice_total: '119',
  billwerk_last_invoice_date: '2026-03-01T00:00:00.000Z',
  billwerk_billing_synced_at: minutesAgo(1),
  billwerk_sync_error: null,
  ...overrides,
});

const spy = callFunction as unknown as ReturnType<typeof vi.fn>;
function replies(...outcomes: Outcome<RefreshReply>[]) {
  spy.mockReset();
  for (const outcome of outcomes) spy.mockResolvedValueOnce(outcome);
}

/** `afterRefetch`: what the record holds when the card reads it again (as HubSpot's refetch would). */
function render(
  properties: Record<string, string | null>,
  options: { isLoading?: boolean; afterRefetch?: Record<string, string | null> } = {},
) {
  const renderer = createRenderer('crm.record.sidebar');
  let current = properties;
  const refetch = vi.fn(async () => {
    current = options.afterRefetch ?? current;
  });
  renderer.mocks.useCrmProperties.willCall(() => ({
    properties: current,
    error: null,
    isLoading: options.isLoading ?? false,
    isRefetching: false,
    refetch,
  }));
  const actions = { refreshObjectProperties: vi.fn() };
  renderer.render(<BillingStatus dealId="301" actions={actions} now={() => NOW} />);
  return { renderer, actions, refetch };
}

describe('BillingStatus', () => {
  beforeEach(() => replies());

  it('shows a spinner while the deal loads', () => {
    const { renderer } = render({}, { isLoading: true });
    expect(renderer.findByTestId(LoadingSpinner, 'billing-loading')).toBeTruthy();
  });

  it('shows a fresh billing state without calling billwerk', () => {
    const { renderer } = render(contractProperties());
    expect(renderer.findByTestId(StatusTag, 'billing-escalation').text).toBe('No payment escalation');
    expect(renderer.findByTestId(StatusTag, 'billing-lifecycle').text).toBe('Active');
    expect(renderer.findByTestId(Text, 'billing-balance').text).toBe('119.00 EUR owed');
    expect(renderer.findByTestId(Text, 'billing-billed-until').text).toBe('2026-04-01');
    expect(renderer.findByTestId(Text, 'billing-end-date').text).toBe('No end date');
    expect(renderer.findByTestId(Text, 'billing-payment-provider').text).toBe('PayOne');
    expect(renderer.findByTestId(Text, 'billing-payment-method').text).toBe('OnAccount');
    expect(renderer.findByTestId(Text, 'billing-last-invoice').text).toBe('RE-1001 · 119.00 EUR · 2026-03-01');
    expect(renderer.findByTestId(Text, 'billing-updated').text).toBe('Last updated from billwerk: 2026-03-01 09:59 UTC');
    expect(renderer.findByTestId(Button, 'billing-refresh').text).toBe('Refresh from billwerk');
    expect(spy).not.toHaveBeenCalled();
  });

  it('says whether the balance is owed, a credit or settled, with two decimals', () => {
    expect(render(contractProperties({ billwerk_balance: '25.5' })).renderer.findByTestId(Text, 'billing-balance').text).toBe(
      '25.50 EUR credit',
    );
    expect(render(contractProperties({ billwerk_balance: '0' })).renderer.findByTestId(Text, 'billing-balance').text).toBe(
      '0.00 EUR (settled)',
    );
    expect(render(contractProperties({ billwerk_balance: null })).renderer.findByTestId(Text, 'billing-balance').text).toBe('—');
  });

  it('says next to "Payment escalated" since when the payment is due and when dunning escalated it', () => {
    const escalated = (due: string | null, days: string | null) =>
      render(
        contractProperties({
          billwerk_payment_escalated: 'true',
          billwerk_payment_escalation_due_date: due,
          billwerk_payment_escalation_trigger_days: days,
        }),
      ).renderer;
    const both = escalated('2026-02-01T00:00:00.000Z', '14');
    expect(both.findByTestId(StatusTag, 'billing-escalation').text).toBe('Payment escalated');
    expect(both.findByTestId(Text, 'billing-escalation-detail').text).toBe(
      "The payment due 2026-02-01 is still unpaid; billwerk's dunning escalated it 14 days after the due date.",
    );
    expect(escalated('2026-02-01T00:00:00.000Z', '1').findByTestId(Text, 'billing-escalation-detail').text).toContain(
      'escalated it 1 day after the due date.',
    );
    expect(escalated('2026-02-01T00:00:00.000Z', null).findByTestId(Text, 'billing-escalation-detail').text).toBe(
      'The payment due 2026-02-01 is still unpaid.',
    );
    expect(escalated(null, '0').findByTestId(Text, 'billing-escalation-detail').text).toBe(
      "A payment is still unpaid; billwerk's dunning escalated it on the due date.",
    );
    // After a reset the webhook clears both; the card says nothing about a due date.
    expect(
      render(
        contractProperties({ billwerk_payment_escalation_due_date: '', billwerk_payment_escalation_trigger_days: '' }),
      ).renderer.maybeFind(Text, { testId: 'billing-escalation-detail' }),
    ).toBeNull();
  });

  it('refreshes a stale state on open and shows what billwerk says now', async () => {
    replies({
      ok: true,
      value: {
        status: 'updated',
        changed: ['billwerk_payment_escalated'],
        checkedAt: NOW.toISOString(),
        properties: contractProperties({ billwerk_payment_escalated: 'true', billwerk_billing_synced_at: NOW.toISOString() }),
      },
    });
    const { renderer, actions, refetch } = render(contractProperties({ billwerk_billing_synced_at: minutesAgo(30) }), {
      afterRefetch: contractProperties({ billwerk_payment_escalated: 'true', billwerk_billing_synced_at: NOW.toISOString() }),
    });
    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'billing-escalation').text).toBe('Payment escalated'));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith('refresh_contract', { dealId: '301' });
    expect(renderer.findByTestId(Text, 'billing-updated').text).toBe('Last updated from billwerk: 2026-03-01 10:00 UTC');
    expect(actions.refreshObjectProperties).toHaveBeenCalled();
    expect(refetch).toHaveBeenCalled();
  });

  it('shows the record once it is read again, so a webhook update after the refresh is not hidden', async () => {
    replies({
      ok: true,
      value: {
        status: 'updated',
        changed: ['billwerk_balance'],
        checkedAt: NOW.toISOString(),
        properties: contractProperties({ billwerk_balance: '-50', billwerk_billing_synced_at: NOW.toISOString() }),
      },
    });
    // Between the refresh and the re-read, a PaymentEscalated webhook also updated the deal.
    const { renderer, refetch } = render(contractProperties({ billwerk_billing_synced_at: minutesAgo(30) }), {
      afterRefetch: contractProperties({
        billwerk_balance: '-50',
        billwerk_payment_escalated: 'true',
        billwerk_billing_synced_at: NOW.toISOString(),
      }),
    });
    await renderer.waitFor(() => expect(refetch).toHaveBeenCalled());
    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'billing-escalation').text).toBe('Payment escalated'));
    expect(renderer.findByTestId(Text, 'billing-balance').text).toBe('50.00 EUR owed');
  });

  it('refreshes a deal that was never read from billwerk, and says when billwerk had nothing new', async () => {
    replies({
      ok: true,
      value: { status: 'unchanged', checkedAt: NOW.toISOString(), properties: contractProperties({ billwerk_billing_synced_at: null }) },
    });
    const { renderer, actions } = render(contractProperties({ billwerk_billing_synced_at: null }));
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Text, 'billing-refresh-result').text).toBe('Up to date: billwerk has no changes.'),
    );
    expect(renderer.findByTestId(Text, 'billing-updated').text).toBe('Last updated from billwerk: 2026-03-01 10:00 UTC');
    expect(actions.refreshObjectProperties).not.toHaveBeenCalled();
  });

  it('shows the last sync error in plain words and retries on request', async () => {
    const error = 'billwerk was not reachable while reading contract 64b000000000000000000c01 (HTTP 500).';
    replies({
      ok: true,
      value: {
        status: 'updated',
        changed: ['billwerk_sync_error'],
        checkedAt: NOW.toISOString(),
        properties: contractProperties({ billwerk_sync_error: '' }),
      },
    });
    const { renderer } = render(contractProperties({ billwerk_sync_error: error }), {
      afterRefetch: contractProperties({ billwerk_sync_error: '' }),
    });
    expect(renderer.findByTestId(Alert, 'billing-sync-error').text).toContain(error);
    const retry = renderer.findByTestId(Button, 'billing-refresh');
    expect(retry.text).toBe('Retry sync');
    expect(spy).not.toHaveBeenCalled();
    retry.trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFind(Alert, { testId: 'billing-sync-error' })).toBeNull());
    expect(spy).toHaveBeenCalledTimes(1);
    expect(renderer.findByTestId(Button, 'billing-refresh').text).toBe('Refresh from billwerk');
  });

  it('shows a failed refresh and keeps offering the retry', async () => {
    replies({ ok: true, value: { status: 'failed', message: 'billwerk was not reachable (HTTP 503).', retryable: true } });
    const { renderer } = render(contractProperties({ billwerk_billing_synced_at: minutesAgo(10) }));
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'billing-sync-error').text).toContain('HTTP 503'));
    expect(renderer.findByTestId(Button, 'billing-refresh').text).toBe('Retry sync');
  });

  it('names the problem when the connector cannot be reached', async () => {
    replies({
      ok: false,
      problems: [{ record: 'connector settings', field: 'BILLWERK_CLIENT_ID', message: 'The connector is not fully set up.' }],
    });
    const { renderer } = render(contractProperties({ billwerk_billing_synced_at: minutesAgo(10) }));
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'billing-refresh-problems').text).toContain('BILLWERK_CLIENT_ID'));
  });

  it('does not refresh a deal that handed its contract to a newer deal', () => {
    const { renderer } = render(contractProperties({ billwerk_contract_synced: 'false', billwerk_billing_synced_at: minutesAgo(60) }));
    expect(renderer.findByTestId(Text, 'billing-handed-over')).toBeTruthy();
    expect(renderer.maybeFind(Button, { testId: 'billing-refresh' })).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });
});

import React from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, ErrorState, Link, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealCard } from '../../src/app/cards/DealCard.js';
import { callFunction } from '../../src/app/cards/shared/serverless.js';
import { replyWith } from '../customer/cardKit.js';
import { toApplyProblem, toPendingProblem } from '../../src/core/deal/applyProblems.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));

const ENTITIES = {
  entities: [
    { id: 'e-de', name: 'Demo Software GmbH' },
    { id: 'e-ch', name: 'Demo Software AG' },
  ],
  environment: 'sandbox' as const,
  webAppUrl: 'https://sandbox.billwerk.com',
};
const baseReplies = {
  list_entities: () => ({ ok: true as const, value: ENTITIES }),
  refresh_contract: () => ({ ok: true as const, value: { status: 'unchanged', properties: {}, checkedAt: '2026-03-01T10:00:00.000Z' } }),
};

const signupDeal = (overrides: Record<string, string | null> = {}): Record<string, string | null> => ({
  dealname: 'Muster – Signup',
  dealstage: 'appointmentscheduled',
  hs_is_closed_won: 'false',
  billwerk_deal_type: 'Signup',
  billwerk_validation: null,
  billwerk_validation_message: null,
  billwerk_entity: 'e-de',
  billwerk_contract_id: null,
  billwerk_apply_change: null,
  billwerk_sync_error: null,
  billwerk_payment_term_days: null,
  billwerk_upgrade_deal_id: null,
  billwerk_contract_synced: null,
  ...overrides,
});
const validated = (overrides: Record<string, string | null> = {}) =>
  signupDeal({
    billwerk_validation: 'SuccessfullyValidated',
    billwerk_validation_message: 'Successfully validated\nFirst invoice: 119.00 EUR; next billing date: 2026-04-01.',
    ...overrides,
  });
const closedWon = { dealstage: 'closedwon', hs_is_closed_won: 'true' };

/** Renders the card over a mutable property set; `refetch` shows what `update` changed, as HubSpot would. */
type LineItem = Record<string, string | null>;

function renderDeal(initial: Record<string, string | null>, options: { isLoading?: boolean; error?: Error; lineItems?: LineItem[] } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.useAssociations.willCall(() => ({
    results: (options.lineItems ?? []).map((properties, i) => ({ toObjectId: 900 + i, associationTypes: [], properties })),
    error: null,
    isLoading: false,
    isRefetching: false,
    refetch: async () => {},
    pagination: {
      hasNextPage: false,
      hasPreviousPage: false,
      currentPage: 1,
      pageSize: 100,
      nextPage: () => {},
      previousPage: () => {},
      reset: () => {},
    },
  }));
  let properties = initial;
  const refetch = vi.fn(async () => {});
  renderer.mocks.useCrmProperties.willCall(() => ({
    properties,
    error: options.error ?? null,
    isLoading: options.isLoading ?? false,
    isRefetching: false,
    refetch,
  }));
  const actions = { refreshObjectProperties: vi.fn() };
  const context = { ...renderer.mocks.context, crm: { objectId: 301, objectTypeId: '0-3' }, portal: { id: 4711, timezone: 'UTC' } };
  renderer.render(<DealCard context={context} actions={actions} />);
  return {
    renderer,
    actions,
    refetch,
    update: (next: Record<string, string | null>) => {
      properties = { ...properties, ...next };
    },
  };
}

const spy = () => callFunction as unknown as ReturnType<typeof vi.fn>;

describe('DealCard', () => {
  beforeEach(() => {
    replyWith(callFunction, baseReplies);
  });

  it('shows a spinner while the deal loads', () => {
    const { renderer } = renderDeal({}, { isLoading: true });
    expect(renderer.findByTestId(LoadingSpinner, 'deal-loading')).toBeTruthy();
  });

  it('says in plain words when the deal cannot be read', () => {
    const { renderer } = renderDeal({}, { error: new Error('403 Forbidden') });
    expect(renderer.findByTestId(ErrorState, 'deal-error').find(Text).text).toContain('403 Forbidden');
  });

  it('asks for a deal type before anything can be validated', async () => {
    const { renderer } = renderDeal(signupDeal({ billwerk_deal_type: null }));
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'deal-entity').text).toBe('Demo Software GmbH'));
    expect(renderer.findByTestId(Text, 'deal-type').text).toBe('Not set');
    expect(renderer.findByTestId(Button, 'validate').props.disabled).toBe(true);
    expect(renderer.findByTestId(Text, 'validate-hint').text).toContain('Choose the Deal Type');
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(true);
  });

  it('shows a new signup deal: type, entity, no contract, not validated, apply disabled', async () => {
    const { renderer } = renderDeal(signupDeal());
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'deal-entity').text).toBe('Demo Software GmbH'));
    expect(renderer.findByTestId(Text, 'deal-type').text).toBe('Signup');
    expect(renderer.findByTestId(Text, 'deal-contract').text).toBe('None yet');
    expect(renderer.findByTestId(StatusTag, 'validation-status').text).toBe('Not validated');
    expect(renderer.findByTestId(Button, 'validate').props.disabled).toBe(false);
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(true);
    expect(renderer.maybeFind(Button, { testId: 'create-upgrade' })).toBeNull();
  });

  it('validates: shows the busy state, then the summary, and refreshes the record', async () => {
    let finish: (v: unknown) => void = () => {};
    replyWith(callFunction, {
      ...baseReplies,
      validate_deal: () =>
        new Promise((resolve) => {
          finish = resolve;
        }) as never,
    });
    const { renderer, actions, refetch, update } = renderDeal(signupDeal());
    renderer.findByTestId(Button, 'validate').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'validate').text).toBe('Validating…'));
    expect(renderer.findByTestId(Button, 'validate').props.disabled).toBe(true);
    expect(spy()).toHaveBeenCalledWith('validate_deal', { dealId: '301' });

    update(validated());
    finish({ ok: true, value: { message: 'Successfully validated' } });
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Successfully validated'));
    expect(renderer.findByTestId(Alert, 'deal-feedback').text).toContain('Next: move the deal to Closed won');
    expect(actions.refreshObjectProperties).toHaveBeenCalled();
    expect(refetch).toHaveBeenCalled();
    expect(renderer.findByTestId(StatusTag, 'validation-status').text).toBe('Successfully validated');
    expect(renderer.findByTestId(Text, 'validation-message').text).toBe('First invoice: 119.00 EUR; next billing date: 2026-04-01.');
    expect(renderer.findByTestId(Button, 'validate').text).toBe('Request validation');
  });

  it('shows every reason of a failed validation, naming record and field', async () => {
    replyWith(callFunction, {
      ...baseReplies,
      validate_deal: () => ({
        ok: false,
        problems: [
          { record: 'company "ACME"', field: 'Postal Code', message: 'Postal Code is missing.' },
          { record: 'contact "Erika"', field: 'Email', message: 'Email is missing.' },
        ],
      }),
    });
    const { renderer, update } = renderDeal(signupDeal());
    update({
      billwerk_validation: 'ValidationFailed',
      billwerk_validation_message: 'Validation failed\n• company "ACME" – Postal Code: Postal Code is missing.',
    });
    renderer.findByTestId(Button, 'validate').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Validation failed'));
    expect(renderer.findByTestId(Text, 'validation-message').text).toContain('company "ACME" – Postal Code: Postal Code is missing.');
    // The alert adds what the validation message on the deal does not list yet, and repeats nothing.
    expect(renderer.findByTestId(Alert, 'deal-feedback').text).toBe('contact "Erika" – Email: Email is missing.');
    expect(renderer.findByTestId(StatusTag, 'validation-status').props.variant).toBe('danger');
  });

  it('lists the reasons of a failed validation once when the deal shows all of them', async () => {
    replyWith(callFunction, {
      ...baseReplies,
      validate_deal: () => ({
        ok: false,
        problems: [{ record: 'company "ACME"', field: 'Postal Code', message: 'Postal Code is missing.' }],
      }),
    });
    const { renderer, update } = renderDeal(signupDeal());
    update({
      billwerk_validation: 'ValidationFailed',
      billwerk_validation_message: 'Validation failed\n• company "ACME" – Postal Code: Postal Code is missing.',
    });
    renderer.findByTestId(Button, 'validate').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'validation-status').text).toBe('Validation failed'));
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'validate').props.disabled).toBe(false));
    expect(renderer.findByTestId(Text, 'validation-message').text).toContain('Postal Code is missing.');
    expect(renderer.maybeFind(Alert, { testId: 'deal-feedback' })).toBeNull();
  });

  it('names apply as the next step when a Closed won deal is validated', async () => {
    replyWith(callFunction, { ...baseReplies, validate_deal: () => ({ ok: true, value: { message: 'Successfully validated' } }) });
    const { renderer } = renderDeal(validated(closedWon));
    renderer.findByTestId(Button, 'validate').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').text).toContain('Next: apply it in billwerk'));
    expect(renderer.findByTestId(Alert, 'deal-feedback').text).not.toContain('Closed won');
  });

  it('keeps Apply disabled on a validated deal until it is Closed won, and says so', async () => {
    const { renderer } = renderDeal(validated());
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Text, 'apply-hint').text).toBe('Move the deal to Closed won in the pipeline, then apply it here.'),
    );
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(true);
  });

  it('keeps Apply disabled on a Closed won deal that is not validated', async () => {
    const { renderer } = renderDeal(signupDeal(closedWon));
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'apply-hint').text).toContain('after a successful validation'));
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(true);
  });

  it('applies a validated Closed won deal and shows the contract', async () => {
    replyWith(callFunction, {
      ...baseReplies,
      apply_deal: () => ({ ok: true, value: { contractId: 'ctr-1', customerId: 'cus-1', alreadyApplied: false } }),
    });
    const { renderer, actions, update } = renderDeal(validated(closedWon));
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false);
    expect(renderer.findByTestId(Button, 'apply').text).toBe('Apply change in billwerk');
    update({ billwerk_contract_id: 'ctr-1', billwerk_contract_synced: 'true', billwerk_apply_change: 'ChangeApplied' });
    renderer.findByTestId(Button, 'apply').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Change applied'));
    expect(renderer.findByTestId(Alert, 'deal-feedback').text).toBe(
      'billwerk created contract ctr-1 for customer cus-1. Its billing state is shown below.',
    );
    expect(actions.refreshObjectProperties).toHaveBeenCalled();
    expect(renderer.findByTestId(Link, 'deal-contract').text).toBe('ctr-1');
    // Nothing can be validated or applied any more: one line replaces both disabled buttons.
    expect(renderer.maybeFind(Button, { testId: 'apply' })).toBeNull();
    expect(renderer.maybeFind(Button, { testId: 'validate' })).toBeNull();
    expect(renderer.findByTestId(Text, 'applied-note').text).toBe(
      'Applied in billwerk. To change this contract, create an up/downgrade deal below.',
    );
  });

  it('shows an apply failure once, with the fallback title and hint for a text that names no state', async () => {
    replyWith(callFunction, {
      ...baseReplies,
      apply_deal: () => ({ ok: false, problems: [{ record: 'deal "Muster"', message: 'The connector failed unexpectedly.' }] }),
    });
    const { renderer, update } = renderDeal(validated(closedWon));
    update({ billwerk_apply_change: 'ChangeFailed', billwerk_sync_error: 'The connector failed unexpectedly.' });
    renderer.findByTestId(Button, 'apply').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-sync-error').props.title).toBe('Last apply in billwerk failed'));
    expect(renderer.findByTestId(Alert, 'deal-sync-error').text).toBe(
      'The connector failed unexpectedly. Click “Apply change in billwerk” again to resume; nothing is created twice.',
    );
    expect(renderer.maybeFind(Alert, { testId: 'deal-feedback' })).toBeNull();
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false);
  });

  describe('titles a failed apply by the state applyProblems names, and says each thing once', () => {
    // The words of src/core/deal/applySignup.ts / executeUpgrade.ts.
    const signupWords = {
      running: 'creating the contract',
      done: (contractId: string) => `billwerk created contract ${contractId}`,
      applied: (a: { contractId: string; customerId: string; orderId: string }) =>
        `billwerk created contract ${a.contractId} for customer ${a.customerId} (order ${a.orderId})`,
    };
    const applied = { contractId: 'ctr-1', customerId: 'cus-1', orderId: 'ord-1' };
    const timeout = new Error('timeout');
    const cases = [
      {
        state: 'committed',
        title: 'Contract created — finishing on the next click',
        problem: toPendingProblem(signupWords, 'deal "Muster"', applied, [{ doing: 'record the contract on the deal', error: timeout }]),
      },
      {
        state: 'committed',
        title: 'Contract created — finishing on the next click',
        problem: toApplyProblem(timeout, signupWords, 'deal "Muster"', { stage: 'committed', applied, doing: 'link the company' }),
      },
      {
        state: 'ordered',
        title: 'Contract may exist — checked on the next click',
        problem: toApplyProblem(timeout, signupWords, 'deal "Muster"', { stage: 'ordered', orderId: 'ord-1' }),
      },
      {
        state: 'nothing',
        title: 'Nothing changed — try again',
        problem: toApplyProblem(timeout, signupWords, 'deal "Muster"', { stage: 'before', doing: 'create the order' }),
      },
    ];
    for (const { state, title, problem } of cases) {
      it(`${state}: ${problem.message.slice(0, 60)}…`, async () => {
        replyWith(callFunction, { ...baseReplies, apply_deal: () => ({ ok: false, problems: [problem] }) });
        const { renderer, update } = renderDeal(validated(closedWon));
        update({ billwerk_apply_change: 'ChangeFailed', billwerk_sync_error: problem.message });
        renderer.findByTestId(Button, 'apply').trigger('onClick');
        await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-sync-error').props.title).toBe(title));
        await renderer.waitFor(() => expect(spy()).toHaveBeenCalledWith('apply_deal', { dealId: '301' }));
        // The deal's text is shown as written, once: no second alert, no added "click again" sentence.
        expect(renderer.findByTestId(Alert, 'deal-sync-error').text).toBe(problem.message);
        expect(renderer.findAll(Alert).filter((a) => (a.text ?? '').includes(problem.message))).toHaveLength(1);
        expect(renderer.maybeFind(Alert, { testId: 'deal-feedback' })).toBeNull();
        expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false);
      });
    }

    it('an up/downgrade executed in billwerk is titled so', async () => {
      const upgradeWords = {
        ...signupWords,
        applied: (a: { contractId: string; orderId: string }) =>
          `billwerk executed the up/downgrade on contract ${a.contractId} (order ${a.orderId})`,
      };
      const problem = toPendingProblem(upgradeWords, 'deal "Muster"', applied, [
        { doing: 'record the change on the deal', error: timeout },
      ]);
      replyWith(callFunction, { ...baseReplies, apply_deal: () => ({ ok: false, problems: [problem] }) });
      const { renderer, update } = renderDeal(validated({ ...closedWon, billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300' }));
      update({ billwerk_apply_change: 'ChangeFailed', billwerk_sync_error: problem.message });
      renderer.findByTestId(Button, 'apply').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'deal-sync-error').props.title).toBe('Up/downgrade executed — finishing on the next click'),
      );
      expect(renderer.findByTestId(Alert, 'deal-sync-error').text).toBe(problem.message);
    });

    it('a problem not yet on the deal shows in the click feedback, titled by its state', async () => {
      const problem = toPendingProblem(signupWords, 'deal "Muster"', applied, [{ doing: 'link the company', error: timeout }]);
      replyWith(callFunction, { ...baseReplies, apply_deal: () => ({ ok: false, problems: [problem] }) });
      const { renderer } = renderDeal(validated(closedWon));
      renderer.findByTestId(Button, 'apply').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Contract created — finishing on the next click'),
      );
      expect(renderer.findByTestId(Alert, 'deal-feedback').text).toBe(`deal "Muster": ${problem.message}`);
    });
  });

  it('shows the billing state and offers an up/downgrade deal on a deal with a contract', async () => {
    replyWith(callFunction, {
      ...baseReplies,
      create_upgrade_deal: () => ({
        ok: true,
        value: { dealId: '302', dealName: 'Up- / Downgrade deal for Muster – Signup', reused: false },
      }),
    });
    const { renderer, update } = renderDeal(
      validated({ ...closedWon, billwerk_contract_id: 'ctr-1', billwerk_contract_synced: 'true', billwerk_apply_change: 'ChangeApplied' }),
    );
    expect(renderer.maybeFind(Button, { testId: 'validate' })).toBeNull();
    expect(renderer.findByTestId(Button, 'create-upgrade').text).toBe('Create up/downgrade deal');
    update({ billwerk_upgrade_deal_id: '302' });
    renderer.findByTestId(Button, 'create-upgrade').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Up/downgrade deal created'));
    const link = renderer.findByTestId(Link, 'upgrade-link');
    expect(link.text).toBe('Up- / Downgrade deal for Muster – Signup');
    expect(link.props.href).toBe('https://app.hubspot.com/contacts/4711/record/0-3/302');
    expect(spy()).toHaveBeenCalledWith('create_upgrade_deal', { dealId: '301' });
    expect(renderer.findByTestId(Button, 'create-upgrade').text).toBe('Open up/downgrade deal');
  });

  it('links an open up/downgrade deal instead of offering a second one', async () => {
    const { renderer } = renderDeal(
      validated({ billwerk_contract_id: 'ctr-1', billwerk_contract_synced: 'true', billwerk_upgrade_deal_id: '302' }),
    );
    expect(renderer.findByTestId(Link, 'upgrade-link').props.href).toBe('https://app.hubspot.com/contacts/4711/record/0-3/302');
    expect(renderer.findByTestId(Text, 'upgrade-hint').text).toContain('instead of creating another');
  });

  it('does not offer an up/downgrade from a deal whose contract moved to a newer deal', () => {
    const { renderer } = renderDeal(validated({ billwerk_contract_id: 'ctr-1', billwerk_contract_synced: 'false' }));
    expect(renderer.maybeFind(Button, { testId: 'create-upgrade' })).toBeNull();
    expect(renderer.findByTestId(Text, 'applied-note').text).toContain('A newer up/downgrade deal now follows this contract');
  });

  it('labels an upgrade deal and says a payment term is ignored', () => {
    const { renderer } = renderDeal(validated({ ...closedWon, billwerk_deal_type: 'Upgrade', billwerk_payment_term_days: '30' }));
    expect(renderer.findByTestId(Text, 'deal-type').text).toBe('Upgrade');
    expect(renderer.findByTestId(Button, 'apply').text).toBe('Execute up/downgrade in billwerk');
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false);
    expect(renderer.findByTestId(Text, 'payment-term-ignored').text).toContain('30 days) is ignored for up/downgrades');
  });

  it('links the origin deal of an up/downgrade deal, before and after it owns the contract', async () => {
    const before = renderDeal(validated({ billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300' })).renderer;
    expect(before.findByTestId(Link, 'origin-link').props.href).toBe('https://app.hubspot.com/contacts/4711/record/0-3/300');
    expect(before.findByTestId(Text, 'deal-contract').text).toBe("The origin deal's contract");

    const after = renderDeal(
      validated({
        billwerk_deal_type: 'Upgrade',
        billwerk_origin_deal_id: '300',
        billwerk_contract_id: 'ctr-1',
        billwerk_apply_change: 'ChangeApplied',
        billwerk_contract_synced: 'true',
      }),
    ).renderer;
    await after.waitFor(() => expect(after.findByTestId(Link, 'deal-contract').text).toBe('ctr-1'));
    expect(after.findByTestId(Link, 'origin-link').props.href).toBe('https://app.hubspot.com/contacts/4711/record/0-3/300');
  });

  it('says a payment term applies for signups by not warning about it', () => {
    const { renderer } = renderDeal(validated({ billwerk_payment_term_days: '30' }));
    expect(renderer.maybeFind(Text, { testId: 'payment-term-ignored' })).toBeNull();
  });

  describe('what a rep reads', () => {
    const checkedAt = '2026-03-01T10:00:00.000Z';
    const failed = (overrides: Record<string, string | null> = {}) =>
      signupDeal({
        billwerk_validation: 'ValidationFailed',
        billwerk_validated_at: checkedAt,
        billwerk_validation_message:
          'Validation failed\n• line item "Pro" – billwerk plan variant: The product is not a billwerk plan variant.',
        ...overrides,
      });

    it('a failed validation shown after the line items changed asks for a new validation instead of the old reasons', () => {
      const { renderer } = renderDeal(failed(), {
        lineItems: [{ hs_lastmodifieddate: '2026-03-01T09:00:00.000Z' }, { hs_lastmodifieddate: '2026-03-01T10:05:00.000Z' }],
      });
      expect(renderer.findByTestId(Alert, 'validation-stale').text).toBe('Line items changed since this check — request validation again.');
      expect(renderer.maybeFind(Text, { testId: 'validation-message' })).toBeNull();
      expect(renderer.findByTestId(StatusTag, 'validation-status').text).toBe('Validation failed');
    });

    it('a line item added after the check counts as a change; older line items keep the reasons', () => {
      const added = renderDeal(failed(), {
        lineItems: [{ hs_createdate: '2026-03-01T11:00:00.000Z', hs_lastmodifieddate: null }],
      }).renderer;
      expect(added.findByTestId(Alert, 'validation-stale')).toBeTruthy();
      const unchanged = renderDeal(failed(), {
        lineItems: [{ hs_lastmodifieddate: '2026-03-01T09:59:00.000Z', hs_createdate: '2026-02-01T00:00:00.000Z' }],
      }).renderer;
      expect(unchanged.maybeFind(Alert, { testId: 'validation-stale' })).toBeNull();
      expect(unchanged.findByTestId(Text, 'validation-message').text).toContain('The product is not a billwerk plan variant.');
    });

    it('a successful validation with changed line items cannot be applied until validated again', () => {
      const { renderer } = renderDeal(validated({ ...closedWon, billwerk_validated_at: checkedAt }), {
        lineItems: [{ hs_lastmodifieddate: '2026-03-01T10:00:01.000Z' }],
      });
      expect(renderer.findByTestId(Alert, 'validation-stale')).toBeTruthy();
      expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(true);
      expect(renderer.findByTestId(Text, 'apply-hint').text).toBe('The line items changed since the validation: request validation again.');
    });

    it('the origin deal links to the newer up/downgrade deal that follows the contract', () => {
      const { renderer } = renderDeal(
        validated({
          billwerk_contract_id: 'ctr-1',
          billwerk_contract_synced: 'false',
          billwerk_upgrade_deal_id: '302',
          billwerk_apply_change: 'ChangeApplied',
        }),
      );
      const link = renderer.findByTestId(Link, 'newer-deal-link');
      expect(link.props.href).toBe('https://app.hubspot.com/contacts/4711/record/0-3/302');
      expect(link.text).toBe('Newer up/downgrade deal');
      expect(renderer.findByTestId(Text, 'billing-handed-over')).toBeTruthy();
    });

    it('contract and customer ids link to their pages in billwerk', async () => {
      const { renderer } = renderDeal(
        validated({
          billwerk_contract_id: 'ctr-1',
          billwerk_customer_id: 'cus-9',
          billwerk_contract_synced: 'true',
          billwerk_apply_change: 'ChangeApplied',
        }),
      );
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Link, 'deal-contract').props.href).toEqual({
          url: 'https://sandbox.billwerk.com/#/contracts/ctr-1',
          external: true,
        }),
      );
      expect(renderer.findByTestId(Link, 'deal-customer').props.href).toEqual({
        url: 'https://sandbox.billwerk.com/#/customers/cus-9',
        external: true,
      });
      expect(renderer.findByTestId(Link, 'deal-customer').text).toBe('cus-9');
    });

    it('once the contract exists the summary no longer says the customer is created on apply', () => {
      const message =
        'Successfully validated\nFirst invoice: 119.00 EUR; next billing date: 2026-04-01.\nCustomer: new billwerk customer (created on apply). Plan: Pro.\nStart: when the contract is created.';
      const before = renderDeal(validated({ billwerk_validation_message: message })).renderer;
      expect(before.findByTestId(Text, 'validation-message').text).toContain('created on apply');
      const after = renderDeal(
        validated({
          billwerk_validation_message: message,
          billwerk_contract_id: 'ctr-1',
          billwerk_customer_id: 'cus-9',
          billwerk_contract_synced: 'true',
        }),
      ).renderer;
      const shown = after.findByTestId(Text, 'validation-message').text;
      expect(shown).not.toContain('created on apply');
      expect(shown).toContain('Customer: billwerk customer cus-9, new with this contract.');
      expect(shown).toContain('Start: when the contract was created.');
    });

    it('the validation summary explains the first invoice (recurring fee, setup fee, VAT)', () => {
      const message = [
        'Successfully validated',
        'First invoice: 119.00 EUR; next billing date: 2026-04-01.',
        '  Pro – Monthly: 74.00 EUR net (recurring fee, 2026-03-01 to 2026-03-31)',
        '  Setup fee: 26.00 EUR net (one-time fee)',
        '  Net 100.00 EUR + VAT 19.00 EUR (19 %) = 119.00 EUR',
        'Customer: new billwerk customer (created on apply).',
      ].join('\n');
      const shown = renderDeal(validated({ billwerk_validation_message: message })).renderer.findByTestId(Text, 'validation-message').text;
      expect(shown).toContain('recurring fee, 2026-03-01 to 2026-03-31');
      expect(shown).toContain('Setup fee: 26.00 EUR net (one-time fee)');
      expect(shown).toContain('+ VAT 19.00 EUR (19 %) = 119.00 EUR');
      expect(shown).toMatch(/^First invoice/);
    });

    it('an up/downgrade deal shows the contract as it is before the rep picks changes, until executed', () => {
      const before = 'Plan variant: Professional – Monthly.\nComponents: Additional users × 3.';
      const open = renderDeal(
        signupDeal({ billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300', billwerk_current_contract: before }),
      ).renderer;
      expect(open.findByTestId(Text, 'current-contract').text).toBe(before);
      const executed = renderDeal(
        validated({
          billwerk_deal_type: 'Upgrade',
          billwerk_origin_deal_id: '300',
          billwerk_current_contract: before,
          billwerk_contract_id: 'ctr-1',
          billwerk_apply_change: 'ChangeApplied',
          billwerk_contract_synced: 'true',
        }),
      ).renderer;
      expect(executed.maybeFind(Text, { testId: 'current-contract' })).toBeNull();
    });

    it('an up/downgrade deal says "Execute up/downgrade in billwerk", with a hint and titles to match', async () => {
      replyWith(callFunction, {
        ...baseReplies,
        apply_deal: () => ({ ok: false, problems: [{ message: 'billwerk refused the order.' }] }),
      });
      const { renderer } = renderDeal(validated({ ...closedWon, billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300' }));
      expect(renderer.findByTestId(Button, 'apply').text).toBe('Execute up/downgrade in billwerk');
      expect(renderer.findByTestId(Text, 'apply-hint').text).toContain('Executes the up/downgrade on the contract in billwerk');
      renderer.findByTestId(Button, 'apply').trigger('onClick');
      await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'deal-feedback').props.title).toBe('Up/downgrade not executed'));
      const open = renderDeal(signupDeal({ billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300' })).renderer;
      expect(open.findByTestId(Text, 'apply-hint').text).toBe('Available after a successful validation and once the deal is Closed won.');
      const notClosed = renderDeal(
        validated({ billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300', billwerk_validation: 'SuccessfullyValidated' }),
      ).renderer;
      expect(notClosed.findByTestId(Text, 'apply-hint').text).toBe(
        'Move the deal to Closed won in the pipeline, then execute the up/downgrade here.',
      );
    });
  });
});

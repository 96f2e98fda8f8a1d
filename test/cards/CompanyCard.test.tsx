import React from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, DescriptionList, ErrorState, Input, Link, LoadingSpinner, Select, StatusTag, Text } from '@hubspot/ui-extensions';
import { CompanyCard } from '../../src/app/cards/CompanyCard.js';
import { callFunction } from '../../src/app/cards/shared/serverless.js';
import { ENTITIES, linkedProperties, renderCard, replyWith } from '../customer/cardKit.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));

const entitiesReply = () => ({ ok: true as const, value: ENTITIES });

describe('CompanyCard', () => {
  beforeEach(() => {
    replyWith(callFunction, { list_entities: entitiesReply });
  });

  it('shows a spinner while the record loads', () => {
    const { renderer, context, actions } = renderCard({}, { isLoading: true });
    renderer.render(<CompanyCard context={context} actions={actions} />);
    expect(renderer.findByTestId(LoadingSpinner, 'customer-loading')).toBeTruthy();
  });

  it('explains in plain words when the connector cannot be reached', async () => {
    replyWith(callFunction, {
      list_entities: () => ({ ok: false, problems: [{ message: 'The connector is not fully set up: BILLWERK_ENTITIES is missing.' }] }),
    });
    const { renderer, context, actions } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(ErrorState, 'customer-error').find(Text).text).toContain('BILLWERK_ENTITIES is missing'),
    );
    expect(renderer.findByTestId(ErrorState, 'customer-error').props.title).toBe('The connector is not reachable');
  });

  it('shows an unlinked company without Sync now, but with entity and dispatch mode', async () => {
    const { renderer, context, actions } = renderCard(
      linkedProperties({ billwerk_customer_id: null, billwerk_customer_sync_status: null }),
    );
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Text, 'customer-unlinked').text).toContain('Not linked to a billwerk customer yet'),
    );
    expect(renderer.findByTestId(Text, 'customer-id').text).toBe('Not linked yet');
    expect(renderer.maybeFind(Button, { testId: 'sync-now' })).toBeNull();
    expect(renderer.findByTestId(Select, 'entity-select').props.value).toBe('e-de');
    expect(renderer.findByTestId(Select, 'dispatch-mode').props.value).toBe('Email');
  });

  it('shows the linked customer, its entity by name and a successful status', async () => {
    const { renderer, context, actions } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'customer-id').text).toBe('cus-1'));
    expect(renderer.findByTestId(Text, 'customer-entity').text).toBe('Demo Software GmbH');
    expect(renderer.findByTestId(StatusTag, 'sync-status').text).toBe('Successfully updated in billwerk');
    expect(renderer.findByTestId(StatusTag, 'sync-status').props.variant).toBe('success');
    expect(renderer.maybeFind(Text, { testId: 'sync-error' })).toBeNull();
  });

  it('shows a failed status with the last error in plain words', async () => {
    const error = 'company "ACME GmbH" – Postal Code: Postal Code is missing.';
    const { renderer, context, actions } = renderCard(
      linkedProperties({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: error }),
    );
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'sync-status').text).toBe('Update failed'));
    expect(renderer.findByTestId(StatusTag, 'sync-status').props.variant).toBe('danger');
    expect(renderer.findByTestId(Text, 'sync-error').text).toBe(error);
    expect(
      renderer
        .findByTestId(Alert, 'sync-error-alert')
        .findAll(Text)
        .map((t) => t.text)
        .join(' '),
    ).toContain('then click Sync now');
  });

  it('Sync now does not repeat the error the card already shows', async () => {
    const error = 'company "ACME GmbH" – Postal Code: Postal Code is missing.';
    replyWith(callFunction, {
      list_entities: entitiesReply,
      sync_customer: () => ({
        ok: false,
        problems: [{ record: 'company "ACME GmbH"', field: 'Postal Code', message: 'Postal Code is missing.' }],
      }),
    });
    const { renderer, context, actions, refetch } = renderCard(
      linkedProperties({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: error }),
    );
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'sync-now')).toBeTruthy());
    renderer.findByTestId(Button, 'sync-now').trigger('onClick');
    await renderer.waitFor(() => expect(refetch).toHaveBeenCalled());
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'sync-now').text).toBe('Sync now'));
    expect(renderer.findByTestId(Text, 'sync-error').text).toBe(error);
    expect(renderer.maybeFind(Alert, { testId: 'customer-feedback' })).toBeNull();
  });

  it('keeps the entity of a linked company fixed and says why', async () => {
    const spy = replyWith(callFunction, { list_entities: entitiesReply });
    const { renderer, context, actions } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'entity-select').props.readOnly).toBe(true));
    expect(renderer.findByTestId(Button, 'entity-save').props.disabled).toBe(true);
    expect(renderer.findByTestId(Text, 'entity-locked').text).toContain('linked to a billwerk customer in Demo Software GmbH');
    expect(spy).not.toHaveBeenCalledWith('set_entity', expect.anything());
  });

  it('Sync now calls sync_customer for this company and refreshes the record', async () => {
    const spy = replyWith(callFunction, {
      list_entities: entitiesReply,
      sync_customer: () => ({ ok: true, value: { status: 'synced', customerId: 'cus-1', entityId: 'e-de', changed: true } }),
    });
    const { renderer, context, actions, refetch } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'sync-now')).toBeTruthy());
    renderer.findByTestId(Button, 'sync-now').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'customer-feedback').text).toBe('Updated customer in billwerk.'));
    expect(spy).toHaveBeenCalledWith('sync_customer', { objectType: 'companies', objectId: '101' });
    expect(actions.refreshObjectProperties).toHaveBeenCalled();
    expect(refetch).toHaveBeenCalled();
  });

  it('Sync now shows what blocks the update, naming record and field', async () => {
    replyWith(callFunction, {
      list_entities: entitiesReply,
      sync_customer: () => ({ ok: false, problems: [{ record: 'contact "Jane Doe"', field: 'Email', message: 'Email is missing.' }] }),
    });
    const { renderer, context, actions } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'sync-now')).toBeTruthy());
    renderer.findByTestId(Button, 'sync-now').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'customer-feedback').text).toBe('contact "Jane Doe" – Email: Email is missing.'),
    );
  });

  it('refuses an entity that differs from the contact, naming the contact, and offers to change both', async () => {
    const spy = replyWith(callFunction, {
      list_entities: entitiesReply,
      set_entity: (p) =>
        p.includeAssociated
          ? {
              ok: true,
              value: {
                entityId: 'e-ch',
                entityName: 'Demo Software AG',
                updated: [
                  { objectType: 'companies', objectId: '101' },
                  { objectType: 'contacts', objectId: '201' },
                ],
              },
            }
          : {
              ok: false,
              problems: [
                {
                  record: 'company "ACME GmbH"',
                  field: 'Entity',
                  message:
                    'contact "Jane Doe" is in entity Demo Software GmbH; company and contact must share one entity. Change both together or change contact "Jane Doe" first.',
                },
              ],
            },
    });
    const { renderer, context, actions } = renderCard(linkedProperties({ billwerk_customer_id: null }));
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'entity-select')).toBeTruthy());
    renderer.findByTestId(Select, 'entity-select').trigger('onChange', 'e-ch' as never);
    renderer.findByTestId(Button, 'entity-save').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'entity-refusal').text).toContain('contact "Jane Doe" is in entity Demo Software GmbH'),
    );
    expect(spy).toHaveBeenCalledWith('set_entity', {
      objectType: 'companies',
      objectId: '101',
      entityId: 'e-ch',
      includeAssociated: false,
    });

    renderer.findByTestId(Button, 'entity-save-both').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'customer-feedback').text).toBe('Entity set to Demo Software AG (also on 1 associated contact).'),
    );
    expect(spy).toHaveBeenCalledWith('set_entity', { objectType: 'companies', objectId: '101', entityId: 'e-ch', includeAssociated: true });
    expect(renderer.maybeFind(Alert, { testId: 'entity-refusal' })).toBeNull();
  });

  describe('dispatch mode form', () => {
    it('asks for receiver id, network and buyer reference for EInvoicing, beside the fields it names, and refuses without them', async () => {
      const spy = replyWith(callFunction, { list_entities: entitiesReply });
      const { renderer, context, actions } = renderCard(linkedProperties());
      renderer.render(<CompanyCard context={context} actions={actions} />);
      await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'dispatch-mode')).toBeTruthy());
      expect(renderer.maybeFind(Input, { testId: 'einvoicing-receiver-id' })).toBeNull();
      renderer.findByTestId(Select, 'dispatch-mode').trigger('onChange', 'EInvoicing' as never);
      expect(renderer.findByTestId(Input, 'einvoicing-receiver-id')).toBeTruthy();
      renderer.findByTestId(Input, 'einvoicing-buyer-reference').trigger('onChange', 'PO-77' as never);
      renderer.findByTestId(Button, 'dispatch-save').trigger('onClick');
      expect(renderer.findByTestId(Input, 'einvoicing-receiver-id').props).toMatchObject({
        error: true,
        validationMessage: 'Required for e-invoices.',
      });
      expect(renderer.findByTestId(Select, 'einvoicing-network').props).toMatchObject({
        error: true,
        validationMessage: 'Required for e-invoices: choose Finvoice or Peppol.',
      });
      expect(renderer.findByTestId(Input, 'einvoicing-buyer-reference').props.error).toBeUndefined();
      expect(renderer.maybeFind(Alert, { testId: 'dispatch-problems' })).toBeNull();
      expect(renderer.findByTestId(Text, 'dispatch-problems-beside').text).toBe(
        'Default bearer medium not saved: see the fields marked above.',
      );
      expect(spy).not.toHaveBeenCalledWith('update_dispatch_mode', expect.anything());
    });

    it('sends a complete EInvoicing setup to update_dispatch_mode', async () => {
      const spy = replyWith(callFunction, {
        list_entities: entitiesReply,
        update_dispatch_mode: () => ({
          ok: true,
          value: { saved: true, sync: { ok: true, value: { status: 'synced', customerId: 'cus-1', entityId: 'e-de', changed: true } } },
        }),
      });
      const { renderer, context, actions } = renderCard(linkedProperties());
      renderer.render(<CompanyCard context={context} actions={actions} />);
      await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'dispatch-mode')).toBeTruthy());
      renderer.findByTestId(Select, 'dispatch-mode').trigger('onChange', 'EInvoicing' as never);
      renderer.findByTestId(Input, 'einvoicing-receiver-id').trigger('onChange', '0037:123' as never);
      renderer.findByTestId(Select, 'einvoicing-network').trigger('onChange', 'Peppol' as never);
      renderer.findByTestId(Input, 'einvoicing-buyer-reference').trigger('onChange', 'PO-77' as never);
      renderer.findByTestId(Button, 'dispatch-save').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Text, 'dispatch-saved').text).toBe('Dispatch mode saved and sent to billwerk.'),
      );
      expect(spy).toHaveBeenCalledWith('update_dispatch_mode', {
        companyId: '101',
        mode: 'EInvoicing',
        eInvoicingReceiverId: '0037:123',
        eInvoicingNetwork: 'Peppol',
        buyerReference: 'PO-77',
      });
      expect(actions.refreshObjectProperties).toHaveBeenCalled();
    });

    it('refuses SnailMail on a sandbox connection', async () => {
      const spy = replyWith(callFunction, { list_entities: entitiesReply });
      const { renderer, context, actions } = renderCard(linkedProperties());
      renderer.render(<CompanyCard context={context} actions={actions} />);
      await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'dispatch-mode')).toBeTruthy());
      expect(renderer.findByTestId(Select, 'dispatch-mode').props.options).toContainEqual({
        value: 'SnailMail',
        label: 'Postal mail (SnailMail) – production only',
      });
      expect(renderer.findByTestId(Select, 'dispatch-mode').props.options).toContainEqual({
        value: 'EInvoicing',
        label: 'E-invoice (EInvoicing)',
      });
      renderer.findByTestId(Select, 'dispatch-mode').trigger('onChange', 'SnailMail' as never);
      renderer.findByTestId(Button, 'dispatch-save').trigger('onClick');
      expect(renderer.findByTestId(Select, 'dispatch-mode').props.validationMessage).toContain(
        'SnailMail only works with a production billwerk account',
      );
      expect(spy).not.toHaveBeenCalledWith('update_dispatch_mode', expect.anything());
    });

    it('says when the mode was saved but billwerk refused the customer update', async () => {
      replyWith(callFunction, {
        list_entities: entitiesReply,
        update_dispatch_mode: () => ({
          ok: true,
          value: {
            saved: true,
            sync: { ok: false, problems: [{ record: 'company "ACME GmbH"', field: 'Postal Code', message: 'Postal Code is missing.' }] },
          },
        }),
      });
      const { renderer, context, actions } = renderCard(linkedProperties());
      renderer.render(<CompanyCard context={context} actions={actions} />);
      await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'dispatch-mode')).toBeTruthy());
      renderer.findByTestId(Select, 'dispatch-mode').trigger('onChange', 'ArchiveOnly' as never);
      renderer.findByTestId(Button, 'dispatch-save').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'dispatch-problems').text).toBe('company "ACME GmbH" – Postal Code: Postal Code is missing.'),
      );
      expect(renderer.findByTestId(Alert, 'dispatch-problems').props.title).toBe('Not sent to billwerk');
      expect(renderer.findByTestId(Text, 'dispatch-saved').text).toContain('not updated');
    });
  });

  it('stacks a long billwerk customer id under its label and links it to billwerk', async () => {
    const longId = '64a1f0c2e4b0a1b2c3d4e5f6-with-a-long-suffix';
    replyWith(callFunction, { list_entities: () => ({ ok: true, value: { ...ENTITIES, webAppUrl: 'https://app.billwerk.com' } }) });
    const { renderer, context, actions } = renderCard(linkedProperties({ billwerk_customer_id: longId }));
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Link, 'customer-id').text).toBe(longId));
    // Side by side ("row") the id would overflow the sidebar; stacked it gets the card's whole width.
    expect(renderer.findByTestId(DescriptionList, 'customer-facts').props.direction).toBe('column');
    expect(renderer.findByTestId(Link, 'customer-id').props.href).toEqual({
      url: `https://app.billwerk.com/#/customers/${longId}`,
      external: true,
    });
  });

  it("shows billwerk's e-invoicing problems beside the fields they name", async () => {
    replyWith(callFunction, {
      list_entities: entitiesReply,
      update_dispatch_mode: () => ({
        ok: true,
        value: {
          saved: true,
          sync: {
            ok: false,
            problems: [
              {
                record: 'company "ACME GmbH"',
                field: 'E-Invoicing Receiver ID',
                message: 'billwerk: the receiver id is not a valid Peppol id.',
              },
              { record: 'company "ACME GmbH"', field: 'Postal Code', message: 'Postal Code is missing.' },
            ],
          },
        },
      }),
    });
    const { renderer, context, actions } = renderCard(linkedProperties());
    renderer.render(<CompanyCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'dispatch-mode')).toBeTruthy());
    renderer.findByTestId(Select, 'dispatch-mode').trigger('onChange', 'EInvoicing' as never);
    renderer.findByTestId(Input, 'einvoicing-receiver-id').trigger('onChange', '0088:123' as never);
    renderer.findByTestId(Select, 'einvoicing-network').trigger('onChange', 'Peppol' as never);
    renderer.findByTestId(Input, 'einvoicing-buyer-reference').trigger('onChange', 'PO-77' as never);
    renderer.findByTestId(Button, 'dispatch-save').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Input, 'einvoicing-receiver-id').props.validationMessage).toBe(
        'billwerk: the receiver id is not a valid Peppol id.',
      ),
    );
    expect(renderer.findByTestId(Input, 'einvoicing-receiver-id').props.error).toBe(true);
    // A problem of a field outside this form stays in the alert, named with its record and field.
    expect(renderer.findByTestId(Alert, 'dispatch-problems').text).toBe('company "ACME GmbH" – Postal Code: Postal Code is missing.');
  });
});

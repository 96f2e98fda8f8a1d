import React from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, Select, StatusTag, Text } from '@hubspot/ui-extensions';
import { ContactCard } from '../../src/app/cards/ContactCard.js';
import { callFunction } from '../../src/app/cards/shared/serverless.js';
import { ENTITIES, linkedProperties, renderCard, replyWith } from '../customer/cardKit.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));

const entitiesReply = () => ({ ok: true as const, value: ENTITIES });
const contactProps = (overrides: Record<string, string | null> = {}) =>
  linkedProperties({ billwerk_default_bearer_medium: null, ...overrides });

describe('ContactCard', () => {
  beforeEach(() => {
    replyWith(callFunction, { list_entities: entitiesReply });
  });

  it('shows an unlinked contact and no dispatch mode form', async () => {
    const { renderer, context, actions } = renderCard(contactProps({ billwerk_customer_id: null, billwerk_customer_sync_status: null }), {
      objectId: 201,
      objectTypeId: '0-1',
    });
    renderer.render(<ContactCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'customer-unlinked').text).toContain('signup deal with this contact'));
    expect(renderer.maybeFind(Select, { testId: 'dispatch-mode' })).toBeNull();
    expect(renderer.maybeFind(Button, { testId: 'sync-now' })).toBeNull();
  });

  it('shows the linked customer with a successful status', async () => {
    const { renderer, context, actions } = renderCard(contactProps(), { objectId: 201, objectTypeId: '0-1' });
    renderer.render(<ContactCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'customer-id').text).toBe('cus-1'));
    expect(renderer.findByTestId(StatusTag, 'sync-status').text).toBe('Successfully updated in billwerk');
    expect(renderer.findByTestId(Text, 'customer-entity').text).toBe('Demo Software GmbH');
  });

  it('shows the last error of a failed update', async () => {
    const error = 'contact "Jane Doe" – Email: "jane-at-acme" is not an email address.';
    const { renderer, context, actions } = renderCard(
      contactProps({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: error }),
      { objectId: 201, objectTypeId: '0-1' },
    );
    renderer.render(<ContactCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'sync-error').text).toBe(error));
    expect(renderer.findByTestId(StatusTag, 'sync-status').props.variant).toBe('danger');
  });

  it('Sync now syncs the customer of this contact', async () => {
    const spy = replyWith(callFunction, {
      list_entities: entitiesReply,
      sync_customer: () => ({ ok: true, value: { status: 'synced', customerId: 'cus-1', entityId: 'e-de', changed: false } }),
    });
    const { renderer, context, actions } = renderCard(contactProps(), { objectId: 201, objectTypeId: '0-1' });
    renderer.render(<ContactCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'sync-now')).toBeTruthy());
    renderer.findByTestId(Button, 'sync-now').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'customer-feedback').text).toBe('billwerk already had these details.'),
    );
    expect(spy).toHaveBeenCalledWith('sync_customer', { objectType: 'contacts', objectId: '201' });
  });

  it('refuses an entity that differs from the company, naming the company', async () => {
    replyWith(callFunction, {
      list_entities: entitiesReply,
      set_entity: () => ({
        ok: false,
        problems: [
          {
            record: 'contact "Jane Doe"',
            field: 'Entity',
            message:
              'company "ACME GmbH" is in entity Demo Software GmbH; company and contact must share one entity. Change both together or change company "ACME GmbH" first.',
          },
        ],
      }),
    });
    const { renderer, context, actions } = renderCard(contactProps({ billwerk_customer_id: null }), { objectId: 201, objectTypeId: '0-1' });
    renderer.render(<ContactCard context={context} actions={actions} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Select, 'entity-select')).toBeTruthy());
    renderer.findByTestId(Select, 'entity-select').trigger('onChange', 'e-ch' as never);
    renderer.findByTestId(Button, 'entity-save').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'entity-refusal').text).toContain('company "ACME GmbH" is in entity Demo Software GmbH'),
    );
    expect(renderer.findByTestId(Button, 'entity-save-both').text).toBe('Change the company too');
  });
});

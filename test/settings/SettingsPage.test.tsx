import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  Button,
  Heading,
  LoadingButton,
  LoadingSpinner,
  Select,
  StatusTag,
  Table,
  TableCell,
  Input,
  Text,
} from '@hubspot/ui-extensions';
import type { RenderedElementNode } from '@hubspot/ui-extensions/testing';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Outcome } from '../../src/app/settings/serverless.js';
import { FUNCTIONS, UNKNOWN_BILLWERK_FIELD, type ConnectionReport, type SettingsStatus } from '../../src/app/settings/types.js';

vi.mock('../../src/app/settings/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/settings/serverless.js')>()),
  callFunction: vi.fn(),
}));
const { callFunction } = await import('../../src/app/settings/serverless.js');
const { SettingsPage } = await import('../../src/app/settings/SettingsPage.js');
const call = vi.mocked(callFunction);

// Tested in their own files; here they stay loading.
const SECTION_UIDS: string[] = [FUNCTIONS.productSyncStart, FUNCTIONS.productSyncStatus, FUNCTIONS.reconcile];
const ENTITIES = [
  { id: 'e1', name: 'Demo Software GmbH' },
  { id: 'e2', name: 'Demo Software AG' },
];

function status(overrides: Partial<SettingsStatus> = {}): SettingsStatus {
  return {
    billwerk: { baseUrl: 'https://sandbox.billwerk.com', environment: 'sandbox' },
    entities: ENTITIES,
    setup: { state: 'done', pending: [], conflicts: [], notes: [] },
    mappings: [],
    customFieldProperties: {
      deal: [{ name: 'po_number', label: 'PO number', type: 'string' }],
      company: [{ name: 'cost_center', label: 'Cost center', type: 'string' }],
    },
    ...overrides,
  };
}

const connected: ConnectionReport = {
  billwerk: { baseUrl: 'https://sandbox.billwerk.com', environment: 'sandbox' },
  entities: ENTITIES.map((e) => ({
    entityId: e.id,
    entityName: e.name,
    ok: true,
    reachable: true,
    authorized: true,
    message: 'Connected (2 plan groups).',
  })),
  hubspot: { ok: true, message: 'HubSpot accepted the app token.' },
};

type Replies = Partial<Record<string, (parameters: Record<string, unknown>) => Outcome<unknown> | Promise<Outcome<unknown>>>>;

function answer(replies: Replies) {
  call.mockImplementation(async (name: string, parameters = {}) => {
    const reply = replies[name];
    if (!reply && SECTION_UIDS.includes(name)) return new Promise(() => {});
    if (!reply) throw new Error(`unexpected call ${name}`);
    return (await reply(parameters as Record<string, unknown>)) as never;
  });
}

/** The words of every cell of a table, as an admin reads them. */
function cells(table: Pick<RenderedElementNode, 'findAll'>): string {
  return table
    .findAll(TableCell)
    .map((c) => c.text ?? '')
    .join(' | ');
}

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

function renderPage() {
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} />);
  return renderer;
}

beforeEach(() => {
  call.mockReset();
});

describe('SettingsPage', () => {
  it('shows a spinner while the settings load', () => {
    answer({ [FUNCTIONS.status]: () => new Promise(() => {}), [FUNCTIONS.connection]: () => new Promise(() => {}) });
    const { findByTestId } = renderPage();
    expect(findByTestId(LoadingSpinner, 'settings-loading')).toBeTruthy();
  });

  it('says in plain words why the settings could not load', async () => {
    answer({
      [FUNCTIONS.status]: () => ({
        ok: false,
        problems: [{ record: 'connector settings', field: 'BILLWERK_ENTITIES', message: 'is missing' }],
      }),
      [FUNCTIONS.connection]: () => ok(connected),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Alert, 'settings-error').text).toContain('BILLWERK_ENTITIES: is missing'));
  });

  it('shows the base URL and every entity connected', async () => {
    answer({ [FUNCTIONS.status]: () => ok(status()), [FUNCTIONS.connection]: () => ok(connected) });
    const { findByTestId, findAll, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Table, 'connection-table')).toBeTruthy());
    expect(findByTestId(Text, 'billwerk-base-url').text).toContain('sandbox: https://sandbox.billwerk.com');
    expect(findByTestId(StatusTag, 'connection-status-e1').text).toBe('Connected');
    expect(findByTestId(StatusTag, 'connection-status-e2').text).toBe('Connected');
    // Every section is on the page, the product sync among them.
    expect(findAll(Heading).map((h) => h.text)).toEqual([
      'Connection',
      'HubSpot properties',
      'Product sync',
      'Reconciliation',
      'Custom mappings',
    ]);
  });

  it('marks an entity billwerk refuses and checks again on request', async () => {
    const refused: ConnectionReport = {
      ...connected,
      entities: [
        connected.entities[0]!,
        {
          ...connected.entities[1]!,
          ok: false,
          authorized: false,
          message: 'billwerk refused this entity. Check its id in BILLWERK_ENTITIES.',
        },
      ],
    };
    answer({ [FUNCTIONS.status]: () => ok(status()), [FUNCTIONS.connection]: () => ok(refused) });
    const { findByTestId, waitFor, find } = renderPage();
    await waitFor(() => expect(findByTestId(StatusTag, 'connection-status-e2').text).toBe('Refused'));
    expect(cells(find(Table, { testId: 'connection-table' }))).toContain('Check its id in BILLWERK_ENTITIES');
    answer({ [FUNCTIONS.connection]: () => ok(connected) });
    findByTestId(Button, 'check-connection').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'connection-status-e2').text).toBe('Connected'));
  });

  it('shows an unreachable billwerk and a failed check', async () => {
    const down: ConnectionReport = {
      ...connected,
      entities: connected.entities.map((e) => ({
        ...e,
        ok: false,
        reachable: false,
        authorized: false,
        message: 'billwerk could not be reached',
      })),
    };
    answer({ [FUNCTIONS.status]: () => ok(status()), [FUNCTIONS.connection]: () => ok(down) });
    const first = renderPage();
    await first.waitFor(() => expect(first.findByTestId(StatusTag, 'connection-status-e1').text).toBe('Unreachable'));

    answer({
      [FUNCTIONS.status]: () => ok(status()),
      [FUNCTIONS.connection]: () => ({ ok: false, problems: [{ message: 'The connector could not be reached (timeout).' }] }),
    });
    const second = renderPage();
    await second.waitFor(() => expect(second.findByTestId(Alert, 'connection-error').text).toContain('timeout'));
  });

  it('offers setup when properties are missing, runs it and shows the result', async () => {
    let state: SettingsStatus['setup'] = { state: 'needed', pending: ['create deals.billwerk_entity'], conflicts: [], notes: [] };
    answer({
      [FUNCTIONS.status]: () => ok(status({ setup: state })),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.setup]: () => {
        state = { state: 'done', pending: [], conflicts: [], notes: [] };
        return ok({ created: ['deals.billwerk_entity'], updated: [], unchanged: ['deals.billwerk_balance'], conflicts: [], notes: [] });
      },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(StatusTag, 'setup-state').text).toBe('Setup needed'));
    findByTestId(LoadingButton, 'run-setup').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'setup-state').text).toBe('Setup complete'));
    expect(findByTestId(Alert, 'setup-result').text).toContain('Created 1, updated 0, unchanged 1, conflicts 0');
  });

  it('shows conflicts setup will not fix, and a failed setup run', async () => {
    answer({
      [FUNCTIONS.status]: () =>
        ok(
          status({
            setup: {
              state: 'done',
              pending: [],
              conflicts: [{ item: 'deals.billwerk_balance', message: 'exists with type "string"' }],
              notes: [],
            },
          }),
        ),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.setup]: () => ({ ok: false, problems: [{ message: 'HubSpot rejected the app token' }] }),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Alert, 'setup-conflicts').text).toContain('deals.billwerk_balance'));
    findByTestId(LoadingButton, 'run-setup').trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'setup-error').text).toContain('rejected the app token'));
  });

  it('lists mappings with entity names and property labels, and removes one', async () => {
    const mapping = { entityId: 'e2', object: 'deal' as const, hubspotProperty: 'po_number', billwerkField: 'PurchaseOrder' };
    answer({
      [FUNCTIONS.status]: () => ok(status({ mappings: [mapping] })),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.mappings]: () => ok([]),
    });
    const { findByTestId, waitFor, maybeFind } = renderPage();
    await waitFor(() => expect(cells(findByTestId(Table, 'mappings-table'))).toContain('Demo Software AG'));
    expect(cells(findByTestId(Table, 'mappings-table'))).toContain('PO number');
    findByTestId(Button, 'remove-mapping-deal-po_number-e2').trigger('onClick');
    await waitFor(() => expect(maybeFind(Table, { testId: 'mappings-table' })).toBeNull());
    expect(call).toHaveBeenCalledWith(FUNCTIONS.mappings, { action: 'remove', mapping });
  });

  it('adds a mapping from the form, offering only properties of the chosen object', async () => {
    answer({
      [FUNCTIONS.status]: () => ok(status()),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.mappings]: (p) => ok([p.mapping]),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Select, 'mapping-object')).toBeTruthy());
    expect(findByTestId(Select, 'mapping-hubspot-property').props.options.map((o) => o.value)).toEqual(['po_number']);
    findByTestId(Select, 'mapping-object').trigger('onChange', 'company' as never);
    await waitFor(() =>
      expect(findByTestId(Select, 'mapping-hubspot-property').props.options.map((o) => o.value)).toEqual(['cost_center']),
    );
    findByTestId(Select, 'mapping-entity').trigger('onChange', 'e2' as never);
    findByTestId(Select, 'mapping-hubspot-property').trigger('onChange', 'cost_center' as never);
    findByTestId(Input, 'mapping-billwerk-field').trigger('onChange', ' CostCenter ' as never);
    await waitFor(() => expect(findByTestId(LoadingButton, 'add-mapping').props.disabled).toBe(false));
    findByTestId(LoadingButton, 'add-mapping').trigger('onClick');
    await waitFor(() => expect(cells(findByTestId(Table, 'mappings-table'))).toContain('CostCenter'));
    expect(call).toHaveBeenCalledWith(FUNCTIONS.mappings, {
      action: 'add',
      mapping: { entityId: 'e2', object: 'company', hubspotProperty: 'cost_center', billwerkField: 'CostCenter' },
    });
  });

  it('shows why a mapping was not saved', async () => {
    answer({
      [FUNCTIONS.status]: () => ok(status()),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.mappings]: () => ({
        ok: false,
        problems: [{ record: 'custom field mapping', field: 'billwerk custom field', message: 'PurchaseOrder is already mapped' }],
      }),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Select, 'mapping-hubspot-property')).toBeTruthy());
    findByTestId(Select, 'mapping-hubspot-property').trigger('onChange', 'po_number' as never);
    findByTestId(Input, 'mapping-billwerk-field').trigger('onChange', 'PurchaseOrder' as never);
    await waitFor(() => expect(findByTestId(LoadingButton, 'add-mapping').props.disabled).toBe(false));
    findByTestId(LoadingButton, 'add-mapping').trigger('onClick');
    await waitFor(() =>
      expect(findByTestId(Alert, 'mapping-error').text).toContain('billwerk custom field: PurchaseOrder is already mapped'),
    );
  });

  it('tells the admin to create a property when the custom fields group is empty', async () => {
    answer({
      [FUNCTIONS.status]: () => ok(status({ customFieldProperties: { deal: [], company: [] } })),
      [FUNCTIONS.connection]: () => ok(connected),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Text, 'mapping-no-properties').text).toContain('Billwerk custom fields sync'));
  });

  it('saves a mapping to a field billwerk does not show only after "Save anyway", and flags it in the list', async () => {
    const unknown = {
      record: 'custom field mapping',
      field: UNKNOWN_BILLWERK_FIELD,
      message: 'None of the 100 newest billwerk contracts of this entity holds a custom field "PurchaseOrdr".',
    };
    answer({
      [FUNCTIONS.status]: () => ok(status()),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.mappings]: (p) =>
        p.confirmUnknownField ? ok([{ ...(p.mapping as object), unverified: true }]) : { ok: false, problems: [unknown] },
    });
    const { findByTestId, maybeFind, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Select, 'mapping-hubspot-property')).toBeTruthy());
    findByTestId(Select, 'mapping-hubspot-property').trigger('onChange', 'po_number' as never);
    findByTestId(Input, 'mapping-billwerk-field').trigger('onChange', 'PurchaseOrdr' as never);
    await waitFor(() => expect(findByTestId(LoadingButton, 'add-mapping').props.disabled).toBe(false));
    findByTestId(LoadingButton, 'add-mapping').trigger('onClick');

    // Not saved: a warning with billwerk's evidence, and an explicit confirmation to save anyway.
    await waitFor(() => expect(findByTestId(Alert, 'mapping-unknown-field').text).toContain('holds a custom field "PurchaseOrdr"'));
    expect(maybeFind(Table, { testId: 'mappings-table' })).toBeNull();
    expect(call).toHaveBeenLastCalledWith(FUNCTIONS.mappings, {
      action: 'add',
      mapping: { entityId: 'e1', object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrdr' },
    });

    findByTestId(Button, 'confirm-unknown-field').trigger('onClick');
    await waitFor(() => expect(cells(findByTestId(Table, 'mappings-table'))).toContain('PurchaseOrdr'));
    expect(call).toHaveBeenLastCalledWith(FUNCTIONS.mappings, {
      action: 'add',
      mapping: { entityId: 'e1', object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrdr' },
      confirmUnknownField: true,
    });
    expect(findByTestId(StatusTag, 'mapping-unverified-deal-po_number-e1').text).toBe('Not found in billwerk');
    expect(findByTestId(Text, 'mappings-unverified-note').text).toContain('Settings › Customization › Custom Fields');
    expect(maybeFind(Button, { testId: 'confirm-unknown-field' })).toBeNull();
  });

  it('removes a flagged mapping without sending the flag back', async () => {
    const flagged = {
      entityId: 'e1',
      object: 'deal' as const,
      hubspotProperty: 'po_number',
      billwerkField: 'PurchaseOrdr',
      unverified: true,
    };
    answer({
      [FUNCTIONS.status]: () => ok(status({ mappings: [flagged] })),
      [FUNCTIONS.connection]: () => ok(connected),
      [FUNCTIONS.mappings]: () => ok([]),
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Button, 'remove-mapping-deal-po_number-e1')).toBeTruthy());
    findByTestId(Button, 'remove-mapping-deal-po_number-e1').trigger('onClick');
    await waitFor(() =>
      expect(call).toHaveBeenLastCalledWith(FUNCTIONS.mappings, {
        action: 'remove',
        mapping: { entityId: 'e1', object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrdr' },
      }),
    );
  });
});

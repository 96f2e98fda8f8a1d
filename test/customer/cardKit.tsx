/**
 * Shared setup for the company and contact card tests: a renderer whose useCrmProperties returns the
 * given record properties, a fake record context, and canned function replies per function uid.
 */
import { vi, type Mock } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Outcome } from '../../src/app/cards/shared/serverless.js';

export const ENTITIES = {
  entities: [
    { id: 'e-de', name: 'Demo Software GmbH' },
    { id: 'e-ch', name: 'Demo Software AG' },
  ],
  environment: 'sandbox' as const,
};

export type Replies = Record<string, (parameters: Record<string, unknown>) => Outcome<unknown>>;

/** Installs the replies on the mocked callFunction; returns the spy. */
export function replyWith(callFunction: unknown, replies: Replies) {
  const spy = callFunction as Mock<(name: string, parameters?: Record<string, unknown>) => Promise<Outcome<unknown>>>;
  spy.mockReset();
  spy.mockImplementation(async (name: string, parameters: Record<string, unknown> = {}) => {
    const reply = replies[name];
    if (!reply) throw new Error(`unexpected function call ${name}`);
    return reply(parameters);
  });
  return spy;
}

export function renderCard(
  properties: Record<string, string | null>,
  options: { isLoading?: boolean; objectId?: number; objectTypeId?: string } = {},
) {
  const renderer = createRenderer('crm.record.sidebar');
  const refetch = vi.fn(async () => {});
  renderer.mocks.useCrmProperties.willCall(() => ({
    properties,
    error: null,
    isLoading: options.isLoading ?? false,
    isRefetching: false,
    refetch,
  }));
  const refreshObjectProperties = vi.fn();
  const context = { ...renderer.mocks.context, crm: { objectId: options.objectId ?? 101, objectTypeId: options.objectTypeId ?? '0-2' } };
  return { renderer, context, actions: { refreshObjectProperties }, refetch };
}

export const linkedProperties = (overrides: Record<string, string | null> = {}) => ({
  billwerk_customer_id: 'cus-1',
  billwerk_entity: 'e-de',
  billwerk_customer_sync_status: 'SuccessfullyUpdated',
  billwerk_customer_sync_error: null,
  billwerk_customer_synced_at: '2026-03-01T10:00:00.000Z',
  billwerk_default_bearer_medium: 'Email',
  billwerk_einvoicing_receiver_id: null,
  billwerk_einvoicing_network: null,
  billwerk_buyer_reference: null,
  ...overrides,
});

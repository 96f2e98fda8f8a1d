import { readdirSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, DescriptionListItem, LoadingButton, LoadingSpinner, ProgressBar, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Outcome } from '../../src/app/settings/serverless.js';
import type * as Section from '../../src/app/settings/ProductSyncSection.js';
import type { ProductSyncState } from '../../src/core/products/productSyncState.js';
import type { ProductSyncSummary } from '../../src/core/products/syncProducts.js';

vi.mock('../../src/app/settings/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/settings/serverless.js')>()),
  callFunction: vi.fn(),
}));
const { callFunction } = await import('../../src/app/settings/serverless.js');
const { ProductSyncSection, PRODUCT_SYNC_FUNCTIONS } = await import('../../src/app/settings/ProductSyncSection.js');
const call = vi.mocked(callFunction);

// Compile-time: the section's copies of the reply shapes fit what the functions send.
export const stateFits = (s: ProductSyncState): Section.ProductSyncState => s;
export const runFits = (r: ProductSyncSummary): Section.ProductSyncSlice['run'] => r;

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });
const HOUR = 3_600_000;

function lastRun(overrides: Partial<Section.ProductSyncRun> = {}): Section.ProductSyncRun {
  const finishedAt = new Date(Date.now() - HOUR).toISOString();
  return {
    trigger: 'scheduler', startedAt: finishedAt, finishedAt, complete: true,
    created: 3, updated: 2, archived: 1, unchanged: 40, errors: 0, remaining: 0, errorMessages: [], ...overrides,
  };
}

function slice(run: Partial<Section.ProductSyncSlice['run']>, state: ProductSyncState = {}): Outcome<Section.ProductSyncSlice> {
  return ok({ run: { ...lastRun(), planned: 0, items: 0, ...run }, state, stale: !state.lastCompleteAt });
}

function renderSection() {
  const renderer = createRenderer('settings');
  renderer.render(<ProductSyncSection />);
  return renderer;
}

beforeEach(() => {
  call.mockReset();
});

describe('ProductSyncSection', () => {
  it('shows a spinner while the last run loads', () => {
    call.mockImplementation(() => new Promise(() => {}));
    const { findByTestId } = renderSection();
    expect(findByTestId(LoadingSpinner, 'product-sync-loading')).toBeTruthy();
  });

  it('says in plain words why the status could not load', async () => {
    call.mockResolvedValue({ ok: false, problems: [{ message: 'HubSpot did not answer.' }] });
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-status-error').text).toContain('HubSpot did not answer.'));
  });

  it('shows the last run summary and when it ran, without a warning when it is recent', async () => {
    const run = lastRun();
    call.mockResolvedValue(ok({ state: { lastRun: run, lastCompleteAt: run.finishedAt }, stale: false }));
    const { findByTestId, findAll, maybeFind, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Up to date'));
    const items = Object.fromEntries(findAll(DescriptionListItem).map((i) => [i.props.label, i.text]));
    expect(items).toMatchObject({ Created: '3', Updated: '2', Archived: '1', Unchanged: '40', Errors: '0' });
    expect(items['Last run']).toContain('(scheduled)');
    expect(findByTestId(Text, 'product-sync-last-complete').text).toContain(run.finishedAt.slice(0, 10));
    expect(maybeFind(Alert)).toBeNull();
  });

  it('warns when the last complete sync is older than 12 hours', async () => {
    const run = lastRun({ finishedAt: new Date(Date.now() - 13 * HOUR).toISOString() });
    call.mockResolvedValue(ok({ state: { lastRun: run, lastCompleteAt: run.finishedAt }, stale: true }));
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-stale').text).toContain('more than 12 hours ago'));
    expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Out of date');
  });

  it('warns when products were never synchronized', async () => {
    call.mockResolvedValue(ok({ state: {}, stale: true }));
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-stale').text).toContain('Start the sync of products'));
  });

  it('lists the errors of the last run', async () => {
    const run = lastRun({ errors: 1, errorMessages: ['plan variant "Pro": price is not a number'] });
    call.mockResolvedValue(ok({ state: { lastRun: run, lastCompleteAt: run.finishedAt }, stale: false }));
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-run-errors').text).toContain('price is not a number'));
  });

  it('keeps calling the sync while slices report work left, showing progress, then the new summary', async () => {
    let resolveSecond: (value: Outcome<Section.ProductSyncSlice>) => void = () => {};
    const done = lastRun({ created: 50, updated: 0, archived: 0 });
    call.mockImplementation(async (name: string) => {
      if (name === PRODUCT_SYNC_FUNCTIONS.status) return ok({ state: {}, stale: true }) as never;
      const starts = call.mock.calls.filter(([n]) => n === PRODUCT_SYNC_FUNCTIONS.start).length;
      if (starts === 1) return slice({ complete: false, created: 100, updated: 0, archived: 0, remaining: 50 }) as never;
      return new Promise((resolve) => (resolveSecond = resolve as never)) as never;
    });
    const { find, findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Out of date'));
    find(LoadingButton).trigger('onClick');
    await waitFor(() => expect(findByTestId(ProgressBar, 'product-sync-progress').props.valueDescription).toBe('100 of 150 changes written'));
    expect(find(LoadingButton).props.loading).toBe(true);
    resolveSecond(slice({ ...done, complete: true }, { lastRun: done, lastCompleteAt: done.finishedAt }));
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Up to date'));
    expect(find(LoadingButton).props.loading).toBe(false);
    expect(call.mock.calls.filter(([n]) => n === PRODUCT_SYNC_FUNCTIONS.start)).toHaveLength(2);
  });

  it('stops and explains when the sync cannot run', async () => {
    call.mockImplementation(async (name: string) =>
      (name === PRODUCT_SYNC_FUNCTIONS.status
        ? ok({ state: {}, stale: true })
        : { ok: false, problems: [{ record: 'product sync', message: 'Run the setup first.' }] }) as never);
    const { find, findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness')).toBeTruthy());
    find(LoadingButton).trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-error').text).toContain('product sync: Run the setup first.'));
  });

  it('calls only functions that exist as app-function components', () => {
    const dir = 'src/app/functions';
    const uids = readdirSync(dir).filter((f) => f.endsWith('-hsmeta.json')).map((f) => (JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { uid: string }).uid);
    for (const uid of Object.values(PRODUCT_SYNC_FUNCTIONS)) expect(uids).toContain(uid);
  });
});

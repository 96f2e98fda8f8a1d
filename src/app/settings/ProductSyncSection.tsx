import { useEffect, useState } from 'react';
import {
  Alert, DescriptionList, DescriptionListItem, Flex, Heading, LoadingButton, LoadingSpinner, ProgressBar, StatusTag, Text,
} from '@hubspot/ui-extensions';
import { callFunction, describeProblem, toLoadable, type Loadable, type Problem } from './serverless.js';

/**
 * Settings section "Product sync": starts the billwerk → HubSpot product sync, shows its progress,
 * the last run's summary, when it ran, and warns when the library is older than 12 hours.
 *
 * Reply shapes mirror src/core/products/productSyncState.ts and src/core/products/syncProducts.ts (this folder
 * cannot import src/core); test/settings/ProductSyncSection.test.tsx keeps them in step.
 */

export const PRODUCT_SYNC_FUNCTIONS = { start: 'start_product_sync', status: 'product_sync_status' } as const;

export interface ProductSyncRun {
  trigger: 'settings' | 'scheduler' | 'webhook';
  startedAt: string;
  finishedAt: string;
  complete: boolean;
  created: number;
  updated: number;
  archived: number;
  unchanged: number;
  errors: number;
  remaining: number;
  errorMessages: string[];
}

export interface ProductSyncState {
  lastRun?: ProductSyncRun;
  lastCompleteAt?: string;
}

export interface ProductSyncStatus {
  state: ProductSyncState;
  stale: boolean;
}

export interface ProductSyncSlice {
  run: ProductSyncRun & { planned: number; items: number };
  state: ProductSyncState;
  stale: boolean;
}

/** Each call is one time-boxed slice; a catalog of any size finishes within this many. */
const MAX_SLICES = 40;

type StatusLoad = Loadable<ProductSyncStatus>;

interface Totals {
  created: number;
  updated: number;
  archived: number;
  errors: number;
}

type SyncRun =
  | { state: 'idle' }
  | { state: 'running'; done: number; remaining: number; totals: Totals }
  | { state: 'failed'; problems: Problem[] };

/** `2025-03-01T08:30:12.000Z` → `2025-03-01 08:30 UTC` (no locale APIs in the card sandbox). */
export function formatTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'never';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Who started a run, in words (the state stores the trigger's code). */
export const TRIGGER_LABELS: Record<ProductSyncRun['trigger'], string> = {
  settings: 'started here',
  scheduler: 'scheduled',
  webhook: 'after a billwerk catalog change',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function ProductSyncSection() {
  const [status, setStatus] = useState<StatusLoad>({ state: 'loading' });
  const [run, setRun] = useState<SyncRun>({ state: 'idle' });

  useEffect(() => {
    // State is set in the promise callback, never synchronously in the effect (react-hooks rule).
    let current = true;
    callFunction<ProductSyncStatus>(PRODUCT_SYNC_FUNCTIONS.status).then((outcome) => {
      if (current) setStatus(toLoadable(outcome));
    });
    return () => {
      current = false;
    };
  }, []);

  const startSync = async () => {
    const totals: Totals = { created: 0, updated: 0, archived: 0, errors: 0 };
    setRun({ state: 'running', done: 0, remaining: 0, totals });
    for (let slice = 0; slice < MAX_SLICES; slice++) {
      const outcome = await callFunction<ProductSyncSlice>(PRODUCT_SYNC_FUNCTIONS.start);
      if (!outcome.ok) {
        setRun({ state: 'failed', problems: outcome.problems });
        return;
      }
      const { run: result, state, stale } = outcome.value;
      totals.created += result.created;
      totals.updated += result.updated;
      totals.archived += result.archived;
      totals.errors += result.errors;
      const written = result.created + result.updated + result.archived;
      setStatus({ state: 'ready', value: { state, stale } });
      // Stop when done, or when a slice could not move on (errors only): the summary says why.
      if (result.complete || result.remaining === 0 || written === 0) break;
      setRun({ state: 'running', done: totals.created + totals.updated + totals.archived, remaining: result.remaining, totals: { ...totals } });
    }
    setRun({ state: 'idle' });
  };

  return (
    <Flex direction="column" gap="small">
      <Heading>Product sync</Heading>
      <Text>
        Copies billwerk’s plan variants, components and discounts of every entity into the HubSpot product library. Hidden items
        are removed from the library; line items already on deals stay. It also runs every 12 hours when a scheduler is set up.
      </Text>
      <StatusView status={status} />
      {run.state === 'running' && (
        <ProgressBar
          testId="product-sync-progress"
          title="Synchronizing products"
          value={run.done}
          maxValue={Math.max(1, run.done + run.remaining)}
          valueDescription={`${run.done} of ${run.done + run.remaining} changes written`}
        />
      )}
      {run.state === 'failed' && (
        <Alert title="The product sync could not run" variant="error" testId="product-sync-error">
          {run.problems.map(describeProblem).join('\n')}
        </Alert>
      )}
      <LoadingButton loading={run.state === 'running'} onClick={() => void startSync()} testId="start-product-sync">
        Start sync of products
      </LoadingButton>
    </Flex>
  );
}

function StatusView({ status }: { status: StatusLoad }) {
  if (status.state === 'loading') return <LoadingSpinner label="Loading the last product sync..." testId="product-sync-loading" />;
  if (status.state === 'error') {
    return (
      <Alert title="The product sync status could not be loaded" variant="error" testId="product-sync-status-error">
        {status.problems.map(describeProblem).join('\n')}
      </Alert>
    );
  }
  const { state, stale } = status.value;
  const last = state.lastRun;
  return (
    <Flex direction="column" gap="small">
      <Flex gap="small" align="center">
        <StatusTag variant={stale ? 'warning' : 'success'} testId="product-sync-freshness">
          {stale ? 'Out of date' : 'Up to date'}
        </StatusTag>
        <Text testId="product-sync-last-complete">
          {state.lastCompleteAt ? `Last complete sync: ${formatTime(state.lastCompleteAt)}` : 'Products have never been synchronized completely.'}
        </Text>
      </Flex>
      {stale && (
        <Alert title="Products may be out of date" variant="warning" testId="product-sync-stale">
          {state.lastCompleteAt
            ? `The last complete product sync finished more than 12 hours ago (${formatTime(state.lastCompleteAt)}). Start a sync, and check that the scheduler calls the product sync endpoint.`
            : 'Start the sync of products so reps can add billwerk products to deals.'}
        </Alert>
      )}
      {last && (
        <DescriptionList direction="row" testId="product-sync-summary">
          <DescriptionListItem label="Last run">{`${formatTime(last.finishedAt)} (${TRIGGER_LABELS[last.trigger] ?? last.trigger}${last.complete ? '' : ', unfinished'})`}</DescriptionListItem>
          <DescriptionListItem label="Created">{String(last.created)}</DescriptionListItem>
          <DescriptionListItem label="Updated">{String(last.updated)}</DescriptionListItem>
          <DescriptionListItem label="Archived">{String(last.archived)}</DescriptionListItem>
          <DescriptionListItem label="Unchanged">{String(last.unchanged)}</DescriptionListItem>
          <DescriptionListItem label="Errors">{String(last.errors)}</DescriptionListItem>
        </DescriptionList>
      )}
      {last && !last.complete && last.remaining > 0 && (
        <Text testId="product-sync-remaining">{`${plural(last.remaining, 'change')} left for the next run.`}</Text>
      )}
      {last && last.errorMessages.length > 0 && (
        <Alert title={`${plural(last.errors, 'item')} could not be synchronized`} variant="error" testId="product-sync-run-errors">
          {last.errorMessages.join('\n')}
        </Alert>
      )}
    </Flex>
  );
}

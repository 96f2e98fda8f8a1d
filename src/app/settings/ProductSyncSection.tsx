import { useState } from 'react';
import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  LoadingButton,
  LoadingSpinner,
  ProgressBar,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { describeProblem, type Loadable } from './serverless.js';
import { FUNCTIONS } from './types.js';
import { useFunction } from './useFunction.js';

/**
 * Settings section "Product sync": starts the billwerk → HubSpot product sync and shows where it
 * stands: "N of M items synced", what is left, errors by item, and "Up to date" only when the
 * library equals billwerk's visible catalog.
 *
 * Calls go through the page's one hook (./useFunction.ts) with the uids of FUNCTIONS (./types.ts).
 * The reply shape mirrors src/core/products/startProductSync.ts (this folder cannot import src/core);
 * test/settings/ProductSyncSection.test.tsx keeps them in step.
 */

/** Copy of ProductSyncReport (src/core/products/startProductSync.ts); the test keeps them in step. */
export interface ProductSyncReport {
  status: 'never' | 'running' | 'done';
  busy: boolean;
  synced: number;
  total?: number;
  left?: number;
  created: number;
  updated: number;
  archived: number;
  unchanged: number;
  errors: number;
  errorItems: { label: string; message: string }[];
  pendingChanges: number;
  fullRunNeeded: boolean;
  upToDate: boolean;
  stale: boolean;
  trigger?: 'settings' | 'scheduler' | 'webhook';
  startedAt?: string;
  finishedAt?: string;
  lastCompleteAt?: string;
  calls: number;
  message?: string;
  retryAfterMs?: number;
}

/** A run of any size finishes within this many calls; the page stops asking after that. */
const MAX_SLICES = 60;
/** Another call is writing (the scheduler, another admin): ask again after this long. */
const BUSY_WAIT_MS = 2_000;
/** HubSpot's burst window is 10 s; a longer wait is never needed. */
const MAX_RATE_WAIT_MS = 10_000;

type StatusLoad = Loadable<ProductSyncReport>;

/** `2025-03-01T08:30:12.000Z` → `2025-03-01 08:30 UTC` (no locale APIs in the card sandbox). */
export function formatTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'never';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Who started a run, in words (the state stores the trigger's code). */
export const TRIGGER_LABELS: Record<NonNullable<ProductSyncReport['trigger']>, string> = {
  settings: 'started here',
  scheduler: 'scheduled',
  webhook: 'after a billwerk catalog change',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "N of M items synced" (M once the run has read the whole catalog or from the last run). */
export function progressText(report: ProductSyncReport): string {
  return report.total !== undefined
    ? `${report.synced} of ${report.total} items synced`
    : `${plural(report.synced, 'item')} synced so far`;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function ProductSyncSection() {
  const statusCall = useFunction<ProductSyncReport>(FUNCTIONS.productSyncStatus, { onMount: {} });
  const startCall = useFunction<ProductSyncReport>(FUNCTIONS.productSyncStart);
  // The report the last slice answered with: newer than the status read when the page opened.
  const [latest, setLatest] = useState<ProductSyncReport | undefined>();
  const [syncing, setSyncing] = useState(false);

  const startSync = async () => {
    setSyncing(true);
    for (let slice = 0; slice < MAX_SLICES; slice++) {
      const outcome = await startCall.run();
      // null: the page is gone (the button is busy, so no newer run can start meanwhile).
      if (!outcome) return;
      if (!outcome.ok) break;
      setLatest(outcome.value);
      if (outcome.value.busy) await wait(BUSY_WAIT_MS);
      else if (outcome.value.status !== 'running') break;
      // HubSpot's rate limit is used up for a few seconds: calling sooner would make no progress.
      else if (outcome.value.retryAfterMs) await wait(Math.min(outcome.value.retryAfterMs, MAX_RATE_WAIT_MS));
    }
    setSyncing(false);
  };

  const status: StatusLoad = latest
    ? { state: 'ready', value: latest }
    : statusCall.current.state === 'idle'
      ? { state: 'loading' }
      : statusCall.current;
  const problems = startCall.current.state === 'error' ? startCall.current.problems : undefined;

  return (
    <Flex direction="column" gap="small">
      <Heading>Product sync</Heading>
      <Text>
        Copies billwerk’s plan variants, components and discounts of every entity into the HubSpot product library.
        Hidden items are removed from the library; line items already on deals stay. It also runs every 12 hours when a
        scheduler is set up.
      </Text>
      <StatusView status={status} />
      {problems && (
        <Alert title="The product sync could not run" variant="error" testId="product-sync-error">
          {problems.map(describeProblem).join('\n')}
        </Alert>
      )}
      <LoadingButton loading={syncing} onClick={() => void startSync()} testId="start-product-sync">
        Start sync of products
      </LoadingButton>
    </Flex>
  );
}

function freshness(report: ProductSyncReport): { variant: 'success' | 'warning' | 'info'; text: string } {
  if (report.upToDate) return { variant: 'success', text: 'Up to date' };
  if (report.status === 'running') return { variant: 'info', text: 'In progress' };
  return { variant: 'warning', text: 'Out of date' };
}

function StatusView({ status }: { status: StatusLoad }) {
  if (status.state === 'loading')
    return <LoadingSpinner label="Loading the last product sync..." testId="product-sync-loading" />;
  if (status.state === 'error') {
    return (
      <Alert title="The product sync status could not be loaded" variant="error" testId="product-sync-status-error">
        {status.problems.map(describeProblem).join('\n')}
      </Alert>
    );
  }
  const report = status.value;
  const tag = freshness(report);
  const left: string[] = [];
  if (report.status === 'running' && report.left !== undefined)
    left.push(`${plural(report.left, 'item')} left to check`);
  if (report.status === 'running' && report.left === undefined)
    left.push('the rest of the catalog is still to be read');
  if (report.pendingChanges > 0)
    left.push(`${plural(report.pendingChanges, 'billwerk catalog change')} waiting to be written`);
  if (report.fullRunNeeded) left.push('billwerk changed many items at once: start a sync to bring them all over');
  return (
    <Flex direction="column" gap="small">
      <Flex gap="small" align="center">
        <StatusTag variant={tag.variant} testId="product-sync-freshness">
          {tag.text}
        </StatusTag>
        <Text testId="product-sync-last-complete">
          {report.lastCompleteAt
            ? `Last complete sync: ${formatTime(report.lastCompleteAt)}`
            : 'Products have never been synchronized completely.'}
        </Text>
      </Flex>
      {report.status !== 'never' && (
        <ProgressBar
          testId="product-sync-progress"
          title={
            report.status === 'running'
              ? report.busy
                ? 'Synchronizing products (running in another call)'
                : 'Synchronizing products'
              : 'Last run'
          }
          value={report.synced}
          maxValue={Math.max(1, report.total ?? report.synced)}
          valueDescription={progressText(report)}
        />
      )}
      {left.length > 0 && <Text testId="product-sync-remaining">{`Left: ${left.join('; ')}.`}</Text>}
      {report.message && <Text testId="product-sync-message">{report.message}</Text>}
      {report.stale && report.status !== 'running' && (
        <Alert title="Products may be out of date" variant="warning" testId="product-sync-stale">
          {report.lastCompleteAt
            ? `The last complete product sync finished more than 12 hours ago (${formatTime(report.lastCompleteAt)}). Start a sync, and check that the scheduler calls the product sync endpoint.`
            : 'Start the sync of products so reps can add billwerk products to deals.'}
        </Alert>
      )}
      {report.status !== 'never' && (
        <DescriptionList direction="row" testId="product-sync-summary">
          <DescriptionListItem label="Run">{`${formatTime(report.finishedAt ?? report.startedAt)} (${report.trigger ? TRIGGER_LABELS[report.trigger] : ''}${report.status === 'running' ? ', in progress' : ''})`}</DescriptionListItem>
          <DescriptionListItem label="Created">{String(report.created)}</DescriptionListItem>
          <DescriptionListItem label="Updated">{String(report.updated)}</DescriptionListItem>
          <DescriptionListItem label="Archived">{String(report.archived)}</DescriptionListItem>
          <DescriptionListItem label="Unchanged">{String(report.unchanged)}</DescriptionListItem>
          <DescriptionListItem label="Errors">{String(report.errors)}</DescriptionListItem>
        </DescriptionList>
      )}
      {report.errorItems.length > 0 && (
        <Alert
          title={`${plural(report.errors, 'item')} could not be synchronized`}
          variant="error"
          testId="product-sync-run-errors"
        >
          {report.errorItems.map((e) => `${e.label}: ${e.message}`).join('\n')}
        </Alert>
      )}
    </Flex>
  );
}

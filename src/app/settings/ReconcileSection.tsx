import { useState } from 'react';
import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  LoadingButton,
  LoadingSpinner,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { describeProblem, type Loadable } from './serverless.js';
import { FUNCTIONS } from './types.js';
import { useFunction } from './useFunction.js';
import { formatTime } from './ProductSyncSection.js';

/**
 * Settings section "Reconciliation": runs the sweep that brings every deal's billing state and every
 * changed, linked company and contact in line with billwerk (the guarantee behind the webhooks), shows
 * its progress and the last complete sweep. Reply shapes mirror src/core/events/reconcileState.ts
 * (this folder cannot import src/core); test/settings/ReconcileSection.test.tsx keeps them in step.
 * Calls go through the page's one hook (./useFunction.ts) with the uid of FUNCTIONS (./types.ts).
 */

export type ReconcilePhase = 'deals' | 'companies' | 'contacts' | 'done';

export interface ReconcileRun {
  trigger: 'scheduler' | 'settings';
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  phase: ReconcilePhase;
  cursor: string;
  customersChangedSince: string;
  checked: number;
  changed: number;
  failed: number;
}

export interface ReconcileStatus {
  complete: boolean;
  state: { current?: ReconcileRun; lastComplete?: ReconcileRun };
  stale: boolean;
}

/** Each call is one time-boxed slice; stop asking after this many (the scheduler finishes the rest). */
const MAX_SLICES = 200;

const PHASE_LABELS: Record<ReconcilePhase, string> = {
  deals: 'checking deals against their billwerk contracts',
  companies: 'sending changed companies to billwerk',
  contacts: 'sending changed contacts to billwerk',
  done: 'done',
};

export function ReconcileSection() {
  const statusCall = useFunction<ReconcileStatus>(FUNCTIONS.reconcile, { onMount: { action: 'status' } });
  const runCall = useFunction<ReconcileStatus>(FUNCTIONS.reconcile);
  // The status the last slice answered with: newer than the one read when the page opened.
  const [latest, setLatest] = useState<ReconcileStatus | undefined>();
  const [running, setRunning] = useState(false);

  const start = async () => {
    setRunning(true);
    for (let slice = 0; slice < MAX_SLICES; slice++) {
      const outcome = await runCall.run({ action: 'run' });
      // null: the page is gone (the button is busy, so no newer run can start meanwhile).
      if (!outcome) return;
      if (!outcome.ok) break;
      setLatest(outcome.value);
      if (outcome.value.complete) break;
    }
    setRunning(false);
  };

  const loaded = statusCall.current.state === 'idle' ? { state: 'loading' as const } : statusCall.current;
  const status: Loadable<ReconcileStatus> = latest ? { state: 'ready', value: latest } : loaded;
  const progress = latest && !latest.complete ? latest.state.current : undefined;
  const problems = runCall.current.state === 'error' ? runCall.current.problems : undefined;

  return (
    <Flex direction="column" gap="small">
      <Heading>Reconciliation</Heading>
      <Text>
        Webhooks keep deals, companies and contacts current within seconds; the reconciliation catches whatever a
        webhook missed: it reads every deal’s billwerk contract and sends every company and contact changed since the
        last sweep to billwerk.
      </Text>
      <StatusView status={status} />
      {running && (
        <Text testId="reconcile-progress">
          {progress
            ? `Running: ${PHASE_LABELS[progress.phase]} (${progress.checked} records checked, ${progress.changed} updated)`
            : 'Starting…'}
        </Text>
      )}
      {problems && (
        <Alert title="The reconciliation could not run" variant="error" testId="reconcile-error">
          {problems.map(describeProblem).join('\n')}
        </Alert>
      )}
      <LoadingButton loading={running} onClick={() => void start()} testId="start-reconcile">
        Run reconciliation
      </LoadingButton>
    </Flex>
  );
}

function StatusView({ status }: { status: Loadable<ReconcileStatus> }) {
  if (status.state === 'loading')
    return <LoadingSpinner label="Loading the last reconciliation..." testId="reconcile-loading" />;
  if (status.state === 'error') {
    return (
      <Alert title="The reconciliation status could not be loaded" variant="error" testId="reconcile-status-error">
        {status.problems.map(describeProblem).join('\n')}
      </Alert>
    );
  }
  const { state, stale } = status.value;
  const last = state.lastComplete;
  return (
    <Flex direction="column" gap="small">
      <Flex gap="small" align="center">
        <StatusTag variant={stale ? 'warning' : 'success'} testId="reconcile-freshness">
          {stale ? 'Overdue' : 'Up to date'}
        </StatusTag>
        <Text testId="reconcile-last-complete">
          {last?.finishedAt
            ? `Last complete sweep: ${formatTime(last.finishedAt)}`
            : 'No reconciliation has completed yet.'}
        </Text>
      </Flex>
      {stale && (
        <Alert title="No reconciliation in the last 24 hours" variant="warning" testId="reconcile-stale">
          Run it here, and check that the scheduler calls the reconciliation endpoint (README, “Scheduling the
          reconciliation”).
        </Alert>
      )}
      {state.current && (
        <Text testId="reconcile-unfinished">{`A sweep is in progress: ${PHASE_LABELS[state.current.phase]}, ${state.current.checked} records checked so far.`}</Text>
      )}
      {last && (
        <DescriptionList direction="row" testId="reconcile-summary">
          <DescriptionListItem label="Checked">{String(last.checked)}</DescriptionListItem>
          <DescriptionListItem label="Updated">{String(last.changed)}</DescriptionListItem>
          <DescriptionListItem label="Failed">{String(last.failed)}</DescriptionListItem>
        </DescriptionList>
      )}
      {last && last.failed > 0 && (
        <Text testId="reconcile-failed">
          The failed records show the reason on their card (billwerk sync error); the next sweep tries them again.
        </Text>
      )}
    </Flex>
  );
}

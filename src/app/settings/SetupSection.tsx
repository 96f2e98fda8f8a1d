import { Alert, Flex, Heading, List, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { describeProblem, type Problem } from './serverless.js';
import type { SettingsStatus, SetupReport } from './types.js';

export type SetupRun =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'failed'; problems: Problem[] }
  | { state: 'done'; report: SetupReport };

interface Props {
  setup: SettingsStatus['setup'];
  run: SetupRun;
  onRun: () => void;
}

/** Whether the connector's HubSpot properties exist as they should, and the button that makes it so. */
export function SetupSection({ setup, run, onRun }: Props) {
  const needed = setup.state === 'needed';
  return (
    <Flex direction="column" gap="small">
      <Heading>HubSpot properties</Heading>
      <Flex gap="small" align="center">
        <StatusTag variant={needed ? 'warning' : 'success'} testId="setup-state">
          {needed ? 'Setup needed' : 'Setup complete'}
        </StatusTag>
        <Text>
          {needed
            ? `${setup.pending.length} change${setup.pending.length === 1 ? '' : 's'} to make in HubSpot.`
            : 'Every property group, property and option of the connector exists.'}
        </Text>
      </Flex>
      {needed && (
        <List testId="setup-pending">
          {setup.pending.slice(0, 10).map((item) => (
            <Text key={item}>{item}</Text>
          ))}
          {setup.pending.length > 10 ? <Text>… and {setup.pending.length - 10} more</Text> : null}
        </List>
      )}
      {setup.conflicts.length > 0 && (
        <Alert title="Properties setup cannot fix" variant="warning" testId="setup-conflicts">
          {setup.conflicts.map((c) => `${c.item}: ${c.message}`).join('\n')}
        </Alert>
      )}
      {setup.notes.length > 0 && (
        <Alert title="Left as they are" variant="info" testId="setup-notes">
          {setup.notes.join('\n')}
        </Alert>
      )}
      {run.state === 'failed' && (
        <Alert title="Setup failed" variant="error" testId="setup-error">
          {run.problems.map(describeProblem).join('\n')}
        </Alert>
      )}
      {run.state === 'done' && (
        <Alert title="Setup finished" variant="success" testId="setup-result">
          {`Created ${run.report.created.length}, updated ${run.report.updated.length}, unchanged ${run.report.unchanged.length}, conflicts ${run.report.conflicts.length}.`}
        </Alert>
      )}
      <LoadingButton
        loading={run.state === 'running'}
        onClick={onRun}
        variant={needed ? 'primary' : 'secondary'}
        testId="run-setup"
      >
        Run setup
      </LoadingButton>
    </Flex>
  );
}

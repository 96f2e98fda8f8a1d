import { useCallback, useEffect, useState } from 'react';
import { Alert, Divider, Flex, LoadingSpinner, Text, hubspot, type ExtensionPointApiActions, type SettingsContext } from '@hubspot/ui-extensions';
import { ConnectionSection } from './ConnectionSection.js';
import { MappingsSection } from './MappingsSection.js';
import { ProductSyncSection } from './ProductSyncSection.js';
import { ReconcileSection } from './ReconcileSection.js';
import { callFunction, describeProblem, toLoadable, type Loadable, type Problem } from './serverless.js';
import { SetupSection, type SetupRun } from './SetupSection.js';
import { FUNCTIONS, type ConnectionReport, type CustomFieldMapping, type SettingsStatus, type SetupReport } from './types.js';

interface SettingsPageProps {
  context: SettingsContext;
  actions: ExtensionPointApiActions<'settings'>;
}

hubspot.extend<'settings'>(({ context, actions }: SettingsPageProps) => <SettingsPage context={context} actions={actions} />);

/**
 * The connector's settings page: connection per entity, setup of HubSpot properties, product sync
 * (ProductSyncSection, owned by the product sync), custom mappings.
 * Status and connection load separately, so a slow billwerk never hides the rest.
 */
export function SettingsPage(_props: SettingsPageProps) {
  const [status, setStatus] = useState<Loadable<SettingsStatus>>({ state: 'loading' });
  const [connection, setConnection] = useState<Loadable<ConnectionReport>>({ state: 'loading' });
  const [setupRun, setSetupRun] = useState<SetupRun>({ state: 'idle' });

  const loadStatus = useCallback(async () => {
    const outcome = await callFunction<SettingsStatus>(FUNCTIONS.status);
    setStatus(toLoadable(outcome));
  }, []);

  const checkConnection = useCallback(async () => {
    setConnection({ state: 'loading' });
    const outcome = await callFunction<ConnectionReport>(FUNCTIONS.connection);
    setConnection(toLoadable(outcome));
  }, []);

  useEffect(() => {
    // Both start in `loading`; state is set only in the promise callbacks (react-hooks rule).
    let current = true;
    callFunction<SettingsStatus>(FUNCTIONS.status).then((outcome) => {
      if (current) setStatus(toLoadable(outcome));
    });
    callFunction<ConnectionReport>(FUNCTIONS.connection).then((outcome) => {
      if (current) setConnection(toLoadable(outcome));
    });
    return () => {
      current = false;
    };
  }, []);

  const runSetup = async () => {
    setSetupRun({ state: 'running' });
    const outcome = await callFunction<SetupReport>(FUNCTIONS.setup);
    setSetupRun(outcome.ok ? { state: 'done', report: outcome.value } : { state: 'failed', problems: outcome.problems });
    if (outcome.ok) await loadStatus();
  };

  const saveMapping = async (action: 'add' | 'remove', mapping: CustomFieldMapping): Promise<Problem[]> => {
    const outcome = await callFunction<CustomFieldMapping[]>(FUNCTIONS.mappings, { action, mapping: { ...mapping } });
    if (!outcome.ok) return outcome.problems;
    setStatus((current) => (current.state === 'ready' ? { state: 'ready', value: { ...current.value, mappings: outcome.value } } : current));
    return [];
  };

  if (status.state === 'loading') return <LoadingSpinner label="Loading the connector settings..." testId="settings-loading" />;
  if (status.state === 'error') {
    return (
      <Alert title="The connector settings could not be loaded" variant="error" testId="settings-error">
        {status.problems.map(describeProblem).join('\n')}
      </Alert>
    );
  }

  return (
    <Flex direction="column" gap="medium">
      <Text>Connects this HubSpot portal with billwerk. Credentials are set as app secrets with the HubSpot CLI (hs secret add); this page never shows them.</Text>
      <ConnectionSection billwerk={status.value.billwerk} connection={connection} onCheck={() => void checkConnection()} />
      <Divider />
      <SetupSection setup={status.value.setup} run={setupRun} onRun={() => void runSetup()} />
      <Divider />
      <ProductSyncSection />
      <Divider />
      <ReconcileSection />
      <Divider />
      <MappingsSection status={status.value} onSave={saveMapping} />
    </Flex>
  );
}

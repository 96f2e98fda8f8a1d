import { useState } from 'react';
import {
  Alert,
  Divider,
  Flex,
  LoadingSpinner,
  Text,
  hubspot,
  type ExtensionPointApiActions,
  type SettingsContext,
} from '@hubspot/ui-extensions';
import { ConnectionSection } from './ConnectionSection.js';
import { MappingsSection } from './MappingsSection.js';
import { ProductSyncSection } from './ProductSyncSection.js';
import { ReconcileSection } from './ReconcileSection.js';
import { describeProblem, type Loadable, type Problem } from './serverless.js';
import { SetupSection, type SetupRun } from './SetupSection.js';
import {
  FUNCTIONS,
  type ConnectionReport,
  type CustomFieldMapping,
  type SettingsStatus,
  type SetupReport,
} from './types.js';
import { useFunction, type FunctionState } from './useFunction.js';

interface SettingsPageProps {
  context: SettingsContext;
  actions: ExtensionPointApiActions<'settings'>;
}

hubspot.extend<'settings'>(({ context, actions }: SettingsPageProps) => (
  <SettingsPage context={context} actions={actions} />
));

/**
 * The connector's settings page: connection per entity, setup of HubSpot properties, product sync
 * (ProductSyncSection, owned by the product sync), custom mappings.
 * Status and connection load separately, so a slow billwerk never hides the rest.
 */
export function SettingsPage(_props: SettingsPageProps) {
  const statusCall = useFunction<SettingsStatus>(FUNCTIONS.status, { onMount: {} });
  // Read again after a setup run; the page keeps showing the first status until that answer is there.
  const statusReload = useFunction<SettingsStatus>(FUNCTIONS.status);
  const connectionCall = useFunction<ConnectionReport>(FUNCTIONS.connection, { onMount: {} });
  const setupCall = useFunction<SetupReport>(FUNCTIONS.setup);
  const mappingsCall = useFunction<CustomFieldMapping[]>(FUNCTIONS.mappings);
  // The mappings a save answered with are newer than the status read at open.
  const [savedMappings, setSavedMappings] = useState<CustomFieldMapping[] | null>(null);

  const runSetup = async () => {
    const outcome = await setupCall.run();
    if (outcome?.ok) {
      setSavedMappings(null);
      await statusReload.run();
    }
  };

  const saveMapping = async (
    action: 'add' | 'remove',
    mapping: CustomFieldMapping,
    confirmUnknownField = false,
  ): Promise<Problem[]> => {
    const { unverified: _flag, ...plain } = mapping;
    const outcome = await mappingsCall.run({
      action,
      mapping: { ...plain },
      ...(confirmUnknownField ? { confirmUnknownField: true } : {}),
    });
    if (!outcome) return [];
    if (!outcome.ok) return outcome.problems;
    setSavedMappings(outcome.value);
    return [];
  };

  const loaded = statusReload.current.state === 'ready' ? statusReload.current : statusCall.current;
  const status: Loadable<SettingsStatus> =
    loaded.state === 'ready' && savedMappings
      ? { state: 'ready', value: { ...loaded.value, mappings: savedMappings } }
      : loaded.state === 'idle'
        ? { state: 'loading' }
        : loaded;
  const connection: Loadable<ConnectionReport> =
    connectionCall.current.state === 'idle' ? { state: 'loading' } : connectionCall.current;
  const setupRun: SetupRun = toSetupRun(setupCall.current);

  if (status.state === 'loading')
    return <LoadingSpinner label="Loading the connector settings..." testId="settings-loading" />;
  if (status.state === 'error') {
    return (
      <Alert title="The connector settings could not be loaded" variant="error" testId="settings-error">
        {status.problems.map(describeProblem).join('\n')}
      </Alert>
    );
  }

  return (
    <Flex direction="column" gap="medium">
      <Text>
        Connects this HubSpot portal with billwerk. Credentials are set as app secrets with the HubSpot CLI (hs secret
        add); this page never shows them.
      </Text>
      <ConnectionSection
        billwerk={status.value.billwerk}
        connection={connection}
        onCheck={() => void connectionCall.run()}
      />
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

function toSetupRun(call: FunctionState<SetupReport>): SetupRun {
  if (call.state === 'idle') return { state: 'idle' };
  if (call.state === 'loading') return { state: 'running' };
  if (call.state === 'error') return { state: 'failed', problems: call.problems };
  return { state: 'done', report: call.value };
}

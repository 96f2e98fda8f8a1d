import {
  Alert,
  Button,
  Flex,
  Heading,
  LoadingSpinner,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { describeProblem, type Loadable } from './serverless.js';
import type { ConnectionReport, SettingsStatus } from './types.js';

interface Props {
  billwerk: SettingsStatus['billwerk'];
  connection: Loadable<ConnectionReport>;
  onCheck: () => void;
}

/** billwerk environment, and per entity whether billwerk accepts the connector. */
export function ConnectionSection({ billwerk, connection, onCheck }: Props) {
  return (
    <Flex direction="column" gap="small">
      <Heading>Connection</Heading>
      <Text testId="billwerk-base-url">
        billwerk {billwerk.environment === 'sandbox' ? 'sandbox' : 'production'}: {billwerk.baseUrl}
      </Text>
      {connection.state === 'loading' && (
        <LoadingSpinner label="Checking the connection to billwerk..." testId="connection-loading" />
      )}
      {connection.state === 'error' && (
        <Alert title="The connection could not be checked" variant="error" testId="connection-error">
          {connection.problems.map(describeProblem).join('\n')}
        </Alert>
      )}
      {connection.state === 'ready' && (
        <>
          <Table testId="connection-table">
            <TableHead>
              <TableRow>
                <TableHeader>Entity</TableHeader>
                <TableHeader>Status</TableHeader>
                <TableHeader>Details</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {connection.value.entities.map((entity) => (
                <TableRow key={entity.entityId}>
                  <TableCell>{entity.entityName}</TableCell>
                  <TableCell>
                    <StatusTag
                      variant={entity.ok ? 'success' : 'danger'}
                      testId={`connection-status-${entity.entityId}`}
                    >
                      {entity.ok ? 'Connected' : entity.reachable ? 'Refused' : 'Unreachable'}
                    </StatusTag>
                  </TableCell>
                  <TableCell>{entity.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text testId="hubspot-connection">HubSpot: {connection.value.hubspot.message}</Text>
        </>
      )}
      <Button onClick={onCheck} disabled={connection.state === 'loading'} testId="check-connection">
        Check again
      </Button>
    </Flex>
  );
}

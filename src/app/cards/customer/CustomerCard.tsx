import React, { useState } from 'react';
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  Select,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { useCrmProperties } from '@hubspot/ui-extensions/crm';
import { BillwerkIdLink } from '../shared/billwerkLinks.js';
import { FUNCTIONS } from '../shared/functions.js';
import { describeProblem, type Problem } from '../shared/serverless.js';
import { useFunction } from '../shared/useFunction.js';
import { CUSTOMER_PROPERTIES, CUSTOMER_SYNC_VALUES, DISPATCH_PROPERTIES } from '../shared/properties.js';
import { useEntities, type EntitiesState } from './useEntities.js';
import {
  RECORD_WORD,
  type CustomerObjectType,
  type EntitiesReply,
  type SetEntityReply,
  type SyncReply,
} from './types.js';

export interface CardActions {
  refreshObjectProperties: () => void;
}

export interface CustomerCardProps {
  objectType: CustomerObjectType;
  objectId: string;
  actions: CardActions;
  /** Extra section under the customer link (the company card's dispatch mode form). */
  extra?: (props: {
    properties: Record<string, string | null>;
    entities: EntitiesReply;
    onSaved: () => Promise<void>;
  }) => React.ReactNode;
}

const PROPERTY_NAMES = [...Object.values(CUSTOMER_PROPERTIES), ...Object.values(DISPATCH_PROPERTIES)];

type Feedback =
  { kind: 'success' | 'info'; message: string } | { kind: 'problems'; title: string; problems: Problem[] } | null;

/** Company/contact sidebar: billwerk customer link, sync status, Sync now, entity picker. */
export function CustomerCard({ objectType, objectId, actions, extra }: CustomerCardProps) {
  const crm = useCrmProperties(PROPERTY_NAMES);
  const entities = useEntities();
  const [feedback, setFeedback] = useState<Feedback>(null);

  if (crm.isLoading || entities.kind === 'loading')
    return <LoadingSpinner label="Loading billwerk customer…" testId="customer-loading" />;
  if (crm.error)
    return (
      <ErrorState title="The billwerk customer cannot be shown" testId="customer-error">
        <Text>Reload the page to try again. ({crm.error.message})</Text>
      </ErrorState>
    );
  if (entities.kind === 'error')
    return (
      <ErrorState title="The connector is not reachable" testId="customer-error">
        <Text>{entities.message}</Text>
      </ErrorState>
    );

  const refresh = async () => {
    actions.refreshObjectProperties();
    await crm.refetch();
  };
  const props = crm.properties;
  return (
    <Flex direction="column" gap="sm">
      <CustomerLink properties={props} entities={entities} />
      <SyncStatus
        objectType={objectType}
        objectId={objectId}
        properties={props}
        onDone={refresh}
        setFeedback={setFeedback}
      />
      <FeedbackAlert feedback={feedback} shownAbove={props[CUSTOMER_PROPERTIES.syncError] ?? ''} />
      <Divider />
      <EntityPicker
        objectType={objectType}
        objectId={objectId}
        properties={props}
        entities={entities.value}
        onDone={refresh}
        setFeedback={setFeedback}
      />
      {extra ? (
        <>
          <Divider />
          {extra({ properties: props, entities: entities.value, onSaved: refresh })}
        </>
      ) : null}
    </Flex>
  );
}

function entityName(entities: EntitiesState, id: string | null | undefined): string {
  if (entities.kind !== 'ready') return id ?? '';
  if (!id) return entities.value.entities[0]?.name ?? '—';
  return entities.value.entities.find((e) => e.id === id)?.name ?? `${id} (not configured)`;
}

/** Stacked (column), not side by side: a 24-character billwerk id would not fit the sidebar's width. */
function CustomerLink({
  properties,
  entities,
}: {
  properties: Record<string, string | null>;
  entities: EntitiesState;
}) {
  const customerId = properties[CUSTOMER_PROPERTIES.customerId];
  const webAppUrl = entities.kind === 'ready' ? entities.value.webAppUrl : undefined;
  return (
    <DescriptionList direction="column" testId="customer-facts">
      <DescriptionListItem label="billwerk customer">
        {customerId ? (
          <BillwerkIdLink kind="customer" id={customerId} webAppUrl={webAppUrl} testId="customer-id" />
        ) : (
          <Text testId="customer-id">Not linked yet</Text>
        )}
      </DescriptionListItem>
      <DescriptionListItem label="Entity">
        <Text testId="customer-entity">{entityName(entities, properties[CUSTOMER_PROPERTIES.entity])}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}

interface ActionProps {
  objectType: CustomerObjectType;
  objectId: string;
  properties: Record<string, string | null>;
  onDone: () => Promise<void>;
  setFeedback: (feedback: Feedback) => void;
}

function SyncStatus({ objectType, objectId, properties, onDone, setFeedback }: ActionProps) {
  const sync = useFunction<SyncReply>(FUNCTIONS.syncCustomer);
  const busy = sync.current.state === 'loading';
  const linked = Boolean(properties[CUSTOMER_PROPERTIES.customerId]);
  const status = properties[CUSTOMER_PROPERTIES.syncStatus];
  const error = properties[CUSTOMER_PROPERTIES.syncError];

  const syncNow = async () => {
    setFeedback(null);
    const outcome = await sync.run({ objectType, objectId });
    if (!outcome) return;
    if (!outcome.ok)
      setFeedback({ kind: 'problems', title: 'billwerk customer not updated', problems: outcome.problems });
    else if (outcome.value.status === 'not-linked')
      setFeedback({
        kind: 'info',
        message: `This ${RECORD_WORD[objectType].one} is not linked to a billwerk customer yet.`,
      });
    else
      setFeedback({
        kind: 'success',
        message: outcome.value.changed ? 'Updated customer in billwerk.' : 'billwerk already had these details.',
      });
    await onDone();
  };

  if (!linked) {
    return (
      <Text testId="customer-unlinked">
        Not linked to a billwerk customer yet. The customer is created when a signup deal with this{' '}
        {RECORD_WORD[objectType].one} is applied in billwerk; changes sync automatically afterwards.
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'demibold' }}>billwerk sync</Text>
        {status === CUSTOMER_SYNC_VALUES.succeeded ? (
          <StatusTag variant="success" testId="sync-status">
            Successfully updated in billwerk
          </StatusTag>
        ) : null}
        {status === CUSTOMER_SYNC_VALUES.failed ? (
          <StatusTag variant="danger" testId="sync-status">
            Update failed
          </StatusTag>
        ) : null}
        {!status ? (
          <StatusTag variant="default" testId="sync-status">
            Not synced yet
          </StatusTag>
        ) : null}
      </Flex>
      {status === CUSTOMER_SYNC_VALUES.failed ? (
        <Alert title="The last update did not reach billwerk" variant="danger" testId="sync-error-alert">
          {error ? <Text testId="sync-error">{error}</Text> : null}
          <Text variant="microcopy">
            Fix what is named here, then click Sync now (the next change of this {RECORD_WORD[objectType].one} sends
            everything again, too).
          </Text>
        </Alert>
      ) : null}
      <Button testId="sync-now" onClick={() => void syncNow()} disabled={busy}>
        {busy ? 'Syncing…' : 'Sync now'}
      </Button>
    </Flex>
  );
}

function EntityPicker({
  objectType,
  objectId,
  properties,
  entities,
  onDone,
  setFeedback,
}: ActionProps & { entities: EntitiesReply }) {
  const current = properties[CUSTOMER_PROPERTIES.entity] ?? '';
  const [chosen, setChosen] = useState<string>(current);
  const [refusal, setRefusal] = useState<Problem[] | null>(null);
  const setEntity = useFunction<SetEntityReply>(FUNCTIONS.setEntity);
  const busy = setEntity.current.state === 'loading';
  if (entities.entities.length < 2 && !current) return null; // single-entity account: nothing to pick
  // set_entity refuses another entity for a linked record: say so up front instead of after a click.
  const linkedTo = properties[CUSTOMER_PROPERTIES.customerId];
  const currentName = entities.entities.find((e) => e.id === current)?.name ?? entities.entities[0]?.name ?? current;

  const save = async (includeAssociated: boolean) => {
    setFeedback(null);
    const outcome = await setEntity.run({ objectType, objectId, entityId: chosen, includeAssociated });
    if (!outcome) return;
    if (outcome.ok) {
      setRefusal(null);
      const others = outcome.value.updated.filter((u) => u.objectType !== objectType).length;
      setFeedback({
        kind: 'success',
        message: `Entity set to ${outcome.value.entityName}${others ? ` (also on ${others} associated ${RECORD_WORD[objectType].other}${others > 1 ? 's' : ''})` : ''}.`,
      });
      await onDone();
    } else {
      setRefusal(outcome.problems);
    }
  };

  return (
    <Flex direction="column" gap="xs">
      <Heading>Entity</Heading>
      <Select
        testId="entity-select"
        name="entity"
        label="Entity"
        description={`The ${RECORD_WORD[objectType].one} and its ${RECORD_WORD[objectType].other} must share one entity.`}
        value={chosen}
        readOnly={Boolean(linkedTo)}
        options={entities.entities.map((e) => ({ label: e.name, value: e.id }))}
        onChange={(value) => {
          setChosen(String(value));
          setRefusal(null);
        }}
      />
      <Button
        testId="entity-save"
        onClick={() => void save(false)}
        disabled={busy || Boolean(linkedTo) || !chosen || chosen === current}
      >
        {busy ? 'Saving…' : 'Save entity'}
      </Button>
      {linkedTo ? (
        <Text variant="microcopy" testId="entity-locked">
          Fixed: this {RECORD_WORD[objectType].one} is linked to a billwerk customer in {currentName}, and a billwerk
          customer cannot move to another entity.
        </Text>
      ) : null}
      {refusal ? (
        <Alert title="Entity not changed" variant="danger" testId="entity-refusal">
          {refusal.map(describeProblem).join('\n')}
        </Alert>
      ) : null}
      {refusal && refusal.some((p) => p.field === 'Entity' && /must share one entity/.test(p.message)) ? (
        <Button testId="entity-save-both" variant="secondary" onClick={() => void save(true)} disabled={busy}>
          Change the {RECORD_WORD[objectType].other} too
        </Button>
      ) : null}
    </Flex>
  );
}

/** `shownAbove`: the sync error already on the card; problems it names are not repeated. */
export function FeedbackAlert({ feedback, shownAbove = '' }: { feedback: Feedback; shownAbove?: string }) {
  if (!feedback) return null;
  if (feedback.kind === 'problems') {
    const lines = feedback.problems.map(describeProblem).filter((line) => !shownAbove.includes(line));
    if (lines.length === 0) return null;
    return (
      <Alert title={feedback.title} variant="danger" testId="customer-feedback">
        {lines.join('\n')}
      </Alert>
    );
  }
  return (
    <Alert
      title={feedback.kind === 'success' ? 'Done' : 'Nothing to sync'}
      variant={feedback.kind === 'success' ? 'success' : 'info'}
      testId="customer-feedback"
    >
      {feedback.message}
    </Alert>
  );
}

export type { Feedback };

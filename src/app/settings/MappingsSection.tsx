import { useState } from 'react';
import {
  Alert,
  Button,
  EmptyState,
  Flex,
  Heading,
  Input,
  LoadingButton,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { describeProblem, type Problem } from './serverless.js';
import {
  OBJECT_LABELS,
  UNKNOWN_BILLWERK_FIELD,
  type CustomFieldMapping,
  type MappingObject,
  type SettingsStatus,
} from './types.js';

interface Props {
  status: Pick<SettingsStatus, 'entities' | 'mappings' | 'customFieldProperties'>;
  /** Resolves to the problems of a failed save, or none. `confirmUnknownField`: the admin chose "Save anyway". */
  onSave: (action: 'add' | 'remove', mapping: CustomFieldMapping, confirmUnknownField?: boolean) => Promise<Problem[]>;
}

const OBJECT_OPTIONS = (Object.keys(OBJECT_LABELS) as MappingObject[]).map((value) => ({
  value,
  label: OBJECT_LABELS[value],
}));

/** The guide's "Custom mappings": entity, object, HubSpot property of the custom fields group, billwerk field. */
export function MappingsSection({ status, onSave }: Props) {
  const [entityId, setEntityId] = useState(status.entities[0]?.id ?? '');
  const [object, setObject] = useState<MappingObject>('deal');
  const [hubspotProperty, setHubspotProperty] = useState('');
  const [billwerkField, setBillwerkField] = useState('');
  const [saving, setSaving] = useState<string | undefined>();
  const [problems, setProblems] = useState<Problem[]>([]);

  const properties = status.customFieldProperties[object];
  const entityName = (id: string) => status.entities.find((e) => e.id === id)?.name ?? id;
  const propertyLabel = (m: CustomFieldMapping) =>
    status.customFieldProperties[m.object].find((p) => p.name === m.hubspotProperty)?.label ?? m.hubspotProperty;

  const save = async (
    action: 'add' | 'remove',
    mapping: CustomFieldMapping,
    key: string,
    confirmUnknownField = false,
  ) => {
    setSaving(key);
    setProblems([]);
    const failed = await onSave(action, mapping, confirmUnknownField);
    setSaving(undefined);
    setProblems(failed);
    if (!failed.length && action === 'add') {
      setHubspotProperty('');
      setBillwerkField('');
    }
  };

  const canAdd = Boolean(entityId && hubspotProperty && billwerkField.trim()) && !saving;
  const draft: CustomFieldMapping = { entityId, object, hubspotProperty, billwerkField: billwerkField.trim() };
  // billwerk showed no such field: only this problem left, the admin may confirm it.
  const unknownField =
    problems.length > 0 && problems.every((p) => p.field === UNKNOWN_BILLWERK_FIELD) ? problems : undefined;

  return (
    <Flex direction="column" gap="small">
      <Heading>Custom mappings</Heading>
      <Text>
        Map properties of the group “Billwerk custom fields sync” to billwerk custom fields. Both must exist already.
        Deal properties are sent when the contract is created; later changes of a deal are not sent to billwerk.
      </Text>
      {status.mappings.length === 0 ? (
        <EmptyState title="No mappings yet" layout="horizontal" testId="mappings-empty">
          <Text>Add the first mapping below.</Text>
        </EmptyState>
      ) : (
        <Table testId="mappings-table">
          <TableHead>
            <TableRow>
              <TableHeader>Entity</TableHeader>
              <TableHeader>Object</TableHeader>
              <TableHeader>HubSpot property</TableHeader>
              <TableHeader>billwerk custom field</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {status.mappings.map((m) => {
              const key = `${m.entityId}|${m.object}|${m.hubspotProperty}|${m.billwerkField}`;
              return (
                <TableRow key={key}>
                  <TableCell>{entityName(m.entityId)}</TableCell>
                  <TableCell>{OBJECT_LABELS[m.object]}</TableCell>
                  <TableCell>{propertyLabel(m)}</TableCell>
                  <TableCell>
                    {m.billwerkField}
                    {m.unverified ? (
                      <StatusTag
                        variant="warning"
                        testId={`mapping-unverified-${m.object}-${m.hubspotProperty}-${m.entityId}`}
                      >
                        Not found in billwerk
                      </StatusTag>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <Button
                      variant="destructive"
                      disabled={Boolean(saving)}
                      onClick={() => save('remove', m, key)}
                      testId={`remove-mapping-${m.object}-${m.hubspotProperty}-${m.entityId}`}
                    >
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {unknownField ? (
        <Alert title="billwerk does not show this custom field" variant="warning" testId="mapping-unknown-field">
          {unknownField.map((p) => p.message).join('\n')}
        </Alert>
      ) : problems.length > 0 ? (
        <Alert title="The mapping was not saved" variant="error" testId="mapping-error">
          {problems.map(describeProblem).join('\n')}
        </Alert>
      ) : null}
      {unknownField ? (
        <Button
          variant="secondary"
          disabled={Boolean(saving)}
          onClick={() => save('add', draft, 'add', true)}
          testId="confirm-unknown-field"
        >
          Save anyway (the field exists in billwerk)
        </Button>
      ) : null}
      {status.mappings.some((m) => m.unverified) ? (
        <Text variant="microcopy" testId="mappings-unverified-note">
          “Not found in billwerk”: no customer or contract of that entity held the field when it was saved. Check its
          API name in billwerk › Settings › Customization › Custom Fields; values sent to a misspelt name are lost to
          billwerk.
        </Text>
      ) : null}
      <Flex gap="small" wrap="wrap" align="end">
        <Select
          label="Entity"
          name="entity"
          value={entityId}
          options={status.entities.map((e) => ({ value: e.id, label: e.name }))}
          onChange={(value) => setEntityId(String(value))}
          testId="mapping-entity"
        />
        <Select
          label="Object"
          name="object"
          value={object}
          options={OBJECT_OPTIONS}
          onChange={(value) => {
            setObject(value as MappingObject);
            setHubspotProperty('');
          }}
          testId="mapping-object"
        />
        <Select
          label="HubSpot property"
          name="hubspotProperty"
          value={hubspotProperty}
          placeholder={properties.length ? 'Choose a property' : 'No property in the group yet'}
          options={properties.map((p) => ({ value: p.name, label: p.label }))}
          onChange={(value) => setHubspotProperty(String(value))}
          testId="mapping-hubspot-property"
        />
        <Input
          label="billwerk custom field"
          name="billwerkField"
          value={billwerkField}
          placeholder="e.g. PurchaseOrderNumber"
          description="The field's API name in billwerk (Settings › Customization › Custom Fields)"
          onChange={(value) => {
            setBillwerkField(value);
            setProblems([]);
          }}
          testId="mapping-billwerk-field"
        />
        <LoadingButton
          loading={saving === 'add'}
          disabled={!canAdd}
          onClick={() => save('add', draft, 'add')}
          testId="add-mapping"
        >
          Add mapping
        </LoadingButton>
      </Flex>
      {properties.length === 0 && (
        <Text testId="mapping-no-properties">
          Create a {object === 'deal' ? 'deal' : 'company'} property in the group “Billwerk custom fields sync” first
          (Settings › Properties in HubSpot), then reload this page.
        </Text>
      )}
    </Flex>
  );
}

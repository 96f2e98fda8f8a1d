import { useState } from 'react';
import { Alert, Button, Flex, Heading, Input, Select, Text } from '@hubspot/ui-extensions';
import { FUNCTIONS } from '../shared/functions.js';
import { describeProblem, type Problem } from '../shared/serverless.js';
import { useFunction } from '../shared/useFunction.js';
import { BEARER_MEDIUM_VALUES, DISPATCH_PROPERTIES, EINVOICING_NETWORK_VALUES } from '../shared/properties.js';
import type { DispatchReply, EntitiesReply } from './types.js';

const MODE_HELP: Record<string, string> = {
  Email: 'Send invoices to the customer by email.',
  SnailMail: 'Print, envelope, stamp and forward invoices for a small fee (production accounts only).',
  ArchiveOnly: 'Offer invoices for download in the customer self-service portal.',
  EInvoicing: 'Send invoices as e-invoices via Finvoice or Peppol (must be unlocked in billwerk).',
};

/** Plain labels; billwerk's own name in brackets so admins find it in billwerk. */
const MODE_LABELS: Record<string, string> = {
  Email: 'Email',
  SnailMail: 'Postal mail (SnailMail)',
  ArchiveOnly: 'Portal download only (ArchiveOnly)',
  EInvoicing: 'E-invoice (EInvoicing)',
};

export interface DispatchModeFormProps {
  companyId: string;
  properties: Record<string, string | null>;
  entities: EntitiesReply;
  onSaved: () => Promise<void>;
}

/** The company's invoice dispatch mode; EInvoicing needs receiver id, network and buyer reference. */
export function DispatchModeForm({ companyId, properties, entities, onSaved }: DispatchModeFormProps) {
  const [mode, setMode] = useState(properties[DISPATCH_PROPERTIES.mode] ?? '');
  const [receiverId, setReceiverId] = useState(properties[DISPATCH_PROPERTIES.receiverId] ?? '');
  const [network, setNetwork] = useState(properties[DISPATCH_PROPERTIES.network] ?? '');
  const [buyerReference, setBuyerReference] = useState(properties[DISPATCH_PROPERTIES.buyerReference] ?? '');
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [problemsTitle, setProblemsTitle] = useState('Default bearer medium not saved');
  const [saved, setSaved] = useState<string | null>(null);
  const update = useFunction<DispatchReply>(FUNCTIONS.updateDispatchMode);
  const busy = update.current.state === 'loading';
  const sandbox = entities.environment === 'sandbox';
  const eInvoicing = mode === 'EInvoicing';

  // Same rules the function enforces, shown before a round trip.
  const localProblems = (): Problem[] => {
    const found: Problem[] = [];
    if (!mode) found.push({ field: 'Default bearer medium', message: 'Choose a dispatch mode.' });
    if (mode === 'SnailMail' && sandbox)
      found.push({
        field: 'Default bearer medium',
        message: 'SnailMail only works with a production billwerk account; this connector uses the billwerk sandbox.',
      });
    if (eInvoicing && !receiverId.trim())
      found.push({ field: 'E-Invoicing Receiver ID', message: 'Required for e-invoices.' });
    if (eInvoicing && !network)
      found.push({ field: 'E-Invoicing Network', message: 'Required for e-invoices: choose Finvoice or Peppol.' });
    if (eInvoicing && !buyerReference.trim())
      found.push({ field: 'Buyer Reference', message: 'Required for e-invoices.' });
    return found;
  };

  const save = async () => {
    setSaved(null);
    const local = localProblems();
    if (local.length > 0) {
      setProblems(local);
      setProblemsTitle('Default bearer medium not saved');
      return;
    }
    const outcome = await update.run({
      companyId,
      mode,
      ...(eInvoicing ? { eInvoicingReceiverId: receiverId, eInvoicingNetwork: network, buyerReference } : {}),
    });
    if (!outcome) return;
    setProblemsTitle(outcome.ok ? 'Not sent to billwerk' : 'Default bearer medium not saved');
    if (!outcome.ok) setProblems(outcome.problems);
    else {
      setProblems(outcome.value.sync.ok ? null : outcome.value.sync.problems);
      setSaved(
        !outcome.value.sync.ok
          ? 'Dispatch mode saved in HubSpot, but the billwerk customer was not updated:'
          : outcome.value.sync.value.status === 'synced'
            ? 'Dispatch mode saved and sent to billwerk.'
            : 'Dispatch mode saved; it is sent to billwerk with the signup.',
      );
      await onSaved();
    }
  };

  // Problems naming a field of this form are shown beside it; the rest in the alert below.
  const FIELDS = ['Default bearer medium', 'E-Invoicing Receiver ID', 'E-Invoicing Network', 'Buyer Reference'];
  const fieldProblem = (label: string) =>
    problems
      ?.filter((p) => p.field === label)
      .map((p) => p.message)
      .join(' ') || undefined;
  const otherProblems = problems?.filter((p) => !p.field || !FIELDS.includes(p.field)) ?? [];
  const besideField = (label: string) => {
    const message = fieldProblem(label);
    return message ? { error: true, validationMessage: message } : {};
  };

  const modeOptions = BEARER_MEDIUM_VALUES.map((value) => ({
    value,
    label: value === 'SnailMail' && sandbox ? `${MODE_LABELS[value]} – production only` : (MODE_LABELS[value] ?? value),
  }));
  return (
    <Flex direction="column" gap="xs">
      <Heading>Invoice dispatch</Heading>
      <Select
        testId="dispatch-mode"
        name="mode"
        label="Default bearer medium"
        value={mode}
        options={modeOptions}
        description={mode ? MODE_HELP[mode] : 'How billwerk sends invoices to this customer.'}
        {...besideField('Default bearer medium')}
        onChange={(value) => {
          setMode(String(value));
          setProblems(null);
        }}
      />
      {eInvoicing ? (
        <>
          <Input
            testId="einvoicing-receiver-id"
            name="receiverId"
            label="E-Invoicing Receiver ID"
            required
            value={receiverId}
            onChange={setReceiverId}
            {...besideField('E-Invoicing Receiver ID')}
          />
          <Select
            testId="einvoicing-network"
            name="network"
            label="E-Invoicing Network"
            required
            value={network}
            {...besideField('E-Invoicing Network')}
            options={EINVOICING_NETWORK_VALUES.map((value) => ({ value, label: value }))}
            onChange={(value) => setNetwork(String(value))}
          />
          <Input
            testId="einvoicing-buyer-reference"
            name="buyerReference"
            label="Buyer Reference"
            required
            value={buyerReference}
            onChange={setBuyerReference}
            {...besideField('Buyer Reference')}
          />
        </>
      ) : null}
      <Button testId="dispatch-save" onClick={() => void save()} disabled={busy}>
        {busy ? 'Saving…' : 'Save dispatch mode'}
      </Button>
      {saved ? <Text testId="dispatch-saved">{saved}</Text> : null}
      {problems && otherProblems.length > 0 ? (
        <Alert title={problemsTitle} variant="danger" testId="dispatch-problems">
          {otherProblems.map(describeProblem).join('\n')}
        </Alert>
      ) : null}
      {problems && otherProblems.length === 0 ? (
        <Text variant="microcopy" testId="dispatch-problems-beside">
          {problemsTitle}: see the fields marked above.
        </Text>
      ) : null}
    </Flex>
  );
}

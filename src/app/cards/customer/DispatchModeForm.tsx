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
  const [problemsTitle, setProblemsTitle] = useState('Dispatch mode not saved');
  const [saved, setSaved] = useState<string | null>(null);
  const update = useFunction<DispatchReply>(FUNCTIONS.updateDispatchMode);
  const busy = update.current.state === 'loading';
  const sandbox = entities.environment === 'sandbox';
  const eInvoicing = mode === 'EInvoicing';

  // Same rules the function enforces, shown before a round trip.
  const localProblems = (): Problem[] => {
    const found: Problem[] = [];
    if (!mode) found.push({ field: 'Default bearer medium', message: 'Choose a dispatch mode.' });
    if (mode === 'SnailMail' && sandbox) found.push({ field: 'Default bearer medium', message: 'SnailMail only works with a production billwerk account; this connector uses the billwerk sandbox.' });
    if (eInvoicing && !receiverId.trim()) found.push({ field: 'E-Invoicing Receiver ID', message: 'Required for e-invoices. Fill it in above.' });
    if (eInvoicing && !network) found.push({ field: 'E-Invoicing Network', message: 'Required for e-invoices. Choose Finvoice or Peppol above.' });
    if (eInvoicing && !buyerReference.trim()) found.push({ field: 'Buyer Reference', message: 'Required for e-invoices. Fill it in above.' });
    return found;
  };

  const save = async () => {
    setSaved(null);
    const local = localProblems();
    if (local.length > 0) {
      setProblems(local);
      setProblemsTitle('Dispatch mode not saved');
      return;
    }
    const outcome = await update.run({
      companyId, mode, ...(eInvoicing ? { eInvoicingReceiverId: receiverId, eInvoicingNetwork: network, buyerReference } : {}),
    });
    if (!outcome) return;
    setProblemsTitle(outcome.ok ? 'Not sent to billwerk' : 'Dispatch mode not saved');
    if (!outcome.ok) setProblems(outcome.problems);
    else {
      setProblems(outcome.value.sync.ok ? null : outcome.value.sync.problems);
      setSaved(!outcome.value.sync.ok ? 'Dispatch mode saved in HubSpot, but the billwerk customer was not updated:'
        : outcome.value.sync.value.status === 'synced' ? 'Dispatch mode saved and sent to billwerk.'
          : 'Dispatch mode saved; it is sent to billwerk with the signup.');
      await onSaved();
    }
  };

  const modeOptions = BEARER_MEDIUM_VALUES.map((value) => ({
    value, label: value === 'SnailMail' && sandbox ? `${MODE_LABELS[value]} – production only` : (MODE_LABELS[value] ?? value),
  }));
  return (
    <Flex direction="column" gap="xs">
      <Heading>Invoice dispatch</Heading>
      <Select testId="dispatch-mode" name="mode" label="Default bearer medium" value={mode} options={modeOptions}
        description={mode ? MODE_HELP[mode] : 'How billwerk sends invoices to this customer.'}
        onChange={(value) => { setMode(String(value)); setProblems(null); }} />
      {eInvoicing ? (
        <>
          <Input testId="einvoicing-receiver-id" name="receiverId" label="E-Invoicing Receiver ID" required value={receiverId} onChange={setReceiverId} />
          <Select testId="einvoicing-network" name="network" label="E-Invoicing Network" required value={network}
            options={EINVOICING_NETWORK_VALUES.map((value) => ({ value, label: value }))} onChange={(value) => setNetwork(String(value))} />
          <Input testId="einvoicing-buyer-reference" name="buyerReference" label="Buyer Reference" required value={buyerReference} onChange={setBuyerReference} />
        </>
      ) : null}
      <Button testId="dispatch-save" onClick={() => void save()} disabled={busy}>{busy ? 'Saving…' : 'Save dispatch mode'}</Button>
      {saved ? <Text testId="dispatch-saved">{saved}</Text> : null}
      {problems ? (
        <Alert title={problemsTitle} variant="danger" testId="dispatch-problems">{problems.map(describeProblem).join('\n')}</Alert>
      ) : null}
    </Flex>
  );
}

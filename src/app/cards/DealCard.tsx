import { useState } from 'react';
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  ErrorState,
  Flex,
  Heading,
  Link,
  LoadingSpinner,
  StatusTag,
  Text,
  hubspot,
  type ExtensionPointApiActions,
  type ExtensionPointApiContext,
} from '@hubspot/ui-extensions';
import { useAssociations, useCrmProperties } from '@hubspot/ui-extensions/crm';
import { useEntities } from './customer/useEntities.js';
import { BillingStatus } from './deal/BillingStatus.js';
import {
  DEAL_TYPE_LABELS,
  applyAction,
  applyFailureTitle,
  applyLabel,
  dealUrl,
  isApplied,
  isClosedWon,
  isUpgrade,
  lineItemsChangedSince,
  paymentTermIgnored,
  upgradeAction,
  validateAction,
  saysNextStep,
  validationMessageNow,
  validationState,
  type DealProperties,
} from './deal/dealState.js';
import { BillwerkIdLink } from './shared/billwerkLinks.js';
import type { ApplyReply, UpgradeDealReply, ValidateReply } from './deal/types.js';
import { DEAL_PROPERTIES as P } from './shared/properties.js';
import { FUNCTIONS } from './shared/functions.js';
import { describeProblem, type Problem } from './shared/serverless.js';
import { useFunction, type FunctionState, type UseFunction } from './shared/useFunction.js';

export interface DealCardProps {
  context: Pick<ExtensionPointApiContext<'crm.record.sidebar'>, 'crm' | 'portal'>;
  actions: Pick<ExtensionPointApiActions<'crm.record.sidebar'>, 'refreshObjectProperties'>;
}

const PROPERTY_NAMES = Object.values(P);
/** The deal's line items, only for when they last changed (compared with the last validation). */
const LINE_ITEMS = {
  toObjectType: '0-8',
  properties: ['hs_lastmodifieddate', 'hs_createdate', 'createdate'],
  pageLength: 100,
};

type Action = 'validate' | 'apply' | 'upgrade';
type Feedback =
  | null
  | { kind: 'success'; title: string; message: string }
  /** Worded from the deal as it is now: the next step changes when the deal is closed. */
  | { kind: 'validated' }
  | { kind: 'problems'; title: string; problems: Problem[] }
  | { kind: 'upgrade'; reply: UpgradeDealReply };

const FAIL_TITLES: Record<Action, string> = {
  validate: 'Validation failed',
  apply: 'Change not applied',
  upgrade: 'Up/downgrade deal not created',
};

/** Deal sidebar: billwerk deal type, validation, contract, entity; validate / apply / up-downgrade. */
export function DealCard({ context, actions }: DealCardProps) {
  const dealId = String(context.crm.objectId);
  const crm = useCrmProperties(PROPERTY_NAMES);
  const entities = useEntities();
  const lineItems = useAssociations(LINE_ITEMS);
  const calls: Record<Action, UseFunction<unknown>> = {
    validate: useFunction<ValidateReply>(FUNCTIONS.validateDeal),
    apply: useFunction<ApplyReply>(FUNCTIONS.applyDeal),
    upgrade: useFunction<UpgradeDealReply>(FUNCTIONS.createUpgradeDeal),
  };
  const [last, setLast] = useState<Action | null>(null);

  if (crm.isLoading) return <LoadingSpinner label="Loading billwerk deal…" testId="deal-loading" />;
  if (crm.error) {
    return (
      <ErrorState title="The billwerk state of this deal cannot be shown" testId="deal-error">
        <Text>Reload the page to try again. ({crm.error.message})</Text>
      </ErrorState>
    );
  }
  const p: DealProperties = crm.properties;
  const busy = (Object.keys(calls) as Action[]).find((action) => calls[action].current.state === 'loading') ?? null;

  const run = async (action: Action) => {
    setLast(action);
    const outcome = await calls[action].run({ dealId });
    // The function wrote its result onto the deal (success or the reason it failed): show it.
    if (outcome) {
      actions.refreshObjectProperties();
      await crm.refetch();
    }
  };
  const feedback = last ? toFeedback(last, calls[last].current, p) : null;

  const entityId = p[P.entity];
  const entityName =
    entities.kind === 'ready'
      ? (entities.value.entities.find((e) => e.id === entityId)?.name ??
        (entityId ? entityId : `${entities.value.entities[0]?.name ?? 'root'} (default)`))
      : entityId || 'Root entity (default)';
  const webAppUrl = entities.kind === 'ready' ? entities.value.webAppUrl : undefined;
  const lineItemsChanged =
    !lineItems.isLoading && !lineItems.error && lineItemsChangedSince(p[P.validatedAt], lineItems.results);
  const validateState = validateAction(p);
  const applyState = applyAction(p, lineItemsChanged);
  const upgradeState = upgradeAction(p);
  // Once applied nothing here can act any more: one line instead of two disabled buttons keeps the billing state in view.
  const applied = isApplied(p);

  return (
    <Flex direction="column" gap="sm">
      <DescriptionList direction="row">
        <DescriptionListItem label="Deal type">
          <Text testId="deal-type">{DEAL_TYPE_LABELS[p[P.dealType] ?? ''] ?? 'Not set'}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Entity">
          <Text testId="deal-entity">{entityName}</Text>
        </DescriptionListItem>
        {p[P.originDealId] ? (
          <DescriptionListItem label="Up/downgrade of">
            <Link testId="origin-link" href={dealUrl(context.portal.id, p[P.originDealId] ?? '')}>
              Origin deal
            </Link>
          </DescriptionListItem>
        ) : null}
        <DescriptionListItem label="billwerk contract">
          {p[P.contractId] ? (
            <BillwerkIdLink kind="contract" id={p[P.contractId] ?? ''} webAppUrl={webAppUrl} testId="deal-contract" />
          ) : (
            <Text testId="deal-contract">{isUpgrade(p) ? "The origin deal's contract" : 'None yet'}</Text>
          )}
        </DescriptionListItem>
        {p[P.customerId] ? (
          <DescriptionListItem label="billwerk customer">
            <BillwerkIdLink kind="customer" id={p[P.customerId] ?? ''} webAppUrl={webAppUrl} testId="deal-customer" />
          </DescriptionListItem>
        ) : null}
        {p[P.contractSynced] === 'false' && p[P.upgradeDealId] ? (
          <DescriptionListItem label="Contract now followed by">
            <Link testId="newer-deal-link" href={dealUrl(context.portal.id, p[P.upgradeDealId] ?? '')}>
              Newer up/downgrade deal
            </Link>
          </DescriptionListItem>
        ) : null}
      </DescriptionList>

      {isUpgrade(p) && !applied && p[P.currentContract] ? (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>The contract now</Text>
          <Text testId="current-contract">{p[P.currentContract]}</Text>
          <Text variant="microcopy">
            Add line items for what changes: a plan variant to switch plans, components with their new quantity.
          </Text>
        </Flex>
      ) : null}
      <ValidationSection properties={p} lineItemsChanged={lineItemsChanged} />
      {paymentTermIgnored(p) ? (
        <Text variant="microcopy" testId="payment-term-ignored">
          The payment term ({p[P.paymentTermDays]} days) is ignored for up/downgrades: the contract keeps its term of
          payment.
        </Text>
      ) : null}
      {p[P.syncError] && p[P.applyChange] === 'ChangeFailed' ? (
        <Alert
          title={applyFailureTitle(p[P.syncError] ?? '', isUpgrade(p)) ?? 'Last apply in billwerk failed'}
          variant="danger"
          testId="deal-sync-error"
        >
          {saysNextStep(p[P.syncError] ?? '')
            ? p[P.syncError]
            : `${p[P.syncError]} Click “${applyLabel(p, false)}” again to resume; nothing is created twice.`}
        </Alert>
      ) : null}

      {applied ? (
        <Text variant="microcopy" testId="applied-note">
          {appliedNote(p)}
        </Text>
      ) : (
        <Flex direction="column" gap="xs">
          <Button
            testId="validate"
            onClick={() => void run('validate')}
            disabled={busy !== null || !validateState.enabled}
          >
            {busy === 'validate' ? 'Validating…' : 'Request validation'}
          </Button>
          <Text variant="microcopy" testId="validate-hint">
            {validateState.hint}
          </Text>
          <Button
            testId="apply"
            variant="primary"
            onClick={() => void run('apply')}
            disabled={busy !== null || !applyState.enabled}
          >
            {applyLabel(p, busy === 'apply')}
          </Button>
          <Text variant="microcopy" testId="apply-hint">
            {applyState.hint}
          </Text>
        </Flex>
      )}

      <FeedbackAlert feedback={feedback} portalId={context.portal.id} properties={p} />

      {upgradeState ? (
        <>
          <Divider />
          <Heading>Up/downgrade</Heading>
          <Button testId="create-upgrade" onClick={() => void run('upgrade')} disabled={busy !== null}>
            {busy === 'upgrade'
              ? 'Creating…'
              : p[P.upgradeDealId]
                ? 'Open up/downgrade deal'
                : 'Create up/downgrade deal'}
          </Button>
          <Text variant="microcopy" testId="upgrade-hint">
            {upgradeState.hint}
          </Text>
          {p[P.upgradeDealId] && feedback?.kind !== 'upgrade' ? (
            <Link testId="upgrade-link" href={dealUrl(context.portal.id, p[P.upgradeDealId] ?? '')}>
              Open up/downgrade deal {p[P.upgradeDealId]}
            </Link>
          ) : null}
        </>
      ) : null}

      {p[P.contractId] ? (
        <>
          <Divider />
          <BillingStatus dealId={dealId} actions={actions} />
        </>
      ) : null}
    </Flex>
  );
}

function ValidationSection({
  properties: p,
  lineItemsChanged,
}: {
  properties: DealProperties;
  lineItemsChanged: boolean;
}) {
  const state = validationState(p);
  const tag = {
    none: (
      <StatusTag variant="default" testId="validation-status">
        Not validated
      </StatusTag>
    ),
    requested: (
      <StatusTag variant="info" testId="validation-status">
        Request validation
      </StatusTag>
    ),
    succeeded: (
      <StatusTag variant="success" testId="validation-status">
        Successfully validated
      </StatusTag>
    ),
    failed: (
      <StatusTag variant="danger" testId="validation-status">
        Validation failed
      </StatusTag>
    ),
  }[state];
  const message = validationMessageNow(p);
  const stale = lineItemsChanged && (state === 'failed' || state === 'succeeded');
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'demibold' }}>billwerk validation</Text>
        {tag}
      </Flex>
      {stale ? (
        <Alert title="Line items changed" variant="warning" testId="validation-stale">
          Line items changed since this check — request validation again.
        </Alert>
      ) : message ? (
        <Text testId="validation-message">{message}</Text>
      ) : null}
    </Flex>
  );
}

/** What the last click achieved, from its call's state and the deal as it is now. */
function toFeedback(action: Action, call: FunctionState<unknown>, p: DealProperties): Feedback {
  if (call.state === 'error') {
    const byState = action === 'apply' ? applyFailureTitle(call.problems[0]?.message ?? '', isUpgrade(p)) : undefined;
    return {
      kind: 'problems',
      title: byState ?? (action === 'apply' && isUpgrade(p) ? 'Up/downgrade not executed' : FAIL_TITLES[action]),
      problems: call.problems,
    };
  }
  if (call.state !== 'ready') return null;
  if (action === 'validate') return { kind: 'validated' };
  if (action === 'upgrade') return { kind: 'upgrade', reply: call.value as UpgradeDealReply };
  const v = call.value as ApplyReply;
  return {
    kind: 'success',
    title: v.alreadyApplied
      ? isUpgrade(p)
        ? 'Already executed'
        : 'Already applied'
      : isUpgrade(p)
        ? 'Up/downgrade executed'
        : 'Change applied',
    message: v.alreadyApplied
      ? `This deal already has billwerk contract ${v.contractId}; nothing was created again.`
      : isUpgrade(p)
        ? `billwerk changed contract ${v.contractId}. Its billing state is shown below.`
        : `billwerk created contract ${v.contractId} for customer ${v.customerId}. Its billing state is shown below.`,
  };
}

function validatedNextStep(p: DealProperties): string {
  const next = isClosedWon(p)
    ? 'Next: apply it in billwerk with the button below.'
    : 'Next: move the deal to Closed won, then apply it here.';
  return `billwerk accepted the order preview (summary above). ${next}`;
}

function appliedNote(p: DealProperties): string {
  if (p[P.contractSynced] === 'false')
    return 'Applied in billwerk. A newer up/downgrade deal now follows this contract; change it from there.';
  if (p[P.contractSynced] === 'true')
    return 'Applied in billwerk. To change this contract, create an up/downgrade deal below.';
  return 'Applied in billwerk.';
}

function FeedbackAlert({
  feedback,
  portalId,
  properties,
}: {
  feedback: Feedback;
  portalId: number;
  properties: DealProperties;
}) {
  if (!feedback) return null;
  if (feedback.kind === 'validated') {
    return (
      <Alert title="Successfully validated" variant="success" testId="deal-feedback">
        {validatedNextStep(properties)}
      </Alert>
    );
  }
  if (feedback.kind === 'problems') {
    // Problems the validation message or the sync error on the deal already show are not repeated.
    const shownAbove = `${properties[P.validationMessage] ?? ''}\n${properties[P.applyChange] === 'ChangeFailed' ? (properties[P.syncError] ?? '') : ''}`;
    const lines = feedback.problems.filter((problem) => !shownAbove.includes(problem.message)).map(describeProblem);
    if (lines.length === 0) return null;
    return (
      <Alert title={feedback.title} variant="danger" testId="deal-feedback">
        {lines.join('\n')}
      </Alert>
    );
  }
  if (feedback.kind === 'upgrade') {
    const { reply } = feedback;
    return (
      <Alert
        title={reply.reused ? 'Up/downgrade deal already open' : 'Up/downgrade deal created'}
        variant="success"
        testId="deal-feedback"
      >
        <Link testId="upgrade-link" href={dealUrl(portalId, reply.dealId)}>
          {reply.dealName}
        </Link>
      </Alert>
    );
  }
  return (
    <Alert title={feedback.title} variant="success" testId="deal-feedback">
      {feedback.message}
    </Alert>
  );
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <DealCard context={context} actions={actions} />);

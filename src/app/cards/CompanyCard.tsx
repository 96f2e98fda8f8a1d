import { hubspot, type ExtensionPointApiActions, type ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { CustomerCard } from './customer/CustomerCard.js';
import { DispatchModeForm } from './customer/DispatchModeForm.js';

export interface CompanyCardProps {
  context: ExtensionPointApiContext<'crm.record.sidebar'>;
  actions: Pick<ExtensionPointApiActions<'crm.record.sidebar'>, 'refreshObjectProperties'>;
}

/** Company sidebar: billwerk customer link, sync status, Sync now, entity picker, invoice dispatch mode. */
export function CompanyCard({ context, actions }: CompanyCardProps) {
  const companyId = String(context.crm.objectId);
  return (
    <CustomerCard
      objectType="companies"
      objectId={companyId}
      actions={actions}
      extra={(props) => <DispatchModeForm companyId={companyId} {...props} />}
    />
  );
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <CompanyCard context={context} actions={actions} />);

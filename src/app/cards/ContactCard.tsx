import { hubspot, type ExtensionPointApiActions, type ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { CustomerCard } from './customer/CustomerCard.js';

export interface ContactCardProps {
  context: ExtensionPointApiContext<'crm.record.sidebar'>;
  actions: Pick<ExtensionPointApiActions<'crm.record.sidebar'>, 'refreshObjectProperties'>;
}

/** Contact sidebar: billwerk customer link, sync status, Sync now and entity picker. */
export function ContactCard({ context, actions }: ContactCardProps) {
  return <CustomerCard objectType="contacts" objectId={String(context.crm.objectId)} actions={actions} />;
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <ContactCard context={context} actions={actions} />);

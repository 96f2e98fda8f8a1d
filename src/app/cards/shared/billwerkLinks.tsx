import { Link, Text } from '@hubspot/ui-extensions';

/**
 * Pages of billwerk's web app for a customer and a contract. billwerk's web app uses hash routes
 * (its own examples link `https://sandbox.billwerk.com/#/products` and `#/settings/self-service`);
 * the record routes below follow that pattern and are not confirmed by a billwerk document
 * (docs/deal-flow.md, "Links to billwerk") — one place to correct them.
 */
export const BILLWERK_PAGES = {
  customer: (webAppUrl: string, id: string) => `${webAppUrl.replace(/\/+$/, '')}/#/customers/${encodeURIComponent(id)}`,
  contract: (webAppUrl: string, id: string) => `${webAppUrl.replace(/\/+$/, '')}/#/contracts/${encodeURIComponent(id)}`,
} as const;

/** A billwerk id as a link to its page in billwerk, or as text while billwerk's address is unknown. */
export function BillwerkIdLink({
  kind,
  id,
  webAppUrl,
  testId,
}: {
  kind: keyof typeof BILLWERK_PAGES;
  id: string;
  webAppUrl: string | undefined;
  testId: string;
}) {
  if (!webAppUrl) return <Text testId={testId}>{id}</Text>;
  return (
    <Link testId={testId} href={{ url: BILLWERK_PAGES[kind](webAppUrl, id), external: true }}>
      {id}
    </Link>
  );
}

/**
 * Which kind of billwerk account the connector talks to. SnailMail only works on production accounts
 * (guide, "Setting invoice dispatch mode"); the edge knows the base URL and passes the result in.
 */
export type BillwerkEnvironment = 'sandbox' | 'production';

/**
 * billwerk's sandbox lives on sandbox.billwerk.com; a local simulator (loopback) counts as a sandbox
 * too; everything else is treated as production.
 */
export function billwerkEnvironmentOf(baseUrl: string): BillwerkEnvironment {
  try {
    const host = new URL(baseUrl).hostname;
    return host.startsWith('sandbox.') || ['localhost', '127.0.0.1', '[::1]'].includes(host) ? 'sandbox' : 'production';
  } catch {
    return baseUrl.includes('sandbox') ? 'sandbox' : 'production';
  }
}

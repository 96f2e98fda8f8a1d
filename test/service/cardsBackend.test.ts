/**
 * The cards' and the settings page's one door to the connector: with no service URL it calls the app
 * function (`hubspot.serverless`); with one it POSTs to the service (`hubspot.fetch`) and shows the
 * service's plain-words problems (401/403) as any other outcome.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const serverless = vi.fn();
const fetch = vi.fn();
vi.mock('@hubspot/ui-extensions', () => ({ hubspot: { serverless, fetch } }));

const DOORS = ['../../src/app/cards/shared/serverless.js', '../../src/app/settings/serverless.js'];
type Door = { SERVICE_URL: string; callFunction: (name: string, parameters?: Record<string, unknown>) => Promise<unknown> };

async function load(path: string, serviceUrl?: string): Promise<Door> {
  vi.resetModules();
  (globalThis as { __CONNECTOR_SERVICE_URL__?: string }).__CONNECTOR_SERVICE_URL__ = serviceUrl;
  if (serviceUrl === undefined) delete (globalThis as { __CONNECTOR_SERVICE_URL__?: string }).__CONNECTOR_SERVICE_URL__;
  return (await import(path)) as Door;
}

afterEach(() => {
  delete (globalThis as { __CONNECTOR_SERVICE_URL__?: string }).__CONNECTOR_SERVICE_URL__;
  serverless.mockReset();
  fetch.mockReset();
});

describe.each(DOORS)('%s', (path) => {
  it('calls the app function when no service URL is built in', async () => {
    serverless.mockResolvedValue({ ok: true, value: 1 });
    const door = await load(path);
    expect(door.SERVICE_URL).toBe('');
    expect(await door.callFunction('validate_deal', { dealId: '1' })).toEqual({ ok: true, value: 1 });
    expect(serverless).toHaveBeenCalledWith('validate_deal', expect.objectContaining({ parameters: { dealId: '1' } }));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('POSTs to the service in service mode, with the parameters as the body', async () => {
    fetch.mockResolvedValue({ status: 200, json: async () => ({ ok: true, value: 2 }) });
    const door = await load(path, 'https://connector.example.com');
    expect(await door.callFunction('validate_deal', { dealId: '1' })).toEqual({ ok: true, value: 2 });
    expect(fetch).toHaveBeenCalledWith('https://connector.example.com/functions/validate_deal', {
      method: 'POST',
      body: { parameters: { dealId: '1' }, requestId: expect.any(String) },
    });
    expect(serverless).not.toHaveBeenCalled();
  });

  it('makes two identical calls distinct requests (the service refuses a replayed signature)', async () => {
    fetch.mockResolvedValue({ status: 200, json: async () => ({ ok: true, value: 1 }) });
    const door = await load(path, 'https://connector.example.com');
    await Promise.all([door.callFunction('list_entities'), door.callFunction('list_entities')]);
    const [first, second] = fetch.mock.calls.map((c) => (c[1] as { body: { requestId: string } }).body.requestId);
    expect(first).not.toBe(second);
  });

  it("shows the service's refusal in its own words", async () => {
    const problems = [{ message: 'Only a super admin of this HubSpot portal can do this. Ask an admin to do it for you.' }];
    fetch.mockResolvedValue({ status: 403, json: async () => ({ ok: false, problems }) });
    const door = await load(path, 'https://connector.example.com');
    expect(await door.callFunction('run_setup')).toEqual({ ok: false, problems });
  });

  it('turns an answer without a result (a proxy error page) into a problem naming the status', async () => {
    fetch.mockResolvedValue({
      status: 502,
      json: async () => {
        throw new Error('not json');
      },
    });
    const door = await load(path, 'https://connector.example.com');
    expect(await door.callFunction('validate_deal')).toEqual({ ok: false, problems: [{ message: expect.stringContaining('502') }] });
  });
});

/**
 * Plays HubSpot's side of a UI extension in the browser, so the project's REAL card code runs
 * unchanged against the REAL `@hubspot/ui-extensions` package:
 *
 * - In HubSpot a card runs in a web worker whose globals (`extend_V2`, `serverless`, `hsWorkerAPI`,
 *   marked by `__HUBSPOT_EXTENSION_WORKER__`) are provided by HubSpot. This module installs the same
 *   globals; it must be evaluated before the card's modules (the bundle entry imports it first).
 * - The card renders its components as a remote-ui tree (that is what the package's components
 *   are); we receive that tree in the page and render it with small DOM components (components.tsx).
 * - `hubspot.serverless` POSTs to the sandbox's function route; `useCrmProperties` reads the record
 *   through the sandbox; `actions.refreshObjectProperties` re-reads it and tells the workbench.
 *
 * This file only imports React, react-dom and remote-ui; importing `@hubspot/ui-extensions` here
 * would evaluate it before the globals exist.
 */
import React, { Component, type ReactElement, type ReactNode } from 'react';
import { createRoot as createDomRoot } from 'react-dom/client';
import { createRemoteRoot, createRoot as createRemoteReactRoot } from '@remote-ui/react';
import { createController, createRemoteReceiver, RemoteRenderer } from '@remote-ui/react/host';
import { HOST_COMPONENTS, UnknownComponent, setNavigationHandler } from './components.js';

export interface ExtensionConfig {
  location: 'crm.record.sidebar' | 'settings';
  /** For CRM cards. */
  objectType?: string;
  objectId?: string;
  objectTypeId?: string;
  portalId: number;
  appName: string;
  cardTitle: string;
  user: { id: number; email: string; firstName: string; lastName: string };
}

type Properties = Record<string, string | null>;
type PropertiesCallback = (properties: Properties) => void;

declare global {
  interface Window {
    __SANDBOX_EXTENSION__: ExtensionConfig;
  }
}

const config = window.__SANDBOX_EXTENSION__;
const subscriptions = new Set<{ names: string[]; callback: PropertiesCallback }>();

// ---------------------------------------------------------------------------------------------------
// Talking to the sandbox server.

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(text ? ((JSON.parse(text) as { message?: string }).message ?? text) : `HTTP ${response.status}`);
  return JSON.parse(text) as T;
}

async function readProperties(names: string[]): Promise<Properties> {
  if (!config.objectType || !config.objectId) throw new Error('This extension is not on a CRM record');
  const { properties } = await postJson<{ properties: Properties }>(`/api/records/${config.objectType}/${config.objectId}/read`, { names });
  return properties;
}

/** A Response-like value, as the package's fetch helpers expect from the host. */
function hostResponse(payload: { data?: unknown; error?: string; cleanup?: () => void }): Response {
  return { json: async () => payload } as unknown as Response;
}

/** Re-reads the record for every live `useCrmProperties` (HubSpot pushes record changes to cards). */
async function pushRecordChanges(): Promise<void> {
  for (const subscription of subscriptions) {
    try {
      subscription.callback(await readProperties(subscription.names));
    } catch (error) {
      reportHostError(error);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// What the card sees: context, actions, and the worker globals behind the package's hooks.

const context = {
  location: config.location,
  ...(config.objectId ? { crm: { objectId: Number(config.objectId), objectTypeId: config.objectTypeId ?? '' } } : {}),
  user: {
    ...config.user,
    emails: [config.user.email],
    roles: [],
    teams: [],
    locale: 'en-US',
    language: 'en',
    permissions: ['integrations-management-write'],
  },
  portal: { id: config.portalId, timezone: 'Europe/Berlin' },
  extension: { appId: 'sandbox', appName: config.appName, cardTitle: config.cardTitle },
  variables: {},
};

const actions = {
  refreshObjectProperties: () => {
    notifyWorkbench('record-changed');
    void pushRecordChanges();
  },
  onCrmPropertiesUpdate: (names: string[] | '*', callback: PropertiesCallback) => {
    subscriptions.add({ names: names === '*' ? [] : names, callback });
  },
  fetchCrmObjectProperties: (names: string[] | '*') => readProperties(names === '*' ? [] : names),
  addAlert: ({ type, title, message }: { type?: string; title?: string; message: string }) => showAlert(type ?? 'info', title, message),
  reloadPage: () => window.location.reload(),
  openIframeModal: ({ uri }: { uri: string }) => window.open(uri, '_blank'),
  closeOverlay: () => undefined,
  copyTextToClipboard: (text: string) => navigator.clipboard.writeText(text),
  navigateToPage: ({ to }: { to: string }) => notifyWorkbench('navigate', { href: to }),
};

async function serverless(name: string, options: { parameters?: unknown; propertiesToSend?: string[] } = {}): Promise<unknown> {
  return postJson(`/functions/${encodeURIComponent(name)}`, {
    parameters: options.parameters ?? {},
    propertiesToSend: options.propertiesToSend ?? [],
    ...(config.objectId ? { objectId: config.objectId, objectType: config.objectType } : {}),
  });
}

/**
 * `hubspot.fetch(url, {method, body})`: HubSpot's proxy adds the user and portal and signs the
 * request; the sandbox server plays that proxy (serviceMode.ts), so the secret stays on the server.
 */
async function hsFetch(url: string, options: { method?: string; body?: unknown } = {}): Promise<Response> {
  const { status, body } = await postJson<{ status: number; body: string }>('/hubspot-fetch', {
    url,
    method: options.method ?? 'GET',
    body: options.body,
  });
  return new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

const hsWorkerAPI = {
  useExtensionContext: () => context,
  useExtensionActions: () => actions,
  useExtensionApi: () => ({ context, actions, runServerlessFunction: runServerlessFunction }),
  useAppPageLocation: () => ({ pathname: '/', params: {} }),
  fetchCrmProperties: async (names: string[], onUpdate: PropertiesCallback) => {
    try {
      const data = await readProperties(names);
      const subscription = { names, callback: onUpdate };
      subscriptions.add(subscription);
      return hostResponse({ data, cleanup: () => subscriptions.delete(subscription) });
    } catch (error) {
      return hostResponse({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  fetchAssociations: async (request: { toObjectType: string; properties?: string[] }) => {
    try {
      if (!config.objectType || !config.objectId) throw new Error('This extension is not on a CRM record');
      const data = await postJson(`/api/records/${config.objectType}/${config.objectId}/associations`, {
        toObjectType: request.toObjectType,
        properties: request.properties ?? [],
      });
      return hostResponse({ data });
    } catch (error) {
      return hostResponse({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  fetchCrmSearch: async () => hostResponse({ error: 'useCrmSearch is not simulated by the sandbox' }),
  fetchHubSpotApi: async () => {
    throw new Error('The experimental HubSpot API client is not simulated by the sandbox');
  },
  formatCrmProperties: async () => hostResponse({ error: 'formatCrmProperties is not simulated by the sandbox' }),
};

/** The deprecated `runServerlessFunction` of older cards, answered like HubSpot did. */
async function runServerlessFunction({
  name,
  parameters,
  propertiesToSend,
}: {
  name: string;
  parameters?: unknown;
  propertiesToSend?: string[];
}) {
  try {
    return { status: 'SUCCESS', response: await serverless(name, { parameters, propertiesToSend }) };
  } catch (error) {
    return { status: 'ERROR', message: error instanceof Error ? error.message : String(error) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Rendering: the card's remote tree -> DOM components.

const controller = createController(HOST_COMPONENTS);
const knownGet = controller.get.bind(controller);
// An unknown component becomes a visible placeholder instead of breaking the whole card.
controller.get = (type) => {
  try {
    return knownGet(type);
  } catch {
    const Placeholder = (props: Record<string, unknown>) => <UnknownComponent {...props} componentType={String(type)} />;
    return Placeholder;
  }
};

/** Shows a crash of the card's own code in the card, like HubSpot's "This card ran into a problem". */
class CardErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error) {
    reportHostError(error);
  }
  override render() {
    return this.state.error ? null : this.props.children;
  }
}

function extend(renderExtension: (api: unknown) => ReactElement) {
  const receiver = createRemoteReceiver();
  const remoteRoot = createRemoteRoot(receiver.receive);
  createRemoteReactRoot(remoteRoot).render(
    <CardErrorBoundary>{renderExtension({ context, actions, runServerlessFunction })}</CardErrorBoundary>,
  );
  void remoteRoot.mount();
  const container = document.getElementById('extension-root')!;
  createDomRoot(container).render(<RemoteRenderer receiver={receiver} controller={controller} />);
}

Object.assign(self, {
  __HUBSPOT_EXTENSION_WORKER__: true,
  extend_V2: extend,
  serverless,
  hsFetch,
  hsWorkerAPI,
  logger: { debug: console.debug, info: console.info, warn: console.warn, error: console.error },
});

// ---------------------------------------------------------------------------------------------------
// The frame around the card: alerts, crash reports, messages to and from the workbench.

function notifyWorkbench(type: string, detail: Record<string, unknown> = {}): void {
  if (window.parent !== window) window.parent.postMessage({ source: 'sandbox-extension', type, ...detail }, window.location.origin);
}

function showAlert(type: string, title: string | undefined, message: string): void {
  const box = document.createElement('div');
  box.className = `host-alert host-alert-${type}`;
  box.dataset.testid = 'host-alert';
  box.textContent = title ? `${title}: ${message}` : message;
  document.getElementById('host-messages')?.append(box);
  setTimeout(() => box.remove(), 8000);
}

function reportHostError(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const box = document.createElement('pre');
  box.className = 'host-crash';
  box.dataset.testid = 'host-crash';
  box.textContent = `This card ran into a problem.\n${message}`;
  document.getElementById('host-messages')?.append(box);
  notifyWorkbench('crash', { message });
}

window.addEventListener('error', (event) => reportHostError(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => reportHostError(event.reason));
window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
  if (event.origin === window.location.origin && event.data?.type === 'record-changed') void pushRecordChanges();
});
setNavigationHandler((href) => notifyWorkbench('navigate', { href }));
// The workbench sizes the card's frame to the card, as HubSpot's sidebar grows with a card.
new ResizeObserver(() => notifyWorkbench('resize', { height: Math.ceil(document.body.getBoundingClientRect().height) + 4 })).observe(
  document.body,
);

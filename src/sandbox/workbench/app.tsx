/**
 * The workbench page: pick a CRM record, see its cards (the real card code, in frames served by the
 * sandbox), edit the record like a user in HubSpot, watch billwerk's state and fire billwerk events.
 * Talks only to the sandbox's /api routes.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

type RecordType = 'deals' | 'companies' | 'contacts';
const TYPES: { type: RecordType; label: string }[] = [
  { type: 'deals', label: 'Deals' },
  { type: 'companies', label: 'Companies' },
  { type: 'contacts', label: 'Contacts' },
];

interface Info {
  mode: { hubspot: string; billwerk: string };
  portalId: number;
  extensions: { uid: string; title: string; location: string; objectTypes: RecordType[] }[];
  entities: { id: string; name: string }[];
}
interface RecordDetail {
  id: string;
  type: RecordType;
  title: string;
  properties: Record<string, string | null>;
  associations: Partial<Record<string, string[]>>;
  lineItems: { id: string; name: string; quantity: string; sku: string; price: string }[];
}
interface PropertyInfo {
  name: string;
  label: string;
  groupName: string;
  options: { value: string; label: string }[];
}
interface Product {
  id: string;
  name: string;
  sku: string;
  price: string;
}
interface BillwerkState {
  simulated: boolean;
  entities?: {
    entityId: string;
    entityName?: string;
    customers: { Id: string; CompanyName?: string; FirstName?: string; LastName?: string; EmailAddress?: string }[];
    contracts: {
      Id: string;
      CustomerId: string;
      LifecycleStatus?: string;
      Balance?: number;
      PaymentEscalated?: boolean;
      EndDate?: string | null;
      ComponentSubscriptions: { ComponentId: string; Quantity?: number }[];
    }[];
    orders: { Id: string; Status?: string; OrderType?: string; ContractId?: string }[];
    invoices: { Id: string; InvoiceNumber?: string; ContractId?: string; TotalGross?: number; Currency?: string }[];
  }[];
  deliveries?: { event: string; contractId?: string; status: number; ok: boolean; retryCount: number }[];
}
interface ActivityEntry {
  id: number;
  at: string;
  kind: string;
  title: string;
  status: string;
  detail?: unknown;
}

async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const response = await fetch(path, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

const CLOSED_WON = 'closedwon';
const SINGULAR: Record<RecordType, string> = { deals: 'deal', companies: 'company', contacts: 'contact' };

function App() {
  const [info, setInfo] = useState<Info>();
  const [view, setView] = useState<'crm' | 'settings'>(window.location.hash === '#settings' ? 'settings' : 'crm');
  const [type, setType] = useState<RecordType>('deals');
  const [selected, setSelected] = useState<{ type: RecordType; id: string }>();
  const [version, setVersion] = useState(0);
  /** Bumped to reopen the cards (new frames), like opening the record again in HubSpot. */
  const [opened, setOpened] = useState(0);
  const [error, setError] = useState<string>();
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    void api<Info>('/api/info').then(setInfo, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    window.location.hash = view === 'settings' ? 'settings' : '';
  }, [view]);

  // Messages from the card frames: the card changed its record, or a link asks to open a record.
  useEffect(() => {
    const onMessage = (event: MessageEvent<{ source?: string; type?: string; href?: string; message?: string }>) => {
      if (event.origin !== window.location.origin || event.data?.source !== 'sandbox-extension') return;
      if (event.data.type === 'record-changed') bump();
      if (event.data.type === 'navigate' && event.data.href) {
        const match = /\/record\/(0-[123])\/(\d+)/.exec(event.data.href);
        const types: Record<string, RecordType> = { '0-1': 'contacts', '0-2': 'companies', '0-3': 'deals' };
        if (match) {
          setType(types[match[1]!]!);
          setSelected({ type: types[match[1]!]!, id: match[2]! });
          setView('crm');
        } else window.open(event.data.href, '_blank');
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [bump]);

  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      setError(undefined);
      try {
        await action();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
      bump();
    },
    [bump],
  );

  if (!info) return <div className="wb-loading">{error ?? 'Loading the sandbox…'}</div>;
  const settings = info.extensions.find((e) => e.location === 'settings');

  return (
    <div className="wb">
      <header className="wb-header">
        <h1>
          billwerk ↔ HubSpot connector <span>sandbox workbench</span>
        </h1>
        <nav>
          <button className={view === 'crm' ? 'active' : ''} data-testid="view-crm" onClick={() => setView('crm')}>
            CRM records
          </button>
          <button className={view === 'settings' ? 'active' : ''} data-testid="view-settings" onClick={() => setView('settings')}>
            Settings page
          </button>
        </nav>
        <div className="wb-mode">
          <span className={`wb-badge wb-${info.mode.billwerk}`}>billwerk: {info.mode.billwerk}</span>
          <span className={`wb-badge wb-${info.mode.hubspot}`}>HubSpot: {info.mode.hubspot}</span>
        </div>
      </header>
      {error ? (
        <div className="wb-error" data-testid="workbench-error" onClick={() => setError(undefined)}>
          {error}
        </div>
      ) : null}
      {view === 'settings' && settings ? (
        <main className="wb-settings">
          <iframe title="Settings page" data-testid="settings-frame" src={`/extensions/${settings.uid}`} />
          <aside className="wb-side">
            <BillwerkPanel version={version} run={run} mode={info.mode} />
            <ActivityPanel onNews={bump} />
          </aside>
        </main>
      ) : (
        <main className="wb-main">
          <RecordPicker type={type} setType={setType} selected={selected} onSelect={setSelected} version={version} run={run} />
          <section className="wb-cards">
            {selected ? (
              <button className="wb-reopen" data-testid="reopen-cards" onClick={() => setOpened((n) => n + 1)}>
                Reopen record
              </button>
            ) : null}
            {selected ? (
              info.extensions
                .filter((e) => e.objectTypes.includes(selected.type))
                .map((card) => (
                  <CardFrame
                    key={`${card.uid}-${selected.type}-${selected.id}-${opened}`}
                    uid={card.uid}
                    title={card.title}
                    type={selected.type}
                    id={selected.id}
                    version={version}
                  />
                ))
            ) : (
              <p className="wb-hint">Pick a record on the left to see its cards.</p>
            )}
          </section>
          <section className="wb-details">
            {/* Keyed by record: the property editor starts empty for every record. */}
            {selected ? <RecordPanel key={`${selected.type}/${selected.id}`} selected={selected} version={version} run={run} /> : null}
            <BillwerkPanel version={version} run={run} mode={info.mode} />
            <ActivityPanel onNews={bump} />
          </section>
        </main>
      )}
    </div>
  );
}

/** One card in a frame; told to re-read its record whenever the workbench saw a change. */
function CardFrame({ uid, title, type, id, version }: { uid: string; title: string; type: RecordType; id: string; version: number }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(240);
  useEffect(() => {
    frame.current?.contentWindow?.postMessage({ type: 'record-changed' }, window.location.origin);
  }, [version]);
  useEffect(() => {
    const onMessage = (event: MessageEvent<{ type?: string; height?: number }>) => {
      if (event.source === frame.current?.contentWindow && event.data?.type === 'resize' && event.data.height) setHeight(event.data.height);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);
  return (
    <iframe
      ref={frame}
      className="wb-card-frame"
      title={title}
      data-testid={`card-frame-${uid}`}
      style={{ height }}
      src={`/extensions/${uid}?objectType=${type}&objectId=${encodeURIComponent(id)}`}
    />
  );
}

function RecordPicker({
  type,
  setType,
  selected,
  onSelect,
  version,
  run,
}: {
  type: RecordType;
  setType: (t: RecordType) => void;
  selected?: { type: RecordType; id: string };
  onSelect: (s: { type: RecordType; id: string }) => void;
  version: number;
  run: (a: () => Promise<unknown>) => Promise<void>;
}) {
  const [records, setRecords] = useState<{ id: string; title: string }[]>([]);
  const [companies, setCompanies] = useState<{ id: string; title: string }[]>([]);
  const [companyId, setCompanyId] = useState('');
  useEffect(() => {
    void api<{ records: { id: string; title: string }[] }>(`/api/records/${type}`).then((r) => setRecords(r.records));
  }, [type, version]);
  useEffect(() => {
    void api<{ records: { id: string; title: string }[] }>('/api/records/companies').then((r) => setCompanies(r.records));
  }, [version]);

  const createDeal = () =>
    run(async () => {
      const { id } = await api<{ id: string }>('/api/deals', { method: 'POST', body: { companyId: companyId || companies[0]?.id } });
      setType('deals');
      onSelect({ type: 'deals', id });
    });

  return (
    <aside className="wb-picker">
      <div className="wb-tabs">
        {TYPES.map((t) => (
          <button key={t.type} data-testid={`type-${t.type}`} className={t.type === type ? 'active' : ''} onClick={() => setType(t.type)}>
            {t.label}
          </button>
        ))}
      </div>
      <ul className="wb-records">
        {records.map((r) => (
          <li key={r.id}>
            <button
              data-testid={`record-${type}-${r.id}`}
              className={selected?.type === type && selected.id === r.id ? 'active' : ''}
              onClick={() => onSelect({ type, id: r.id })}
            >
              {r.title}
              <span className="wb-id">#{r.id}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="wb-box">
        <h3>New signup deal</h3>
        <select data-testid="new-deal-company" value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
          {companies.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <button data-testid="new-deal" onClick={() => void createDeal()}>
          Create deal
        </button>
        <p className="wb-hint">Type Signup, the company's entity and contact; add line items on the right.</p>
      </div>
    </aside>
  );
}

function RecordPanel({
  selected,
  version,
  run,
}: {
  selected: { type: RecordType; id: string };
  version: number;
  run: (a: () => Promise<unknown>) => Promise<void>;
}) {
  const [record, setRecord] = useState<RecordDetail>();
  const [definitions, setDefinitions] = useState<PropertyInfo[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    void api<RecordDetail>(`/api/records/${selected.type}/${selected.id}`).then(setRecord);
  }, [selected.type, selected.id, version]);
  useEffect(() => {
    void api<{ properties: PropertyInfo[] }>(`/api/properties/${selected.type}`).then((r) => setDefinitions(r.properties));
  }, [selected.type]);
  useEffect(() => {
    if (selected.type === 'deals') void api<{ products: Product[] }>('/api/products').then((r) => setProducts(r.products));
  }, [selected.type, version]);
  if (!record) return null;

  const update = (properties: Record<string, string>) =>
    run(() => api(`/api/records/${selected.type}/${selected.id}`, { method: 'PATCH', body: { properties } }));
  const definition = definitions.find((d) => d.name === name);
  const label = (n: string) => definitions.find((d) => d.name === n)?.label ?? n;
  const display = (n: string, v: string) => {
    const option = definitions.find((d) => d.name === n)?.options.find((o) => o.value === v);
    return option && option.label !== v ? `${option.label} (${v})` : v;
  };
  const shown = Object.entries(record.properties)
    .filter(
      ([n, v]) =>
        v !== null &&
        v !== '' &&
        (showAll ||
          n.startsWith('billwerk_') ||
          ['dealname', 'dealstage', 'amount', 'name', 'email', 'firstname', 'lastname', 'city', 'zip', 'country', 'address'].includes(n)),
    )
    .sort(([a], [b]) => Number(b.startsWith('billwerk_')) - Number(a.startsWith('billwerk_')) || a.localeCompare(b));

  return (
    <div className="wb-box" data-testid="record-panel">
      <h2>
        {record.title}{' '}
        <span className="wb-id">
          {SINGULAR[selected.type]} #{record.id}
        </span>
      </h2>
      {selected.type === 'deals' ? (
        <div className="wb-row">
          <button
            data-testid="close-won"
            disabled={record.properties.dealstage === CLOSED_WON}
            onClick={() => void update({ dealstage: CLOSED_WON })}
          >
            Set stage: Closed won
          </button>
          <select data-testid="line-item-product" value={productId} onChange={(e) => setProductId(e.target.value)}>
            <option value="">Add a product…</option>
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.price})
              </option>
            ))}
          </select>
          <input type="number" min={1} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} className="wb-qty" />
          <button
            data-testid="add-line-item"
            disabled={!productId}
            onClick={() => void run(() => api(`/api/deals/${record.id}/line-items`, { method: 'POST', body: { productId, quantity } }))}
          >
            Add line item
          </button>
        </div>
      ) : null}
      {record.lineItems.length ? (
        <table className="wb-table">
          <thead>
            <tr>
              <th>Line item</th>
              <th>Qty</th>
              <th>Price</th>
              <th>SKU</th>
            </tr>
          </thead>
          <tbody>
            {record.lineItems.map((l) => (
              <tr key={l.id}>
                <td>{l.name}</td>
                <td>{l.quantity}</td>
                <td>{l.price}</td>
                <td className="wb-mono">{l.sku}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : selected.type === 'deals' ? (
        <p className="wb-hint">No line items yet.</p>
      ) : null}
      <p className="wb-assoc">
        {Object.entries(record.associations)
          .filter(([t, ids]) => t !== 'line_items' && ids?.length)
          .map(([t, ids]) => `${t}: ${ids!.join(', ')}`)
          .join(' · ') || 'No associations'}
      </p>
      <form
        className="wb-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (name) void update({ [name]: value });
        }}
      >
        <select
          data-testid="edit-property"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setValue(record.properties[e.target.value] ?? '');
          }}
        >
          <option value="">Edit a property…</option>
          {definitions.map((d) => (
            <option key={d.name} value={d.name}>
              {d.label} ({d.name})
            </option>
          ))}
        </select>
        {definition?.options.length ? (
          <select data-testid="edit-value" value={value} onChange={(e) => setValue(e.target.value)}>
            <option value="">(empty)</option>
            {definition.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          <input data-testid="edit-value" value={value} onChange={(e) => setValue(e.target.value)} placeholder="value" />
        )}
        <button data-testid="save-property" disabled={!name} type="submit">
          Save
        </button>
      </form>
      <table className="wb-table wb-props" data-testid="record-properties">
        <tbody>
          {shown.map(([n, v]) => (
            <tr key={n} data-property={n}>
              <th title={n}>{label(n)}</th>
              <td>{display(n, v!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="wb-hint">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> show all properties
      </label>
    </div>
  );
}

const EVENTS = [
  { event: 'InvoiceCreated', label: 'Invoice created' },
  { event: 'PaymentEscalated', label: 'Payment escalated' },
  { event: 'PaymentEscalationReset', label: 'Payment escalation reset' },
  { event: 'ContractCancelled', label: 'Contract cancelled' },
];

function BillwerkPanel({ version, run, mode }: { version: number; run: (a: () => Promise<unknown>) => Promise<void>; mode: Info['mode'] }) {
  const [state, setState] = useState<BillwerkState>();
  const [contractId, setContractId] = useState('');
  const [event, setEvent] = useState(EVENTS[1]!.event);
  useEffect(() => {
    void api<BillwerkState>('/api/billwerk').then(setState);
  }, [version]);
  const contracts = state?.entities?.flatMap((e) => e.contracts) ?? [];
  const chosen = contractId || contracts[contracts.length - 1]?.Id || '';

  return (
    <div className="wb-box" data-testid="billwerk-panel">
      <h2>billwerk</h2>
      <div className="wb-row">
        <button data-testid="product-sync" onClick={() => void run(() => api('/api/product-sync', { method: 'POST' }))}>
          Run product sync
        </button>
      </div>
      {mode.billwerk === 'real' || !state?.simulated ? (
        <p className="wb-hint">billwerk is a real account: its data is in billwerk, and events arrive as billwerk's own webhooks.</p>
      ) : (
        <>
          <div className="wb-row">
            <select data-testid="event-kind" value={event} onChange={(e) => setEvent(e.target.value)}>
              {EVENTS.map((e) => (
                <option key={e.event} value={e.event}>
                  {e.label}
                </option>
              ))}
            </select>
            <select data-testid="event-contract" value={chosen} onChange={(e) => setContractId(e.target.value)}>
              {contracts.length ? (
                contracts.map((c) => (
                  <option key={c.Id} value={c.Id}>
                    contract {c.Id}
                  </option>
                ))
              ) : (
                <option value="">no contracts yet</option>
              )}
            </select>
            <button
              data-testid="fire-event"
              disabled={!chosen}
              onClick={() => void run(() => api('/api/billwerk/events', { method: 'POST', body: { event, contractId: chosen } }))}
            >
              Fire webhook event
            </button>
          </div>
          {state.entities!.map((entity) => (
            <details key={entity.entityId} open={entity.contracts.length > 0 || entity === state.entities![0]}>
              <summary data-testid={`billwerk-entity-${entity.entityId}`}>
                {entity.entityName ?? entity.entityId}: {entity.customers.length} customers, {entity.contracts.length} contracts,{' '}
                {entity.orders.length} orders, {entity.invoices.length} invoices
              </summary>
              <table className="wb-table" data-testid="billwerk-contracts">
                <thead>
                  <tr>
                    <th>Contract</th>
                    <th>Customer</th>
                    <th>Status</th>
                    <th>Balance</th>
                    <th>Escalated</th>
                    <th>Components</th>
                  </tr>
                </thead>
                <tbody>
                  {entity.contracts.map((c) => (
                    <tr key={c.Id}>
                      <td className="wb-mono">{c.Id}</td>
                      <td className="wb-mono">{c.CustomerId}</td>
                      <td>{c.LifecycleStatus}</td>
                      <td>{c.Balance ?? ''}</td>
                      <td>{c.PaymentEscalated ? 'yes' : 'no'}</td>
                      <td>{c.ComponentSubscriptions.map((s) => `${s.Quantity ?? 1}×`).join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table className="wb-table">
                <thead>
                  <tr>
                    <th>Customer</th>
                    <th>Name</th>
                    <th>Email</th>
                  </tr>
                </thead>
                <tbody>
                  {entity.customers.map((c) => (
                    <tr key={c.Id}>
                      <td className="wb-mono">{c.Id}</td>
                      <td>{c.CompanyName || `${c.FirstName ?? ''} ${c.LastName ?? ''}`}</td>
                      <td>{c.EmailAddress}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {entity.orders.length || entity.invoices.length ? (
                <table className="wb-table">
                  <thead>
                    <tr>
                      <th>Order / invoice</th>
                      <th>Kind</th>
                      <th>Status / total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entity.orders.map((o) => (
                      <tr key={o.Id}>
                        <td className="wb-mono">{o.Id}</td>
                        <td>{o.OrderType} order</td>
                        <td>{o.Status}</td>
                      </tr>
                    ))}
                    {entity.invoices.map((i) => (
                      <tr key={i.Id}>
                        <td className="wb-mono">{i.InvoiceNumber}</td>
                        <td>invoice</td>
                        <td>
                          {i.TotalGross} {i.Currency}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </details>
          ))}
          <h3>Webhook deliveries (billwerk → connector)</h3>
          <ul className="wb-deliveries" data-testid="billwerk-deliveries">
            {(state.deliveries ?? [])
              .slice()
              .reverse()
              .map((d, i) => (
                <li key={i} className={d.ok ? 'ok' : 'failed'}>
                  {d.event} {d.contractId ? `(${d.contractId})` : ''} → {d.status || 'no answer'}
                  {d.retryCount ? ` retry ${d.retryCount}` : ''}
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Function calls, webhook deliveries and log lines, newest first; new entries refresh the page's data. */
function ActivityPanel({ onNews }: { onNews: () => void }) {
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const last = useRef(0);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const { entries: fresh } = await api<{ entries: ActivityEntry[] }>(`/api/activity?after=${last.current}`);
        if (fresh.length && !stopped) {
          last.current = fresh[fresh.length - 1]!.id;
          setEntries((old) => [...fresh.reverse(), ...old].slice(0, 200));
          if (fresh.some((e) => e.kind !== 'log')) onNews();
        }
      } catch {
        /* the sandbox was stopped; keep the page as it is */
      }
      if (!stopped) setTimeout(() => void poll(), 1500);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [onNews]);
  return (
    <div className="wb-box" data-testid="activity-panel">
      <h2>Activity</h2>
      <ul className="wb-activity">
        {entries.map((e) => (
          <li key={e.id} className={`wb-${e.kind} wb-status-${e.status}`}>
            <span className="wb-time">{e.at.slice(11, 19)}</span> <span className="wb-kind">{e.kind}</span> {e.title}
            {e.detail !== undefined ? (
              <details>
                <summary>details</summary>
                <pre>{JSON.stringify(e.detail, null, 2)}</pre>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

createRoot(document.getElementById('workbench')!).render(<App />);

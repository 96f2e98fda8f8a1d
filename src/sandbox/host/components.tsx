/**
 * DOM stand-ins for HubSpot's UI extension components, keyed by the names `@hubspot/ui-extensions`
 * registers (the card's remote tree names them). Small on purpose: the props the connector's cards
 * use behave as in HubSpot (disabled/variant, Select/Input values and callbacks, testId), the rest
 * is plain markup with HubSpot-like styling (workbench/host.css). Unknown components render a visible
 * placeholder (see install.tsx). `testId` becomes `data-testid`, so browser tests find what card tests find.
 */
import React, { useEffect, useState, type ReactNode } from 'react';

type Props = { children?: ReactNode; testId?: string; [prop: string]: unknown };
/** HubSpot passes an event object (and a reactions object) to click handlers. */
type Handler = ((event: { type: string; bubbles: boolean; timeStamp: number }) => void) | undefined;

const testIdOf = (props: Props) => (props.testId ? { 'data-testid': String(props.testId) } : {});
const cx = (...names: (string | false | undefined | null)[]) => names.filter(Boolean).join(' ');
const clickEvent = () => ({ type: 'click', bubbles: true, timeStamp: Date.now() });

let navigate: (href: string) => void = (href) => window.open(href, '_blank');
/** Links to HubSpot records open the record in the workbench instead of app.hubspot.com. */
export function setNavigationHandler(handler: (href: string) => void): void {
  navigate = handler;
}

const DISTANCE: Record<string, string> = {
  flush: '0',
  'extra-small': '4px',
  xs: '4px',
  small: '8px',
  sm: '8px',
  medium: '16px',
  md: '16px',
  large: '24px',
  lg: '24px',
  'extra-large': '32px',
  xl: '32px',
};
const FLEX_VALUE: Record<string, string> = {
  start: 'flex-start',
  end: 'flex-end',
  center: 'center',
  between: 'space-between',
  around: 'space-around',
  baseline: 'baseline',
  stretch: 'stretch',
};

// ---- layout ---------------------------------------------------------------------------------------

function Flex(props: Props) {
  const style: React.CSSProperties = {
    display: 'flex',
    flexDirection: props.direction === 'column' ? 'column' : 'row',
    gap: DISTANCE[String(props.gap ?? 'flush')] ?? '0',
    justifyContent: FLEX_VALUE[String(props.justify ?? 'start')],
    alignItems: props.align ? FLEX_VALUE[String(props.align)] : undefined,
    alignSelf: props.alignSelf ? FLEX_VALUE[String(props.alignSelf)] : undefined,
    flexWrap: props.wrap === true || props.wrap === 'wrap' ? 'wrap' : 'nowrap',
  };
  return (
    <div className="hs-flex" style={style} {...testIdOf(props)}>
      {props.children}
    </div>
  );
}

function Box(props: Props) {
  const flex =
    props.flex === 'auto' || props.flex === 'initial' || props.flex === 'none'
      ? String(props.flex)
      : props.flex !== undefined
        ? String(props.flex)
        : undefined;
  return (
    <div
      className="hs-box"
      style={{ flex, alignSelf: props.alignSelf ? FLEX_VALUE[String(props.alignSelf)] : undefined }}
      {...testIdOf(props)}
    >
      {props.children}
    </div>
  );
}

function Tile(props: Props) {
  return (
    <div
      className={cx('hs-tile', Boolean(props.compact) && 'hs-tile-compact', Boolean(props.flush) && 'hs-tile-flush')}
      {...testIdOf(props)}
    >
      {props.children}
    </div>
  );
}

function Divider(props: Props) {
  return <hr className="hs-divider" style={{ margin: `${DISTANCE[String(props.distance ?? 'small')] ?? '8px'} 0` }} {...testIdOf(props)} />;
}

// ---- text -----------------------------------------------------------------------------------------

function Text(props: Props) {
  const format = (props.format ?? {}) as { fontWeight?: string; italic?: boolean; lineDecoration?: string };
  const style: React.CSSProperties = {
    fontWeight: format.fontWeight === 'bold' ? 700 : format.fontWeight === 'demibold' ? 600 : undefined,
    fontStyle: format.italic ? 'italic' : undefined,
    textDecoration:
      format.lineDecoration === 'strikethrough' ? 'line-through' : format.lineDecoration === 'underline' ? 'underline' : undefined,
  };
  const className = cx('hs-text', props.variant === 'microcopy' && 'hs-microcopy', Boolean(props.truncate) && 'hs-truncate');
  return props.inline ? (
    <span className={className} style={style} {...testIdOf(props)}>
      {props.children}
    </span>
  ) : (
    <p className={className} style={style} {...testIdOf(props)}>
      {props.children}
    </p>
  );
}

function Heading(props: Props) {
  return (
    <h3 className={cx('hs-heading', Boolean(props.inline) && 'hs-inline')} {...testIdOf(props)}>
      {props.children}
    </h3>
  );
}

function Link(props: Props) {
  const href = typeof props.href === 'string' ? props.href : (props.href as { url?: string } | undefined)?.url;
  const onClick = (event: React.MouseEvent) => {
    event.preventDefault();
    (props.onClick as Handler)?.(clickEvent());
    if (href && !props.preventDefault) navigate(href);
  };
  return (
    <a className={cx('hs-link', `hs-link-${String(props.variant ?? 'primary')}`)} href={href ?? '#'} onClick={onClick} {...testIdOf(props)}>
      {props.children}
    </a>
  );
}

function List(props: Props) {
  const items = React.Children.toArray(props.children).map((child, i) => <li key={i}>{child}</li>);
  return props.variant === 'ordered' || props.variant === 'ordered-styled' ? (
    <ol className="hs-list" {...testIdOf(props)}>
      {items}
    </ol>
  ) : (
    <ul className={cx('hs-list', props.variant === 'unordered-styled' ? 'hs-list-styled' : 'hs-list-plain')} {...testIdOf(props)}>
      {items}
    </ul>
  );
}

// ---- status ---------------------------------------------------------------------------------------

function Alert(props: Props) {
  const variant = String(props.variant ?? 'info');
  return (
    <div role="alert" className={cx('hs-alert', `hs-alert-${variant}`)} {...testIdOf(props)}>
      {props.title ? <strong className="hs-alert-title">{String(props.title)}</strong> : null}
      <div className="hs-alert-body">{props.children}</div>
    </div>
  );
}

function StatusTag(props: Props) {
  const variant = String(props.variant ?? 'default');
  return (
    <span className={cx('hs-status-tag', Boolean(props.hollow) && 'hs-hollow')} {...testIdOf(props)}>
      <span className={cx('hs-status-dot', `hs-status-${variant}`)} />
      {props.children}
    </span>
  );
}

function Tag(props: Props) {
  return (
    <span
      className={cx('hs-tag', `hs-tag-${String(props.variant ?? 'default')}`)}
      onClick={() => (props.onClick as Handler)?.(clickEvent())}
      {...testIdOf(props)}
    >
      {props.children}
    </span>
  );
}

function LoadingSpinner(props: Props) {
  return (
    <div className="hs-spinner" role="status" {...testIdOf(props)}>
      <span className="hs-spinner-wheel" />
      <span className={props.showLabel ? undefined : 'hs-visually-hidden'}>{String(props.label ?? 'Loading')}</span>
    </div>
  );
}

function ProgressBar(props: Props) {
  const value = Number(props.value ?? 0);
  const max = Number(props.maxValue ?? 100) || 100;
  const percent = Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <div className="hs-progress" {...testIdOf(props)}>
      <div className="hs-progress-label">
        {props.title ? <span>{String(props.title)}</span> : null}
        {props.showPercentage ? <span>{Math.round(percent)}%</span> : null}
      </div>
      <div
        className={cx('hs-progress-track', `hs-progress-${String(props.variant ?? 'success')}`)}
        role="progressbar"
        aria-valuenow={value}
        aria-valuemax={max}
      >
        <div className="hs-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {props.valueDescription ? <span className="hs-microcopy">{String(props.valueDescription)}</span> : null}
    </div>
  );
}

function EmptyState(props: Props) {
  return (
    <div className="hs-state hs-empty-state" {...testIdOf(props)}>
      <strong>{String(props.title ?? 'Nothing here yet')}</strong>
      <div>{props.children}</div>
    </div>
  );
}

function ErrorState(props: Props) {
  return (
    <div className="hs-state hs-error-state" {...testIdOf(props)}>
      <strong>{String(props.title ?? 'Something went wrong.')}</strong>
      <div>{props.children}</div>
    </div>
  );
}

// ---- description list -----------------------------------------------------------------------------

function DescriptionList(props: Props) {
  return (
    <dl className={cx('hs-dl', props.direction === 'row' ? 'hs-dl-row' : 'hs-dl-column')} {...testIdOf(props)}>
      {props.children}
    </dl>
  );
}

function DescriptionListItem(props: Props) {
  return (
    <div className="hs-dl-item" {...testIdOf(props)}>
      <dt>{String(props.label ?? '')}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

// ---- buttons --------------------------------------------------------------------------------------

function Button(props: Props) {
  const variant = String(props.variant ?? 'secondary');
  const onClick = () => (props.onClick as Handler)?.(clickEvent());
  const href = typeof props.href === 'string' ? props.href : (props.href as { url?: string } | undefined)?.url;
  return (
    <button
      type={props.type === 'submit' ? 'submit' : props.type === 'reset' ? 'reset' : 'button'}
      className={cx(
        'hs-button',
        `hs-button-${variant}`,
        props.size === 'xs' || props.size === 'extra-small'
          ? 'hs-button-xs'
          : props.size === 'sm' || props.size === 'small'
            ? 'hs-button-sm'
            : null,
      )}
      disabled={Boolean(props.disabled)}
      onClick={
        href
          ? () => {
              onClick();
              navigate(href);
            }
          : onClick
      }
      {...testIdOf(props)}
    >
      {props.children}
    </button>
  );
}

function LoadingButton(props: Props) {
  const loading = Boolean(props.loading);
  return (
    <Button {...props} disabled={Boolean(props.disabled) || loading}>
      {loading ? <span className="hs-spinner-wheel hs-inline-spinner" /> : null}
      {props.children}
    </Button>
  );
}

function ButtonRow(props: Props) {
  return (
    <div className="hs-flex hs-button-row" {...testIdOf(props)}>
      {props.children}
    </div>
  );
}

// ---- form inputs ----------------------------------------------------------------------------------

function Field(props: Props & { control: ReactNode; id: string }) {
  const error = props.error ? String(props.validationMessage ?? '') : '';
  return (
    <div className={cx('hs-field', Boolean(props.error) && 'hs-field-error')}>
      {props.label ? (
        <label htmlFor={props.id} className="hs-label">
          {String(props.label)}
          {props.required ? <span className="hs-required"> *</span> : null}
        </label>
      ) : null}
      {props.description ? <span className="hs-microcopy">{String(props.description)}</span> : null}
      {props.control}
      {error ? <span className="hs-validation">{error}</span> : null}
    </div>
  );
}

let nextFieldId = 1;
function useFieldId(name: unknown): string {
  const [id] = useState(() => `field-${String(name ?? 'x')}-${nextFieldId++}`);
  return id;
}

/** A text value the user edits freely; `onInput` per keystroke, `onChange` when committed (blur), as in HubSpot. */
function useDraft(value: unknown): [string, (next: string) => void] {
  const [draft, setDraft] = useState(value == null ? '' : String(value));
  useEffect(() => setDraft(value == null ? '' : String(value)), [value]);
  return [draft, setDraft];
}

function Input(props: Props) {
  const id = useFieldId(props.name);
  const [draft, setDraft] = useDraft(props.value ?? props.defaultValue);
  const control = (
    <input
      id={id}
      name={String(props.name ?? '')}
      className="hs-input"
      type={props.type === 'password' ? 'password' : 'text'}
      value={draft}
      placeholder={props.placeholder ? String(props.placeholder) : undefined}
      readOnly={Boolean(props.readOnly)}
      {...testIdOf(props)}
      onChange={(e) => {
        setDraft(e.target.value);
        (props.onInput as ((v: string) => void) | undefined)?.(e.target.value);
      }}
      onBlur={(e) => {
        (props.onChange as ((v: string) => void) | undefined)?.(e.target.value);
        (props.onBlur as ((v: string) => void) | undefined)?.(e.target.value);
      }}
    />
  );
  return <Field {...props} id={id} control={control} />;
}

function TextArea(props: Props) {
  const id = useFieldId(props.name);
  const [draft, setDraft] = useDraft(props.value ?? props.defaultValue);
  const control = (
    <textarea
      id={id}
      name={String(props.name ?? '')}
      className="hs-input"
      value={draft}
      rows={Number(props.rows ?? 3)}
      {...testIdOf(props)}
      onChange={(e) => {
        setDraft(e.target.value);
        (props.onInput as ((v: string) => void) | undefined)?.(e.target.value);
      }}
      onBlur={(e) => (props.onChange as ((v: string) => void) | undefined)?.(e.target.value)}
    />
  );
  return <Field {...props} id={id} control={control} />;
}

function NumberInput(props: Props) {
  const id = useFieldId(props.name);
  const [draft, setDraft] = useDraft(props.value ?? props.defaultValue);
  const control = (
    <input
      id={id}
      name={String(props.name ?? '')}
      className="hs-input"
      type="number"
      value={draft}
      {...testIdOf(props)}
      min={props.min as number | undefined}
      max={props.max as number | undefined}
      onChange={(e) => {
        setDraft(e.target.value);
        (props.onInput as ((v: number) => void) | undefined)?.(Number(e.target.value));
      }}
      onBlur={(e) => (props.onChange as ((v: number) => void) | undefined)?.(Number(e.target.value))}
    />
  );
  return <Field {...props} id={id} control={control} />;
}

type DateValue = { year: number; month: number; date: number } | null;

function DateInput(props: Props) {
  const id = useFieldId(props.name);
  const value = props.value as DateValue | undefined;
  const iso = value ? `${value.year}-${String(value.month + 1).padStart(2, '0')}-${String(value.date).padStart(2, '0')}` : '';
  const control = (
    <input
      id={id}
      name={String(props.name ?? '')}
      className="hs-input"
      type="date"
      value={iso}
      {...testIdOf(props)}
      onChange={(e) => {
        const [year, month, date] = e.target.value.split('-').map(Number);
        (props.onChange as ((v: DateValue) => void) | undefined)?.(year ? { year, month: month! - 1, date: date! } : null);
      }}
    />
  );
  return <Field {...props} id={id} control={control} />;
}

function Select(props: Props) {
  const id = useFieldId(props.name);
  const options = (props.options ?? []) as { label: string; value: string | number }[];
  const index = options.findIndex((o) => o.value === props.value);
  const control = (
    <select
      id={id}
      name={String(props.name ?? '')}
      className="hs-input hs-select"
      value={index >= 0 ? String(index) : ''}
      disabled={Boolean(props.readOnly)}
      {...testIdOf(props)}
      onChange={(e) => (props.onChange as ((v: string | number) => void) | undefined)?.(options[Number(e.target.value)]!.value)}
    >
      {index < 0 ? <option value="">{String(props.placeholder ?? 'Select an option')}</option> : null}
      {options.map((option, i) => (
        <option key={i} value={String(i)}>
          {option.label}
        </option>
      ))}
    </select>
  );
  return <Field {...props} id={id} control={control} />;
}

function Checkbox(props: Props) {
  return (
    <label className="hs-checkbox" {...testIdOf(props)}>
      <input
        type="checkbox"
        checked={Boolean(props.checked)}
        disabled={Boolean(props.readOnly)}
        onChange={(e) => (props.onChange as ((checked: boolean, value: unknown) => void) | undefined)?.(e.target.checked, props.value)}
      />
      {props.children}
    </label>
  );
}

function Toggle(props: Props) {
  return (
    <label className="hs-checkbox" {...testIdOf(props)}>
      <input
        type="checkbox"
        role="switch"
        checked={Boolean(props.checked)}
        disabled={Boolean(props.readonly ?? props.readOnly)}
        onChange={(e) => (props.onChange as ((checked: boolean) => void) | undefined)?.(e.target.checked)}
      />
      {String(props.label ?? '')}
    </label>
  );
}

function Form(props: Props) {
  return (
    <form
      className="hs-form"
      onSubmit={(e) => {
        e.preventDefault();
        (props.onSubmit as Handler)?.({ type: 'submit', bubbles: true, timeStamp: Date.now() });
      }}
      {...testIdOf(props)}
    >
      {props.children}
    </form>
  );
}

// ---- table ----------------------------------------------------------------------------------------

function Table(props: Props) {
  return (
    <table className={cx('hs-table', Boolean(props.bordered ?? true) && 'hs-table-bordered')} {...testIdOf(props)}>
      {props.children}
    </table>
  );
}
const TableHead = (props: Props) => <thead {...testIdOf(props)}>{props.children}</thead>;
const TableBody = (props: Props) => <tbody {...testIdOf(props)}>{props.children}</tbody>;
const TableFooter = (props: Props) => <tfoot {...testIdOf(props)}>{props.children}</tfoot>;
const TableRow = (props: Props) => <tr {...testIdOf(props)}>{props.children}</tr>;
const TableHeader = (props: Props) => <th {...testIdOf(props)}>{props.children}</th>;
const TableCell = (props: Props) => <td {...testIdOf(props)}>{props.children}</td>;

// ---- unknown --------------------------------------------------------------------------------------

/** What a component the sandbox does not implement renders as: visible, with its children. */
export function UnknownComponent(props: Props & { componentType: string }) {
  return (
    <div className="hs-unknown" data-testid="unknown-component" title="Not implemented by the sandbox host">
      <span className="hs-unknown-name">&lt;{props.componentType}&gt;</span>
      {props.children}
    </div>
  );
}

export const HOST_COMPONENTS: Record<string, React.ComponentType<Props>> = {
  Alert,
  Box,
  Button,
  ButtonRow,
  Checkbox,
  DateInput,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  Form,
  Heading,
  Input,
  Link,
  List,
  LoadingButton,
  LoadingSpinner,
  NumberInput,
  ProgressBar,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
  Textarea: TextArea,
  Tile,
  Toggle,
};

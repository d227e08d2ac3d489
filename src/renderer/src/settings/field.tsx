/**
 * The one frame every Settings field shares: label, control, hint and error, wired
 * for screen readers by the field's name (`cfg-<field>`, `-hint`, `-error`).
 *
 * The control comes from the caller (a text input, a checkbox, the token's input and
 * buttons); the frame gives it its ids and the `aria-describedby` it should carry.
 */
import type { ReactNode } from 'react';

export function fieldIds(field: string): { input: string; hint: string; error: string } {
  return { input: `cfg-${field}`, hint: `cfg-${field}-hint`, error: `cfg-${field}-error` };
}

export function describedBy(ids: { hint: string; error: string }, hasHint: boolean, error: string | undefined): string | undefined {
  const parts = [hasHint ? ids.hint : null, error ? ids.error : null].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function FieldError(props: { id: string; field: string; message: string | undefined }): ReactNode {
  if (!props.message) return null;
  return (
    <p className="field__error" id={props.id} data-testid={`error-${props.field}`} role="alert">
      {props.message}
    </p>
  );
}

/** What the frame hands its control. */
export interface FieldWiring {
  ids: { input: string; hint: string; error: string };
  /** The hint's and the error's ids, when shown. */
  describedBy: string | undefined;
  invalid: true | undefined;
}

export interface FieldProps {
  field: string;
  label: string;
  error: string | undefined;
  /**
   * Shown under the control: text goes in the usual hint paragraph; a function renders
   * its own element, given the id it must carry (e.g. the type list's chips).
   */
  hint?: ReactNode | ((id: string) => ReactNode);
  /** Beside the label (the token's status badge). */
  labelAside?: ReactNode;
  /** A checkbox sits before its label, on one grid row. */
  checkbox?: boolean;
  /** After the hint (the token's override notice). */
  after?: ReactNode;
  children(wiring: FieldWiring): ReactNode;
}

export function Field(props: FieldProps): ReactNode {
  const ids = fieldIds(props.field);
  const hasHint = props.hint !== undefined && props.hint !== null && props.hint !== false && props.hint !== '';
  const control = props.children({ ids, describedBy: describedBy(ids, hasHint, props.error), invalid: props.error ? true : undefined });
  const hint = !hasHint ? null : typeof props.hint === 'function' ? (
    props.hint(ids.hint)
  ) : (
    <p className={props.checkbox ? 'field__hint field--checkbox__hint' : 'field__hint'} id={ids.hint}>
      {props.hint}
    </p>
  );
  const invalid = props.error ? ' field--invalid' : '';
  if (props.checkbox) {
    return (
      <div className={`field field--checkbox${invalid}`}>
        {control}
        <label htmlFor={ids.input}>{props.label}</label>
        {hint}
        <FieldError id={ids.error} field={props.field} message={props.error} />
      </div>
    );
  }
  const label = (
    <label className="field__label" htmlFor={ids.input}>
      {props.label}
    </label>
  );
  return (
    <div className={`field${invalid}`}>
      {props.labelAside ? (
        <div className="field__label-row">
          {label}
          {props.labelAside}
        </div>
      ) : (
        label
      )}
      {control}
      {hint}
      {props.after}
      <FieldError id={ids.error} field={props.field} message={props.error} />
    </div>
  );
}

/**
 * The Settings form's inputs: label, hint and error wired for screen readers, one
 * component per kind of field.
 */
import type { ReactNode } from 'react';
import type { ConfigField } from './config-form.js';
import { parseTypeList } from './config-form.js';

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

export function TextField(props: {
  field: ConfigField;
  label: string;
  placeholder?: string;
  hint?: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}): ReactNode {
  const ids = fieldIds(props.field);
  return (
    <div className={`field${props.error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={ids.input}>
        {props.label}
      </label>
      <input
        id={ids.input}
        type="text"
        className="input mono"
        spellCheck={false}
        autoComplete="off"
        placeholder={props.placeholder}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(props.hint), props.error)}
        data-testid={`field-${props.field}`}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.hint ? (
        <p className="field__hint" id={ids.hint}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={ids.error} field={props.field} message={props.error} />
    </div>
  );
}

export function TypeListField(props: {
  field: ConfigField;
  label: string;
  placeholder: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}): ReactNode {
  const ids = fieldIds(props.field);
  const types = parseTypeList(props.value);
  return (
    <div className={`field${props.error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={ids.input}>
        {props.label}
      </label>
      <input
        id={ids.input}
        type="text"
        className="input mono"
        spellCheck={false}
        autoComplete="off"
        placeholder={props.placeholder}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(ids, types.length > 0, props.error)}
        data-testid={`field-${props.field}`}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {types.length > 0 ? (
        <p className="chips" id={ids.hint} aria-label={`${props.label}: ${types.join(', ')}`}>
          {types.map((type) => (
            <span key={type} className="chip chip--static mono">
              {type}
            </span>
          ))}
        </p>
      ) : null}
      <FieldError id={ids.error} field={props.field} message={props.error} />
    </div>
  );
}

export function CheckboxField(props: {
  field: ConfigField;
  label: string;
  hint?: ReactNode;
  checked: boolean;
  error: string | undefined;
  onChange(value: boolean): void;
}): ReactNode {
  const ids = fieldIds(props.field);
  return (
    <div className={`field field--checkbox${props.error ? ' field--invalid' : ''}`}>
      <input
        id={ids.input}
        type="checkbox"
        checked={props.checked}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(props.hint), props.error)}
        data-testid={`field-${props.field}`}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={ids.input}>{props.label}</label>
      {props.hint ? (
        <p className="field__hint field--checkbox__hint" id={ids.hint}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={ids.error} field={props.field} message={props.error} />
    </div>
  );
}


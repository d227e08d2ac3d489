/**
 * The Settings form's inputs, one component per kind of field, each in the shared
 * `Field` frame (label, hint and error wired for screen readers).
 */
import type { ReactNode } from 'react';
import type { ConfigField } from './config-form.js';
import { parseTypeList } from './config-form.js';
import { Field } from './field.js';

export function TextField(props: {
  field: ConfigField;
  label: string;
  placeholder?: string;
  /** Text for the usual hint paragraph, or a function that renders the hint with its id. */
  hint?: string | ((id: string) => ReactNode);
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}): ReactNode {
  return (
    <Field field={props.field} label={props.label} hint={props.hint} error={props.error}>
      {({ ids, describedBy, invalid }) => (
        <input
          id={ids.input}
          type="text"
          className="input mono"
          spellCheck={false}
          autoComplete="off"
          placeholder={props.placeholder}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid={`field-${props.field}`}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
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
  const types = parseTypeList(props.value);
  // The hint is the list as understood: one chip per type.
  const chips =
    types.length > 0
      ? (id: string) => (
          <p className="chips" id={id} aria-label={`${props.label}: ${types.join(', ')}`}>
            {types.map((type) => (
              <span key={type} className="chip chip--static mono">
                {type}
              </span>
            ))}
          </p>
        )
      : undefined;
  return <TextField {...props} hint={chips} />;
}

export function CheckboxField(props: {
  field: ConfigField;
  label: string;
  hint?: ReactNode;
  checked: boolean;
  error: string | undefined;
  onChange(value: boolean): void;
}): ReactNode {
  return (
    <Field field={props.field} label={props.label} hint={props.hint} error={props.error} checkbox>
      {({ ids, describedBy, invalid }) => (
        <input
          id={ids.input}
          type="checkbox"
          checked={props.checked}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid={`field-${props.field}`}
          onChange={(event) => props.onChange(event.target.checked)}
        />
      )}
    </Field>
  );
}

import type { ComponentChildren } from 'preact';
import { usePage } from './page-context.js';

/** Field name → message key, as produced by validation. */
export type FieldErrors = Record<string, string>;

/** The error summary at the top of a form: a heading and a link to each field in error. */
export function ErrorSummary({ errors, params }: { errors: FieldErrors; params?: Record<string, string | number> }) {
  const { t } = usePage();
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>{field === '_form' ? t(key, params) : <a href={`#${field}`}>{t(key, params)}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

export interface FieldProps {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  type?: 'text' | 'password' | 'tel' | 'email' | 'number' | 'search' | 'date';
  autocomplete?: string;
  inputmode?: 'numeric' | 'tel' | 'text' | 'email';
  required?: boolean;
  maxLength?: number;
  multiline?: boolean;
}

/** A labelled input with its hint and error, linked for screen readers. */
export function Field({ name, label, value, error, hint, type = 'text', autocomplete, inputmode, required, maxLength, multiline }: FieldProps) {
  const { t } = usePage();
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id: name,
    name,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
    required,
    maxLength,
    class: error ? 'input input-error' : 'input',
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>
        {label}
        {!required && <span class="optional"> {t('form.optional')}</span>}
      </label>
      {hint && (
        <p id={`${name}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} class="error-message">
          {t(error)}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={5}>
          {value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={type} value={value ?? ''} autocomplete={autocomplete} inputMode={inputmode} />
      )}
    </div>
  );
}

export function Button({ children, variant = 'primary' }: { children: ComponentChildren; variant?: 'primary' | 'secondary' }) {
  return (
    <button type="submit" class={`button button-${variant}`}>
      {children}
    </button>
  );
}

/** A notice in a panel, e.g. after a successful action. */
export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' }) {
  return (
    <div class={`notice notice-${kind}`} role="status">
      {children}
    </div>
  );
}

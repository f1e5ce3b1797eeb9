import { usePage } from '../../../platform/views/page-context.js';

/** A labelled select with its error, linked for screen readers. */
export function Select({
  name,
  label,
  value,
  error,
  options,
}: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  options: { value: string; label: string }[];
}) {
  const { t } = usePage();
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
      {error && (
        <p id={`${name}-error`} class="error-message">
          {t(error)}
        </p>
      )}
      <select id={name} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined}>
        <option value="">{t('enterprise.choose')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A group of checkboxes; the first box carries the group's id so the error summary can link to it. */
export function Checkboxes({
  name,
  legend,
  values,
  error,
  hint,
  options,
}: {
  name: string;
  legend: string;
  values: string[];
  error?: string | undefined;
  hint?: string | undefined;
  options: { value: string; label: string; note?: string | undefined }[];
}) {
  const { t } = usePage();
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <fieldset aria-describedby={[hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined}>
        <legend>{legend}</legend>
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
        {options.map((o, i) => {
          const id = i === 0 ? name : `${name}-${o.value}`;
          return (
            <div class="checkbox" key={o.value}>
              <input type="checkbox" id={id} name={name} value={o.value} checked={values.includes(o.value)} />
              <label for={id}>
                {o.label}
                {o.note && <span class="hint"> （{o.note}）</span>}
              </label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

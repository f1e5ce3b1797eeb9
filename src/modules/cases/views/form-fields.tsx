import type { FormFieldUi } from '../../catalog/index.js';

type FieldWidget = FormFieldUi['widget'];
import { usePage } from '../../../platform/views/page-context.js';

/** One field of an application form as a page shows it (a view model built from the item's FormDefinition). */
export interface FormFieldView {
  name: string;
  widget: FieldWidget;
  label: string;
  hint?: string | undefined;
  required: boolean;
  /** Current answer as typed (strings only: the page echoes input back). */
  value: string;
  /** chengduAddress: the two parts. */
  district?: string | undefined;
  detail?: string | undefined;
  options?: { value: string; label: string }[] | undefined;
  /** file: what is accepted, shown to the person, and the name of the file already uploaded. */
  acceptLabel?: string | undefined;
  accept?: string | undefined;
  maxSizeLabel?: string | undefined;
  uploadedName?: string | undefined;
  /** Shown only when another answer has a value: explains when it is needed (no JavaScript hides it). */
  condition?: string | undefined;
  maxLength?: number | undefined;
  /** Message key. */
  error?: string | undefined;
}

/** A field the government already holds: shown read-only, never asked for. */
export interface PrefilledView {
  name: string;
  label: string;
  value: string;
  department: string;
}

function Label({ f, forId }: { f: FormFieldView; forId: string }) {
  const { t } = usePage();
  return (
    <label for={forId}>
      {f.label}
      {!f.required && <span class="optional"> {t('form.optional')}</span>}
    </label>
  );
}

function HintAndError({ f }: { f: FormFieldView }) {
  const { t } = usePage();
  return (
    <>
      {f.condition && (
        <p id={`${f.name}-condition`} class="hint cases-condition">
          {f.condition}
        </p>
      )}
      {f.hint && (
        <p id={`${f.name}-hint`} class="hint">
          {f.hint}
        </p>
      )}
      {f.error && (
        <p id={`${f.name}-error`} class="error-message">
          <span class="visually-hidden">{t('cases.page.errorPrefix')}</span>
          {t(f.error)}
        </p>
      )}
    </>
  );
}

const describedBy = (f: FormFieldView, extra: string[] = []) =>
  [f.condition ? `${f.name}-condition` : '', f.hint ? `${f.name}-hint` : '', ...extra, f.error ? `${f.name}-error` : ''].filter(Boolean).join(' ') || undefined;

const fieldClass = (f: FormFieldView) => (f.error ? 'field field-error' : 'field');
const inputClass = (f: FormFieldView) => (f.error ? 'input input-error' : 'input');

/** Renders one widget of an application form: labelled, with its hint and error linked for screen readers. */
export function FormField({ f }: { f: FormFieldView }) {
  const { t } = usePage();
  const invalid = f.error ? ('true' as const) : undefined;

  if (f.widget === 'choice') {
    const options = f.options ?? [];
    // Few options read best as radios; a long list is a select.
    if (options.length <= 5) {
      return (
        <div class={fieldClass(f)}>
          <fieldset aria-describedby={describedBy(f)}>
            <legend>
              {f.label}
              {!f.required && <span class="optional"> {t('form.optional')}</span>}
            </legend>
            <HintAndError f={f} />
            {options.map((o, i) => (
              <div class="cases-radio" key={o.value}>
                <input
                  type="radio"
                  id={i === 0 ? f.name : `${f.name}-${o.value}`}
                  name={f.name}
                  value={o.value}
                  checked={f.value === o.value}
                  aria-invalid={invalid}
                />
                <label for={i === 0 ? f.name : `${f.name}-${o.value}`}>{o.label}</label>
              </div>
            ))}
          </fieldset>
        </div>
      );
    }
    return (
      <div class={fieldClass(f)}>
        <Label f={f} forId={f.name} />
        <HintAndError f={f} />
        <select id={f.name} name={f.name} aria-describedby={describedBy(f)} aria-invalid={invalid} class={inputClass(f)}>
          <option value="">{t('cases.page.choose')}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value} selected={f.value === o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  }

  if (f.widget === 'chengduAddress') {
    return (
      <div class={fieldClass(f)}>
        <fieldset aria-describedby={describedBy(f)}>
          <legend>
            {f.label}
            {!f.required && <span class="optional"> {t('form.optional')}</span>}
          </legend>
          <HintAndError f={f} />
          <div class="field">
            <label for={f.name}>{t('cases.page.address.district')}</label>
            <select id={f.name} name={`${f.name}.district`} aria-invalid={invalid} class={inputClass(f)} autocomplete="address-level2">
              <option value="">{t('cases.page.choose')}</option>
              {(f.options ?? []).map((o) => (
                <option key={o.value} value={o.value} selected={f.district === o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${f.name}-detail`}>{t('cases.page.address.detail')}</label>
            <input
              id={`${f.name}-detail`}
              name={`${f.name}.detail`}
              type="text"
              class={inputClass(f)}
              value={f.detail ?? ''}
              maxLength={120}
              autocomplete="street-address"
              aria-invalid={invalid}
            />
          </div>
        </fieldset>
      </div>
    );
  }

  if (f.widget === 'file') {
    return (
      <div class={fieldClass(f)}>
        <Label f={f} forId={f.name} />
        <HintAndError f={f} />
        <p id={`${f.name}-accept`} class="hint">
          {t('cases.page.file.accept', { types: f.acceptLabel ?? '', size: f.maxSizeLabel ?? '' })}
        </p>
        {f.uploadedName && (
          <p id={`${f.name}-current`} class="cases-uploaded">
            {t('cases.page.file.current', { name: f.uploadedName })}
          </p>
        )}
        <input
          id={f.name}
          name={f.name}
          type="file"
          accept={f.accept}
          class={inputClass(f)}
          aria-describedby={describedBy(f, [`${f.name}-accept`, f.uploadedName ? `${f.name}-current` : ''].filter(Boolean))}
          aria-invalid={invalid}
        />
      </div>
    );
  }

  if (f.widget === 'textarea') {
    return (
      <div class={fieldClass(f)}>
        <Label f={f} forId={f.name} />
        <HintAndError f={f} />
        <textarea id={f.name} name={f.name} rows={5} class={inputClass(f)} maxLength={f.maxLength} aria-describedby={describedBy(f)} aria-invalid={invalid}>
          {f.value}
        </textarea>
      </div>
    );
  }

  const typed: Record<string, { type: string; inputMode?: string; autocomplete?: string; maxLength?: number; spellcheck?: boolean }> = {
    text: { type: 'text' },
    number: { type: 'text', inputMode: 'numeric' },
    idNumber: { type: 'text', inputMode: 'text', autocomplete: 'off', maxLength: 18, spellcheck: false },
    uscc: { type: 'text', autocomplete: 'off', maxLength: 18, spellcheck: false },
    phone: { type: 'tel', inputMode: 'tel', autocomplete: 'tel-national', maxLength: 11 },
    date: { type: 'date' },
  };
  const spec = typed[f.widget] ?? { type: 'text' };
  return (
    <div class={fieldClass(f)}>
      <Label f={f} forId={f.name} />
      <HintAndError f={f} />
      <input
        id={f.name}
        name={f.name}
        type={spec.type}
        inputMode={spec.inputMode as 'text' | 'numeric' | 'tel' | undefined}
        autocomplete={spec.autocomplete}
        spellcheck={spec.spellcheck}
        maxLength={spec.maxLength ?? f.maxLength}
        value={f.value}
        class={f.widget === 'number' ? `${inputClass(f)} cases-input-short` : inputClass(f)}
        aria-describedby={describedBy(f)}
        aria-invalid={invalid}
      />
    </div>
  );
}

/** What the government already holds, with where it comes from: nothing to type, nothing to upload. */
export function PrefilledList({ items }: { items: PrefilledView[] }) {
  const { t } = usePage();
  if (items.length === 0) return null;
  return (
    <section class="cases-prefilled" aria-labelledby="prefilled-title">
      <h2 id="prefilled-title">{t('cases.page.prefilled.title')}</h2>
      <dl class="summary-list">
        {items.map((p) => (
          <div key={p.name}>
            <dt>{p.label}</dt>
            <dd>
              {p.value}
              <p class="held-by">{t('cases.page.prefilled.from', { department: p.department })}</p>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

import { Button, CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface StaffItemRow {
  code: string;
  name: string;
  departmentName: string;
  version: number;
  status: string;
  editHref: string;
  viewHref: string;
}

export function StaffHomePage({
  name,
  departmentName,
  roles,
  canManage,
  items,
}: {
  name: string;
  departmentName: string | null;
  roles: string[];
  canManage: boolean;
  items: StaffItemRow[];
}) {
  const { t } = usePage();
  return (
    <Layout title={t('catalog.staff.title')} area="staff">
      <h1>{t('catalog.staff.title')}</h1>
      <dl class="summary-list">
        <dt>{t('catalog.staff.name')}</dt>
        <dd>{name}</dd>
        <dt>{t('catalog.staff.department')}</dt>
        <dd>{departmentName ?? t('catalog.staff.noDepartment')}</dd>
        <dt>{t('catalog.staff.roles')}</dt>
        <dd>{roles.map((r) => t(`catalog.role.${r}`)).join(t('catalog.list.separator'))}</dd>
      </dl>
      <ul class="tags">
        <li>
          <a href="/staff/cases">{t('catalog.staff.workbench')}</a>
        </li>
        <li>
          <a href="/account/inbox">{t('catalog.staff.inbox')}</a>
        </li>
        {roles.includes('platform_admin') && (
          <li>
            <a href="/staff/calendar">{t('catalog.staff.calendar')}</a>
          </li>
        )}
      </ul>
      {canManage && (
        <section aria-labelledby="items-title">
          <h2 id="items-title">{t('catalog.staff.items')}</h2>
          <p>
            <a class="button button-secondary" href="/staff/items/new">
              {t('catalog.staff.newItem')}
            </a>
          </p>
          {items.length === 0 ? (
            <p>{t('catalog.staff.noItems')}</p>
          ) : (
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">{t('catalog.staff.items')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('catalog.staff.itemName')}</th>
                    <th scope="col">{t('catalog.staff.itemDepartment')}</th>
                    <th scope="col">{t('catalog.staff.itemVersion')}</th>
                    <th scope="col">{t('catalog.staff.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.code}>
                      <td>
                        <a href={i.viewHref}>{i.name}</a>
                        <br />
                        <span class="meta">{i.code}</span>
                      </td>
                      <td>{i.departmentName}</td>
                      <td>{i.version}</td>
                      <td>
                        <a href={i.editHref} aria-label={t('catalog.staff.editNamed', { name: i.name })}>
                          {t('catalog.staff.edit')}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </Layout>
  );
}

export interface MaterialFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  noteZh: string;
  noteEn: string;
  held: boolean;
  heldBy: string;
  required: boolean;
}

export interface ItemFormValues {
  code: string;
  departmentCode: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  applicantKinds: string[];
  deliveryOptions: string[];
  lifeEvents: string[];
  keywords: string;
  legalValue: string;
  legalUnit: string;
  promisedValue: string;
  promisedUnit: string;
  feeYuan: string;
  feeNoteZh: string;
  feeNoteEn: string;
  materials: MaterialFormValues[];
  formDefinition: string;
  workflowDefinition: string;
  baseVersion: string;
}

interface Option {
  value: string;
  label: string;
}

function Select({
  name,
  label,
  value,
  options,
  error,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  options: Option[];
  error?: string | undefined;
  hint?: string;
}) {
  const { t } = usePage();
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
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
      <select id={name} name={name} aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Checkboxes({
  name,
  legend,
  values,
  options,
  error,
}: {
  name: string;
  legend: string;
  values: string[];
  options: Option[];
  error?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <fieldset class={error ? 'field field-error' : 'field'} id={name} tabIndex={-1} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p id={`${name}-error`} class="error-message">
          {t(error)}
        </p>
      )}
      {options.map((o) => (
        <div class="checkbox" key={o.value}>
          <input type="checkbox" id={`${name}-${o.value}`} name={name} value={o.value} checked={values.includes(o.value)} />
          <label for={`${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export interface ItemFormPageProps {
  mode: 'new' | 'edit';
  code?: string;
  title: string;
  values: ItemFormValues;
  errors: FieldErrors;
  problems: { formDefinition?: string[]; workflowDefinition?: string[] };
  departmentChoices: Option[];
  allDepartments: Option[];
  lifeEvents: Option[];
  saved?: number | undefined;
}

export function ItemFormPage({ mode, code, title, values, errors, problems, departmentChoices, allDepartments, lifeEvents, saved }: ItemFormPageProps) {
  const { t } = usePage();
  const action = mode === 'new' ? '/staff/items/new' : `/staff/items/${encodeURIComponent(code ?? '')}/edit`;
  const units: Option[] = ['working_days', 'working_hours', 'days', 'hours'].map((u) => ({ value: u, label: t(`catalog.unit.${u}`) }));
  return (
    <Layout title={title} area="staff">
      <p>
        <a href="/staff/home">{t('catalog.edit.back')}</a>
      </p>
      <ErrorSummary errors={errors} />
      {saved !== undefined && (
        <Notice kind="success">
          {t('catalog.edit.saved', { version: saved })} <a href={`/services/${encodeURIComponent(code ?? '')}`}>{t('catalog.edit.viewPublic')}</a>
        </Notice>
      )}
      <h1>{title}</h1>
      <form method="post" action={action} novalidate>
        <CsrfField />
        <input type="hidden" name="baseVersion" value={values.baseVersion} />
        {mode === 'new' && (
          <Field name="code" label={t('catalog.edit.code')} hint={t('catalog.edit.codeHint')} value={values.code} error={errors.code} required maxLength={60} />
        )}
        <Select
          name="departmentCode"
          label={t('catalog.edit.department')}
          value={values.departmentCode}
          options={departmentChoices}
          error={errors.departmentCode}
        />
        <Field name="nameZh" label={t('catalog.edit.nameZh')} value={values.nameZh} error={errors.nameZh} required maxLength={100} />
        <Field name="nameEn" label={t('catalog.edit.nameEn')} value={values.nameEn} error={errors.nameEn} required maxLength={100} />
        <Field
          name="descriptionZh"
          label={t('catalog.edit.descriptionZh')}
          value={values.descriptionZh}
          error={errors.descriptionZh}
          required
          multiline
          maxLength={4000}
        />
        <Field
          name="descriptionEn"
          label={t('catalog.edit.descriptionEn')}
          value={values.descriptionEn}
          error={errors.descriptionEn}
          required
          multiline
          maxLength={4000}
        />
        <Checkboxes
          name="applicantKinds"
          legend={t('catalog.item.whoMayApply')}
          values={values.applicantKinds}
          options={['citizen', 'enterprise'].map((k) => ({ value: k, label: t(`catalog.applicant.${k}`) }))}
          error={errors.applicantKinds}
        />

        <h2>{t('catalog.edit.limits')}</h2>
        <Field
          name="legalLimit"
          label={t('catalog.edit.legalValue')}
          value={values.legalValue}
          error={errors.legalLimit}
          required
          type="number"
          inputmode="numeric"
        />
        <Select name="legalUnit" label={t('catalog.edit.legalUnit')} value={values.legalUnit} options={units} />
        <Field
          name="promisedLimit"
          label={t('catalog.edit.promisedValue')}
          hint={t('catalog.edit.promisedHint')}
          value={values.promisedValue}
          error={errors.promisedLimit}
          required
          type="number"
          inputmode="numeric"
        />
        <Select name="promisedUnit" label={t('catalog.edit.promisedUnit')} value={values.promisedUnit} options={units} />

        <h2>{t('catalog.item.cost')}</h2>
        <Field
          name="feeFen"
          label={t('catalog.edit.fee')}
          hint={t('catalog.edit.feeHint')}
          value={values.feeYuan}
          error={errors.feeFen}
          required
          inputmode="text"
          maxLength={12}
        />
        <Field name="feeNoteZh" label={t('catalog.edit.feeNoteZh')} value={values.feeNoteZh} error={errors.feeNoteZh} maxLength={500} />
        <Field name="feeNoteEn" label={t('catalog.edit.feeNoteEn')} value={values.feeNoteEn} error={errors.feeNoteEn} maxLength={500} />

        <Checkboxes
          name="deliveryOptions"
          legend={t('catalog.item.delivery')}
          values={values.deliveryOptions}
          options={['window', 'courier', 'electronic'].map((d) => ({ value: d, label: t(`catalog.delivery.${d}`) }))}
          error={errors.deliveryOptions}
        />
        <Checkboxes name="lifeEvents" legend={t('catalog.item.lifeEvents')} values={values.lifeEvents} options={lifeEvents} error={errors.lifeEvents} />
        <Field
          name="keywords"
          label={t('catalog.edit.keywords')}
          hint={t('catalog.edit.keywordsHint')}
          value={values.keywords}
          error={errors.keywords}
          multiline
          maxLength={2000}
        />

        <h2 id="materials" tabIndex={-1}>
          {t('catalog.item.whatYouNeed')}
        </h2>
        {errors.materials && <p class="error-message">{t(errors.materials)}</p>}
        <p class="hint">{t('catalog.edit.materialsHint')}</p>
        {values.materials.map((m, i) => {
          const p = `material-${i}`;
          return (
            <fieldset class="material" key={p}>
              <legend>{t('catalog.edit.material', { n: i + 1 })}</legend>
              <Field name={`${p}-nameZh`} label={t('catalog.edit.nameZh')} value={m.nameZh} error={errors[`${p}-nameZh`]} maxLength={200} />
              <Field name={`${p}-nameEn`} label={t('catalog.edit.nameEn')} value={m.nameEn} error={errors[`${p}-nameEn`]} maxLength={200} />
              <Field name={`${p}-code`} label={t('catalog.edit.materialCode')} value={m.code} error={errors[`${p}-code`]} maxLength={60} />
              <div class="checkbox">
                <input type="checkbox" id={`${p}-required`} name={`${p}-required`} value="1" checked={m.required} />
                <label for={`${p}-required`}>{t('catalog.edit.materialRequired')}</label>
              </div>
              <div class="checkbox">
                <input type="checkbox" id={`${p}-held`} name={`${p}-held`} value="1" checked={m.held} />
                <label for={`${p}-held`}>{t('catalog.edit.materialHeld')}</label>
              </div>
              <Select
                name={`${p}-heldBy`}
                label={t('catalog.edit.materialHeldBy')}
                value={m.heldBy}
                options={[{ value: '', label: t('catalog.edit.none') }, ...allDepartments]}
                error={errors[`${p}-heldBy`]}
              />
              <Field name={`${p}-noteZh`} label={t('catalog.edit.noteZh')} value={m.noteZh} error={errors[`${p}-noteZh`]} maxLength={500} />
              <Field name={`${p}-noteEn`} label={t('catalog.edit.noteEn')} value={m.noteEn} error={errors[`${p}-noteEn`]} maxLength={500} />
            </fieldset>
          );
        })}

        <h2>{t('catalog.edit.definitions')}</h2>
        <Field
          name="formDefinition"
          label={t('catalog.edit.formDefinition')}
          hint={t('catalog.edit.formDefinitionHint')}
          value={values.formDefinition}
          error={errors.formDefinition}
          required
          multiline
        />
        {problems.formDefinition && <ProblemList problems={problems.formDefinition} />}
        <Field
          name="workflowDefinition"
          label={t('catalog.edit.workflowDefinition')}
          hint={t('catalog.edit.workflowDefinitionHint')}
          value={values.workflowDefinition}
          error={errors.workflowDefinition}
          required
          multiline
        />
        {problems.workflowDefinition && <ProblemList problems={problems.workflowDefinition} />}
        <Button>{t('catalog.edit.save')}</Button>
      </form>
    </Layout>
  );
}

function ProblemList({ problems }: { problems: string[] }) {
  return (
    <ul class="error-message" lang="en">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

import { Layout } from '../../../platform/views/layout.js';
import { Button, CsrfField, ErrorSummary, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';

export interface QueueRow {
  id: string;
  href: string;
  receiptNo: string;
  serviceName: string;
  applicant: string;
  status: string;
  statusCode: string;
  submitted: string;
  /** Time left in the state's SLA (working time), or how long it is overdue. */
  sla: string | null;
  overdue: boolean;
  assignee: string | null;
  canClaim: boolean;
}

export interface QueueFilters {
  state: string;
  item: string;
  overdue: boolean;
  mine: boolean;
}

/** The department's queue, filtered by a GET form; claim from the row. */
export function StaffQueuePage({
  rows,
  filters,
  states,
  items,
  departmentName,
  notice,
}: {
  rows: QueueRow[];
  filters: QueueFilters;
  states: { value: string; label: string }[];
  items: { value: string; label: string }[];
  departmentName: string;
  notice?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.staff.queue.title')} area="staff">
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <p class="meta">{departmentName}</p>
      <h1>{t('cases.staff.queue.title')}</h1>
      <form method="get" action="/staff/cases" class="cases-filters">
        <fieldset>
          <legend>{t('cases.staff.queue.filters')}</legend>
          <div class="field">
            <label for="state">{t('cases.staff.queue.state')}</label>
            <select id="state" name="state" class="input">
              <option value="">{t('cases.staff.queue.open')}</option>
              {states.map((s) => (
                <option key={s.value} value={s.value} selected={filters.state === s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="item">{t('cases.staff.queue.item')}</label>
            <select id="item" name="item" class="input">
              <option value="">{t('cases.staff.queue.allItems')}</option>
              {items.map((s) => (
                <option key={s.value} value={s.value} selected={filters.item === s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div class="checkbox">
            <input type="checkbox" id="overdue" name="overdue" value="1" checked={filters.overdue} />
            <label for="overdue">{t('cases.staff.queue.overdueOnly')}</label>
          </div>
          <div class="checkbox">
            <input type="checkbox" id="mine" name="mine" value="1" checked={filters.mine} />
            <label for="mine">{t('cases.staff.queue.mine')}</label>
          </div>
          <Button variant="secondary">{t('cases.staff.queue.apply')}</Button>
        </fieldset>
      </form>
      <h2>{t('cases.staff.queue.count', { n: rows.length })}</h2>
      {rows.length === 0 ? (
        <p class="empty-state">{t('cases.staff.queue.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="cases-queue">
            <caption class="visually-hidden">{t('cases.staff.queue.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.page.receiptNo')}</th>
                <th scope="col">{t('cases.page.service')}</th>
                <th scope="col">{t('cases.staff.applicant')}</th>
                <th scope="col">{t('cases.page.status')}</th>
                <th scope="col">{t('cases.staff.queue.sla')}</th>
                <th scope="col">{t('cases.staff.queue.assignee')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} class={r.overdue ? 'cases-overdue' : undefined}>
                  <td>
                    <a href={r.href}>{r.receiptNo}</a>
                    <p class="meta">{r.submitted}</p>
                  </td>
                  <td>{r.serviceName}</td>
                  <td>{r.applicant}</td>
                  <td>{r.status}</td>
                  <td>{r.sla ? <span class={r.overdue ? 'cases-sla cases-sla-overdue' : 'cases-sla'}>{r.sla}</span> : '—'}</td>
                  <td>
                    {r.assignee ?? t('cases.staff.unassigned')}
                    {r.canClaim && (
                      <form method="post" action={`/staff/cases/${r.id}/claim`} class="inline-form">
                        <CsrfField />
                        <input type="hidden" name="return" value="queue" />{' '}
                        <button type="submit" class="link-button">
                          {t('cases.staff.claim')}
                          <span class="visually-hidden"> {r.receiptNo}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface StaffActionView {
  name: string;
  label: string;
  needsComment: boolean;
}

export interface StaffCaseView {
  id: string;
  /** The version shown: an action on an older one is refused with a conflict. */
  version: number;
  receiptNo: string;
  serviceName: string;
  status: string;
  statusCode: string;
  applicant: string;
  actingFor: string | null;
  submitted: string;
  promisedBy: string | null;
  sla: string | null;
  overdue: boolean;
  assignee: string | null;
  canClaim: boolean;
  assignable: { value: string; label: string }[];
  payment: string | null;
  delivery: string | null;
  answers: { label: string; value: string; href?: string | undefined; heldBy?: string | undefined }[];
  materials: { label: string; href: string; name: string }[];
  history: { at: string; status: string; actor: string; note: string | null; internal: boolean }[];
  actions: StaffActionView[];
  canRequestCorrection: boolean;
  correctable: { key: string; label: string }[];
}

/** One application for the handling staff: data, materials, history, the actions their role allows. */
export function StaffCasePage({
  v,
  errors,
  values,
  notice,
}: {
  v: StaffCaseView;
  errors: FieldErrors;
  values: { comment: string; note: string; correctionNote: string; items: string[]; reasons: Record<string, string> };
  notice?: string | undefined;
}) {
  const { t } = usePage();
  const base = `/staff/cases/${v.id}`;
  return (
    <Layout title={`${v.receiptNo} - ${t('cases.staff.queue.title')}`} area="staff">
      <p>
        <a href="/staff/cases" class="cases-back">
          {t('cases.staff.queue.title')}
        </a>
      </p>
      <ErrorSummary errors={errors} />
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <p class="meta">{v.serviceName}</p>
      <h1>{t('cases.staff.case.title', { receiptNo: v.receiptNo })}</h1>
      <dl class="summary-list">
        <dt>{t('cases.page.status')}</dt>
        <dd>
          <span class={`cases-status cases-status-${v.statusCode}`}>{v.status}</span>
        </dd>
        <dt>{t('cases.staff.applicant')}</dt>
        <dd>
          {v.applicant}
          {v.actingFor && <p class="meta">{t('cases.staff.actingFor', { name: v.actingFor })}</p>}
        </dd>
        <dt>{t('cases.staff.submitted')}</dt>
        <dd>{v.submitted}</dd>
        {v.promisedBy && (
          <>
            <dt>{t('cases.page.promisedBy')}</dt>
            <dd>{v.promisedBy}</dd>
          </>
        )}
        {v.sla && (
          <>
            <dt>{t('cases.staff.queue.sla')}</dt>
            <dd class={v.overdue ? 'cases-sla cases-sla-overdue' : 'cases-sla'}>{v.sla}</dd>
          </>
        )}
        <dt>{t('cases.staff.queue.assignee')}</dt>
        <dd>{v.assignee ?? t('cases.staff.unassigned')}</dd>
        {v.payment && (
          <>
            <dt>{t('cases.page.pay.title')}</dt>
            <dd>{v.payment}</dd>
          </>
        )}
        {v.delivery && (
          <>
            <dt>{t('cases.page.delivery.title')}</dt>
            <dd>{v.delivery}</dd>
          </>
        )}
      </dl>

      {(v.canClaim || v.assignable.length > 0) && (
        <section aria-labelledby="assign-title">
          <h2 id="assign-title">{t('cases.staff.assign.title')}</h2>
          {v.canClaim && (
            <form method="post" action={`${base}/claim`}>
              <CsrfField />
              <Button variant="secondary">{t('cases.staff.claim')}</Button>
            </form>
          )}
          {v.assignable.length > 0 && (
            <form method="post" action={`${base}/assign`} class="cases-assign">
              <CsrfField />
              <div class={errors.assignee ? 'field field-error' : 'field'}>
                <label for="assignee">{t('cases.staff.assign.to')}</label>
                {errors.assignee && (
                  <p id="assignee-error" class="error-message">
                    {t(errors.assignee)}
                  </p>
                )}
                <select id="assignee" name="assignee" class="input">
                  {v.assignable.map((a) => (
                    <option key={a.value} value={a.value}>
                      {a.label}
                    </option>
                  ))}
                </select>
              </div>
              <Button variant="secondary">{t('cases.staff.assign.button')}</Button>
            </form>
          )}
        </section>
      )}

      <h2>{t('cases.staff.case.data')}</h2>
      <dl class="summary-list">
        {v.answers.map((a) => (
          <div key={a.label}>
            <dt>{a.label}</dt>
            <dd>
              {a.href ? <a href={a.href}>{a.value}</a> : a.value}
              {a.heldBy && <p class="held-by">{t('cases.page.prefilled.fromShort', { department: a.heldBy })}</p>}
            </dd>
          </div>
        ))}
      </dl>

      <h2>{t('cases.staff.case.materials')}</h2>
      {v.materials.length === 0 ? (
        <p>{t('cases.staff.case.noMaterials')}</p>
      ) : (
        <ul>
          {v.materials.map((m) => (
            <li key={m.href}>
              {m.label}: <a href={m.href}>{m.name}</a>
            </li>
          ))}
        </ul>
      )}

      {v.actions.length > 0 && (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{t('cases.staff.case.actions')}</h2>
          <form method="post" action={`${base}/actions`} novalidate>
            <CsrfField />
            <input type="hidden" name="version" value={String(v.version)} />
            <div class={errors.comment ? 'field field-error' : 'field'}>
              <label for="comment">
                {t('cases.staff.case.comment')} <span class="optional">{t('cases.staff.case.commentWhen')}</span>
              </label>
              <p id="comment-hint" class="hint">
                {t('cases.staff.case.commentHint', {
                  actions: v.actions
                    .filter((a) => a.needsComment)
                    .map((a) => a.label)
                    .join(t('cases.page.separator')),
                })}
              </p>
              {errors.comment && (
                <p id="comment-error" class="error-message">
                  {t(errors.comment)}
                </p>
              )}
              <textarea
                id="comment"
                name="comment"
                rows={3}
                maxLength={2000}
                class={errors.comment ? 'input input-error' : 'input'}
                aria-describedby={errors.comment ? 'comment-hint comment-error' : 'comment-hint'}
              >
                {values.comment}
              </textarea>
            </div>
            <div class="cases-actions">
              {v.actions.map((a) => (
                <button key={a.name} type="submit" name="action" value={a.name} class="button button-primary">
                  {a.label}
                </button>
              ))}
            </div>
          </form>
        </section>
      )}

      {v.canRequestCorrection && (
        <section aria-labelledby="correction-title">
          <h2 id="correction-title">{t('cases.staff.correction.title')}</h2>
          <p class="hint">{t('cases.staff.correction.intro')}</p>
          <form method="post" action={`${base}/correction`} novalidate>
            <CsrfField />
            <input type="hidden" name="version" value={String(v.version)} />
            <div class={errors.items ? 'field field-error' : 'field'}>
              <fieldset id="items" aria-describedby={errors.items ? 'items-error' : undefined}>
                <legend>{t('cases.staff.correction.items')}</legend>
                {errors.items && (
                  <p id="items-error" class="error-message">
                    {t(errors.items)}
                  </p>
                )}
                {v.correctable.map((c) => {
                  const reasonError = errors[`reason-${c.key}`];
                  return (
                    <div class="cases-correction-item" key={c.key}>
                      <div class="checkbox">
                        <input type="checkbox" id={`item-${c.key}`} name="items" value={c.key} checked={values.items.includes(c.key)} />
                        <label for={`item-${c.key}`}>{c.label}</label>
                      </div>
                      <div class={reasonError ? 'field field-error' : 'field'}>
                        <label for={`reason-${c.key}`}>{t('cases.staff.correction.reason', { item: c.label })}</label>
                        {reasonError && (
                          <p id={`reason-${c.key}-error`} class="error-message">
                            {t(reasonError)}
                          </p>
                        )}
                        <input
                          type="text"
                          id={`reason-${c.key}`}
                          name={`reason-${c.key}`}
                          value={values.reasons[c.key] ?? ''}
                          maxLength={200}
                          class={reasonError ? 'input input-error' : 'input'}
                          aria-describedby={reasonError ? `reason-${c.key}-error` : undefined}
                        />
                      </div>
                    </div>
                  );
                })}
              </fieldset>
            </div>
            <div class="field">
              <label for="correctionNote">
                {t('cases.staff.correction.note')} <span class="optional">{t('form.optional')}</span>
              </label>
              <textarea id="correctionNote" name="correctionNote" rows={3} maxLength={2000} class="input">
                {values.correctionNote}
              </textarea>
            </div>
            <Button>{t('cases.staff.correction.send')}</Button>
          </form>
        </section>
      )}

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('cases.staff.notes.title')}</h2>
        <form method="post" action={`${base}/notes`} novalidate>
          <CsrfField />
          <div class={errors.note ? 'field field-error' : 'field'}>
            <label for="note">{t('cases.staff.notes.text')}</label>
            {errors.note && (
              <p id="note-error" class="error-message">
                {t(errors.note)}
              </p>
            )}
            <textarea
              id="note"
              name="note"
              rows={3}
              maxLength={2000}
              class={errors.note ? 'input input-error' : 'input'}
              aria-describedby={errors.note ? 'note-error' : undefined}
            >
              {values.note}
            </textarea>
          </div>
          <fieldset>
            <legend>{t('cases.staff.notes.visibility')}</legend>
            <div class="cases-radio">
              <input type="radio" id="visibility" name="visibility" value="internal" checked />
              <label for="visibility">{t('cases.staff.notes.internal')}</label>
            </div>
            <div class="cases-radio">
              <input type="radio" id="visibility-public" name="visibility" value="public" />
              <label for="visibility-public">{t('cases.staff.notes.public')}</label>
            </div>
          </fieldset>
          <Button variant="secondary">{t('cases.staff.notes.add')}</Button>
        </form>
      </section>

      <h2>{t('cases.staff.case.history')}</h2>
      <ol class="cases-timeline">
        {v.history.map((e, i) => (
          <li key={i} class={e.internal ? 'cases-internal' : undefined}>
            <p class="meta">
              {e.at} · {e.actor}
              {e.internal && <span> · {t('cases.staff.notes.internalMark')}</span>}
            </p>
            <p>
              <strong>{e.status}</strong>
            </p>
            {e.note && <p>{e.note}</p>}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export interface CalendarDayView {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** Platform admin: the holidays and make-up working days the SLA clock counts with. */
export function CalendarPage({
  days,
  values,
  errors,
  year,
  notice,
}: {
  days: CalendarDayView[];
  values: { date: string; kind: string; name: string };
  errors: FieldErrors;
  year: number;
  notice?: string | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('cases.staff.calendar.title')} area="staff">
      <ErrorSummary errors={errors} />
      {notice && <Notice kind="success">{t(notice)}</Notice>}
      <h1>{t('cases.staff.calendar.title')}</h1>
      <p>{t('cases.staff.calendar.intro')}</p>
      <nav aria-label={t('cases.staff.calendar.years')}>
        <p>
          <a href={`/staff/calendar?year=${year - 1}`}>{year - 1}</a> · <strong>{year}</strong> · <a href={`/staff/calendar?year=${year + 1}`}>{year + 1}</a>
        </p>
      </nav>
      <h2>{t('cases.staff.calendar.add')}</h2>
      <form method="post" action="/staff/calendar" novalidate>
        <CsrfField />
        <div class={errors.date ? 'field field-error' : 'field'}>
          <label for="date">{t('cases.staff.calendar.date')}</label>
          {errors.date && (
            <p id="date-error" class="error-message">
              {t(errors.date)}
            </p>
          )}
          <input
            id="date"
            name="date"
            type="date"
            value={values.date}
            class={errors.date ? 'input input-error' : 'input'}
            aria-describedby={errors.date ? 'date-error' : undefined}
          />
        </div>
        <div class={errors.kind ? 'field field-error' : 'field'}>
          <fieldset aria-describedby={errors.kind ? 'kind-error' : undefined}>
            <legend>{t('cases.staff.calendar.kind')}</legend>
            {errors.kind && (
              <p id="kind-error" class="error-message">
                {t(errors.kind)}
              </p>
            )}
            <div class="cases-radio">
              <input type="radio" id="kind" name="kind" value="holiday" checked={values.kind !== 'workday'} />
              <label for="kind">{t('cases.staff.calendar.holiday')}</label>
            </div>
            <div class="cases-radio">
              <input type="radio" id="kind-workday" name="kind" value="workday" checked={values.kind === 'workday'} />
              <label for="kind-workday">{t('cases.staff.calendar.workday')}</label>
            </div>
          </fieldset>
        </div>
        <div class={errors.name ? 'field field-error' : 'field'}>
          <label for="name">{t('cases.staff.calendar.name')}</label>
          {errors.name && (
            <p id="name-error" class="error-message">
              {t(errors.name)}
            </p>
          )}
          <input
            id="name"
            name="name"
            type="text"
            value={values.name}
            maxLength={50}
            class={errors.name ? 'input input-error' : 'input'}
            aria-describedby={errors.name ? 'name-error' : undefined}
          />
        </div>
        <Button>{t('cases.staff.calendar.addButton')}</Button>
      </form>
      <h2>{t('cases.staff.calendar.listTitle', { year })}</h2>
      {days.length === 0 ? (
        <p class="empty-state">{t('cases.staff.calendar.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('cases.staff.calendar.listTitle', { year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.staff.calendar.date')}</th>
                <th scope="col">{t('cases.staff.calendar.kind')}</th>
                <th scope="col">{t('cases.staff.calendar.name')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('cases.staff.calendar.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{d.date}</td>
                  <td>{t(`cases.staff.calendar.${d.kind}`)}</td>
                  <td>{d.name}</td>
                  <td>
                    <form method="post" action={`/staff/calendar/${d.date}/remove`} class="inline-form">
                      <CsrfField />
                      <button type="submit" class="link-button">
                        {t('cases.staff.calendar.remove')}
                        <span class="visually-hidden"> {d.date}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

import type { Locale } from '../../../platform/i18n/i18n.js';
import { formatDateTime } from '../../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { LiveVehicle } from '../live/index.js';
import type { FeedProblem } from '../transit.schema.js';
import type { AlertRow, StopArrival, StopHit } from '../transit.service.js';

const scroll = { overflowX: 'auto' } as const;

export function clockTime(locale: Locale, unix: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(unix * 1000));
}

export function AlertList({ alerts }: { alerts: AlertRow[] }) {
  const { t, locale } = usePage();
  if (alerts.length === 0) return null;
  return (
    <section class="notice" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('transit.alerts.title')}</h2>
      <ul>
        {alerts.map((a) => (
          <li key={a.id}>
            <strong>{t(`transit.alerts.kind.${a.kind}`)}</strong>: {locale === 'en' ? a.headerEn : a.headerZh}
            {a.endsAt && <> ({t('transit.alerts.until', { time: formatDateTime(locale, a.endsAt) })})</>}
            {(locale === 'en' ? a.descriptionEn : a.descriptionZh) && <p>{locale === 'en' ? a.descriptionEn : a.descriptionZh}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface RouteLink {
  id: string;
  name: string;
  longName: string | null;
}

function StopList({ stops }: { stops: StopHit[] }) {
  const { t } = usePage();
  return (
    <ul>
      {stops.map((s) => (
        <li key={s.id}>
          <a href={`/transit/stops/${encodeURIComponent(s.id)}`}>{s.name}</a>
          {s.distance !== undefined && <> · {t('transit.nearby.distance', { m: s.distance })}</>}
          {s.routes.length > 0 && <> · {t('transit.stop.routes', { routes: s.routes.join('、') })}</>}
        </li>
      ))}
    </ul>
  );
}

export interface HomeProps {
  q: string;
  hits: StopHit[] | null;
  searchError?: string | undefined;
  lat: string;
  lon: string;
  nearby: StopHit[] | null;
  nearbyErrors: FieldErrors;
  routes: RouteLink[];
}

export function TransitHome(p: HomeProps) {
  const { t } = usePage();
  const errors: FieldErrors = { ...(p.searchError ? { q: p.searchError } : {}), ...p.nearbyErrors };
  return (
    <Layout title={t('transit.title')}>
      <h1>{t('transit.title')}</h1>
      <p>{t('transit.intro')}</p>
      <ErrorSummary errors={errors} />
      <form method="get" action="/transit" role="search">
        <Field name="q" label={t('transit.search.label')} value={p.q} type="search" maxLength={200} error={p.searchError} required />
        <button type="submit" class="button button-primary">
          {t('transit.search.button')}
        </button>
      </form>
      {p.hits && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('transit.search.results', { q: p.q })}</h2>
          {p.hits.length === 0 ? <p>{t('transit.search.none', { q: p.q })}</p> : <StopList stops={p.hits} />}
        </section>
      )}
      <section aria-labelledby="nearby-title">
        <h2 id="nearby-title">{t('transit.nearby.title')}</h2>
        <form method="get" action="/transit" id="nearby-form">
          <Field
            name="lat"
            label={t('transit.nearby.lat')}
            value={p.lat}
            hint={t('transit.nearby.hint')}
            error={p.nearbyErrors.lat}
            inputmode="text"
            required
          />
          <Field name="lon" label={t('transit.nearby.lon')} value={p.lon} error={p.nearbyErrors.lon} inputmode="text" required />
          <button type="submit" class="button button-secondary">
            {t('transit.nearby.button')}
          </button>
          <p>
            {/* Only with JavaScript (the island shows it): fills the form from the device's location. */}
            <button
              type="button"
              class="link-button"
              id="locate"
              hidden
              data-locating={t('transit.nearby.locating')}
              data-failed={t('transit.nearby.locateFailed')}
            >
              {t('transit.nearby.locate')}
            </button>
            <span id="locate-status" role="status"></span>
          </p>
        </form>
        {p.nearby && (p.nearby.length === 0 ? <p>{t('transit.nearby.none')}</p> : <StopList stops={p.nearby} />)}
      </section>
      <section aria-labelledby="routes-title">
        <h2 id="routes-title">{t('transit.routes.title')}</h2>
        {p.routes.length === 0 ? (
          <p>{t('transit.routes.none')}</p>
        ) : (
          <ul>
            {p.routes.map((r) => (
              <li key={r.id}>
                <a href={`/transit/routes/${encodeURIComponent(r.id)}`}>{r.name}</a>
                {r.longName && r.longName !== r.name && <> · {r.longName}</>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <script type="module" src="/static/transit/nearby.js"></script>
    </Layout>
  );
}

export interface StopPageProps {
  stop: { id: string; name: string; code: string | null };
  arrivals: StopArrival[];
  now: number;
  timeZone: string;
  alerts: AlertRow[];
  routes: RouteLink[];
  signedIn: boolean;
  subscriptions: { id: string; route: string; minutes: number }[];
  notice?: 'created' | 'cancelled' | undefined;
  createdMinutes?: number | undefined;
  errors: FieldErrors;
  form: { minutes: string; routeId: string };
}

export function StopPage(p: StopPageProps) {
  const { t, locale, path } = usePage();
  return (
    <Layout title={p.stop.name}>
      <h1>{p.stop.name}</h1>
      {p.stop.code && <p>{t('transit.stop.code', { code: p.stop.code })}</p>}
      {p.routes.length > 0 && (
        <p>
          {t('transit.routes.title')}:{' '}
          {p.routes.map((r, i) => (
            <span key={r.id}>
              {i > 0 && '、'}
              <a href={`/transit/routes/${encodeURIComponent(r.id)}`}>{r.name}</a>
            </span>
          ))}
        </p>
      )}
      {p.notice === 'created' && <Notice kind="success">{t('transit.notify.created', { minutes: p.createdMinutes ?? '' })}</Notice>}
      {p.notice === 'cancelled' && <Notice kind="success">{t('transit.notify.cancelled')}</Notice>}
      <ErrorSummary errors={p.errors} />
      <AlertList alerts={p.alerts} />
      <h2>{t('transit.stop.next')}</h2>
      <p>
        {t('transit.stop.updated', { time: clockTime(locale, p.now, p.timeZone) })} · <a href={path.split('?')[0]}>{t('transit.stop.refresh')}</a>
      </p>
      {p.arrivals.length === 0 ? (
        <p>{t('transit.stop.none')}</p>
      ) : (
        <div style={scroll}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('transit.stop.route')}</th>
                <th scope="col">{t('transit.stop.headsign')}</th>
                <th scope="col">{t('transit.stop.time')}</th>
                <th scope="col">{t('transit.stop.status')}</th>
              </tr>
            </thead>
            <tbody>
              {p.arrivals.map((a) => {
                const mins = Math.max(0, Math.round((a.predicted - p.now) / 60));
                return (
                  <tr key={`${a.tripId}-${a.scheduled}`}>
                    <td>
                      <a href={`/transit/routes/${encodeURIComponent(a.routeId)}`}>{a.routeName}</a>
                    </td>
                    <td>{a.headsign}</td>
                    <td>
                      {a.cancelled ? (
                        <del>{clockTime(locale, a.scheduled, p.timeZone)}</del>
                      ) : (
                        <>
                          <strong>{mins === 0 ? t('transit.stop.due') : t('transit.stop.minutes', { n: mins })}</strong> (
                          {clockTime(locale, a.predicted, p.timeZone)})
                        </>
                      )}
                    </td>
                    <td>
                      {a.cancelled ? (
                        <strong>{t('transit.stop.cancelled')}</strong>
                      ) : a.live ? (
                        <>
                          <strong>{t('transit.stop.live')}</strong>
                          {a.seenAt !== null && <> · {t('transit.stop.seen', { n: Math.max(0, p.now - a.seenAt) })}</>}
                        </>
                      ) : (
                        t('transit.stop.scheduled')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">{t('transit.stop.liveExplained')}</p>
      <section aria-labelledby="notify-title">
        <h2 id="notify-title">{t('transit.notify.title')}</h2>
        {!p.signedIn ? (
          <p>
            <a href={`/sign-in?return=${encodeURIComponent(path)}`}>{t('transit.notify.signIn')}</a>
          </p>
        ) : (
          <>
            {p.subscriptions.length > 0 && (
              <>
                <h3>{t('transit.notify.active')}</h3>
                <ul>
                  {p.subscriptions.map((s) => (
                    <li key={s.id}>
                      {t('transit.notify.item', { route: s.route, minutes: s.minutes })}
                      <form method="post" action={`/transit/subscriptions/${s.id}/cancel`} class="inline-form">
                        <CsrfField />
                        <input type="hidden" name="stopId" value={p.stop.id} />
                        <button type="submit" class="link-button">
                          {t('transit.notify.cancel')}
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <form method="post" action={`/transit/stops/${encodeURIComponent(p.stop.id)}/subscriptions`}>
              <CsrfField />
              <div class={p.errors.routeId ? 'field field-error' : 'field'}>
                <label for="routeId">{t('transit.notify.route')}</label>
                {p.errors.routeId && (
                  <p id="routeId-error" class="error-message">
                    {t(p.errors.routeId)}
                  </p>
                )}
                <select id="routeId" name="routeId" class="input" aria-describedby={p.errors.routeId ? 'routeId-error' : undefined}>
                  <option value="">{t('transit.notify.anyRoute')}</option>
                  {p.routes.map((r) => (
                    <option key={r.id} value={r.id} selected={p.form.routeId === r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class={p.errors.minutes ? 'field field-error' : 'field'}>
                <label for="minutes">{t('transit.notify.minutes')}</label>
                {p.errors.minutes && (
                  <p id="minutes-error" class="error-message">
                    {t(p.errors.minutes)}
                  </p>
                )}
                <select id="minutes" name="minutes" class="input" aria-describedby={p.errors.minutes ? 'minutes-error' : undefined}>
                  {[2, 5, 10, 15].map((m) => (
                    <option key={m} value={String(m)} selected={(p.form.minutes || '5') === String(m)}>
                      {t('transit.stop.minutes', { n: m })}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="button button-primary">
                {t('transit.notify.button')}
              </button>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
}

export interface MapData {
  width: number;
  height: number;
  /** Projection: x = (lon - lon0) * kx, y = (lat0 - lat) * ky. */
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
  paths: string[];
  stops: { id: string; name: string; x: number; y: number }[];
}

export interface RoutePageProps {
  route: { id: string; name: string; longName: string | null; color: string };
  directions: { directionId: number; headsign: string; stops: { id: string; name: string }[] }[];
  map: MapData;
  vehicles: LiveVehicle[];
  now: number;
  alerts: AlertRow[];
  eventsPath: string;
}

export function project(map: MapData, lat: number, lon: number): [number, number] {
  return [Math.round((lon - map.lon0) * map.kx * 10) / 10, Math.round((map.lat0 - lat) * map.ky * 10) / 10];
}

export function RoutePage(p: RoutePageProps) {
  const { t } = usePage();
  const m = p.map;
  return (
    <Layout title={p.route.name}>
      <h1>
        {p.route.name}
        {p.route.longName && p.route.longName !== p.route.name && <> · {p.route.longName}</>}
      </h1>
      <AlertList alerts={p.alerts} />
      <h2 id="map-title">{t('transit.route.map')}</h2>
      <svg
        id="route-map"
        viewBox={`0 0 ${m.width} ${m.height}`}
        role="img"
        aria-labelledby="map-title map-desc"
        style={{ width: '100%', height: 'auto', maxHeight: '70vh', background: '#f4f4f0', border: '1px solid #b1b4b6' }}
        data-events={p.eventsPath}
        data-lon0={String(m.lon0)}
        data-lat0={String(m.lat0)}
        data-kx={String(m.kx)}
        data-ky={String(m.ky)}
      >
        <desc id="map-desc">{t('transit.route.mapDesc')}</desc>
        {m.paths.map((d, i) => (
          <path key={i} d={d} fill="none" stroke={p.route.color} stroke-width="4" stroke-linejoin="round" stroke-linecap="round" />
        ))}
        {m.stops.map((s) => (
          <circle key={s.id} cx={s.x} cy={s.y} r="5" fill="#fff" stroke="#0b0c0c" stroke-width="2">
            <title>{s.name}</title>
          </circle>
        ))}
        <g id="buses">
          {p.vehicles.map((v) => {
            const [x, y] = project(m, v.lat, v.lon);
            return (
              <circle key={v.vehicleId} id={`bus-${v.vehicleId}`} cx={x} cy={y} r="9" fill="#d4351c" stroke="#fff" stroke-width="2">
                <title>{t('transit.route.bus', { id: v.vehicleId })}</title>
              </circle>
            );
          })}
        </g>
      </svg>
      <p class="hint">{t('transit.route.liveNote')}</p>
      <h2>{t('transit.route.buses')}</h2>
      {p.vehicles.length === 0 ? (
        <p id="bus-list-empty">{t('transit.route.noBuses')}</p>
      ) : (
        <ul id="bus-list">
          {p.vehicles.map((v) => (
            <li key={v.vehicleId}>
              {t('transit.route.busAt', { id: v.vehicleId, seen: t('transit.stop.seen', { n: Math.max(0, p.now - v.timestamp) }) })}
              {v.offRoute && <> · {t('transit.route.offRoute')}</>}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('transit.route.stops')}</h2>
      {p.directions.map((d) => (
        <section key={d.directionId} aria-labelledby={`dir-${d.directionId}`}>
          <h3 id={`dir-${d.directionId}`}>{d.headsign || t('transit.route.direction', { n: d.directionId })}</h3>
          <ol>
            {d.stops.map((s, i) => (
              <li key={`${s.id}-${i}`}>
                <a href={`/transit/stops/${encodeURIComponent(s.id)}`}>{s.name}</a>
              </li>
            ))}
          </ol>
        </section>
      ))}
      <script type="module" src="/static/transit/route-map.js"></script>
    </Layout>
  );
}

export interface ConsoleProps {
  agencies: string[];
  agency: string;
  vehicles: (LiveVehicle & { online: boolean })[];
  assignments: Map<string, string>;
  now: number;
  alerts: AlertRow[];
  feeds: { id: string; version: number; status: string; sourceName: string; createdAt: Date; problems: FeedProblem[] }[];
  notice?: string | undefined;
  noticeParams?: Record<string, string | number>;
  alertErrors: FieldErrors;
  alertForm: Record<string, string>;
  assignErrors: FieldErrors;
  assignForm: { vehicleId: string; blockId: string };
  uploadErrors: FieldErrors;
  importProblems?: FeedProblem[] | undefined;
}

export function ConsolePage(p: ConsoleProps) {
  const { t, locale, csrfToken } = usePage();
  const base = `/staff/transit/${encodeURIComponent(p.agency)}`;
  const kinds = ['detour', 'cancellation', 'closed_stop', 'other'];
  return (
    <Layout title={t('transit.console.title')} area="staff">
      <h1>{t('transit.console.title')}</h1>
      {p.agencies.length > 1 && (
        <nav aria-label={t('transit.console.agency')}>
          <ul>
            {p.agencies.map((a) => (
              <li key={a}>{a === p.agency ? <strong>{a}</strong> : <a href={`/staff/transit/${encodeURIComponent(a)}`}>{a}</a>}</li>
            ))}
          </ul>
        </nav>
      )}
      <p>
        {t('transit.console.agency')}: <strong>{p.agency}</strong>
      </p>
      {p.notice && <Notice kind="success">{t(p.notice, p.noticeParams)}</Notice>}

      <h2>{t('transit.console.vehicles')}</h2>
      {p.vehicles.length === 0 ? (
        <p>{t('transit.console.noVehicles')}</p>
      ) : (
        <div style={scroll}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('transit.console.vehicle')}</th>
                <th scope="col">{t('transit.console.status')}</th>
                <th scope="col">{t('transit.console.lastSeen')}</th>
                <th scope="col">{t('transit.console.trip')}</th>
                <th scope="col">{t('transit.console.block')}</th>
              </tr>
            </thead>
            <tbody>
              {p.vehicles.map((v) => (
                <tr key={v.vehicleId}>
                  <td>{v.vehicleId}</td>
                  <td>{v.online ? <strong>{t('transit.console.online')}</strong> : t('transit.console.offline')}</td>
                  <td>{t('transit.stop.seen', { n: Math.max(0, p.now - v.timestamp) })}</td>
                  <td>{v.tripId ?? '—'}</td>
                  <td>{v.blockId ?? p.assignments.get(v.vehicleId) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="assign">{t('transit.console.assign')}</h2>
      <p class="hint">{t('transit.console.assignHint')}</p>
      <ErrorSummary errors={p.assignErrors} />
      <form method="post" action={`${base}/assignments`}>
        <CsrfField />
        <Field
          name="vehicleId"
          label={t('transit.console.vehicleId')}
          value={p.assignForm.vehicleId}
          error={p.assignErrors.vehicleId}
          required
          maxLength={64}
        />
        <Field name="blockId" label={t('transit.console.blockId')} value={p.assignForm.blockId} error={p.assignErrors.blockId} maxLength={128} />
        <button type="submit" class="button button-secondary">
          {t('transit.console.assignButton')}
        </button>
      </form>

      <h2 id="alerts">{t('transit.console.alerts')}</h2>
      {p.alerts.length === 0 ? (
        <p>{t('transit.console.noAlerts')}</p>
      ) : (
        <ul>
          {p.alerts.map((a) => (
            <li key={a.id}>
              <strong>{t(`transit.alerts.kind.${a.kind}`)}</strong>: {locale === 'en' ? a.headerEn : a.headerZh} (
              {[a.routeId, a.stopId, a.tripId].filter(Boolean).join(' / ')}; {formatDateTime(locale, a.startsAt)}
              {a.endsAt && <> – {formatDateTime(locale, a.endsAt)}</>})
              {a.withdrawnAt ? (
                <> · {t('transit.console.withdrawn')}</>
              ) : (
                <form method="post" action={`/staff/transit/alerts/${a.id}/withdraw`} class="inline-form">
                  <CsrfField />
                  <button type="submit" class="link-button">
                    {t('transit.console.withdraw')}
                    <span class="visually-hidden">: {locale === 'en' ? a.headerEn : a.headerZh}</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('transit.console.newAlert')}</h3>
      <ErrorSummary errors={p.alertErrors} />
      <form method="post" action={`${base}/alerts`}>
        <CsrfField />
        <div class={p.alertErrors.kind ? 'field field-error' : 'field'}>
          <label for="kind">{t('transit.alert.kind')}</label>
          {p.alertErrors.kind && (
            <p id="kind-error" class="error-message">
              {t(p.alertErrors.kind)}
            </p>
          )}
          <select id="kind" name="kind" class="input">
            {kinds.map((k) => (
              <option key={k} value={k} selected={p.alertForm.kind === k}>
                {t(`transit.alerts.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <p class="hint">{t('transit.alert.targetHint')}</p>
        <Field name="routeId" label={t('transit.alert.routeId')} value={p.alertForm.routeId} error={p.alertErrors.routeId} maxLength={128} />
        <Field name="stopId" label={t('transit.alert.stopId')} value={p.alertForm.stopId} error={p.alertErrors.stopId} maxLength={128} />
        <Field name="tripId" label={t('transit.alert.tripId')} value={p.alertForm.tripId} error={p.alertErrors.tripId} maxLength={128} />
        <Field name="headerZh" label={t('transit.alert.headerZh')} value={p.alertForm.headerZh} error={p.alertErrors.headerZh} required maxLength={200} />
        <Field name="headerEn" label={t('transit.alert.headerEn')} value={p.alertForm.headerEn} error={p.alertErrors.headerEn} required maxLength={200} />
        <Field name="descriptionZh" label={t('transit.alert.descriptionZh')} value={p.alertForm.descriptionZh} error={p.alertErrors.descriptionZh} multiline />
        <Field name="descriptionEn" label={t('transit.alert.descriptionEn')} value={p.alertForm.descriptionEn} error={p.alertErrors.descriptionEn} multiline />
        <Field
          name="startsAt"
          label={t('transit.alert.startsAt')}
          value={p.alertForm.startsAt}
          hint={t('transit.alert.timeHint')}
          error={p.alertErrors.startsAt}
          required
        />
        <Field name="endsAt" label={t('transit.alert.endsAt')} value={p.alertForm.endsAt} error={p.alertErrors.endsAt} />
        <button type="submit" class="button button-primary">
          {t('transit.console.newAlert')}
        </button>
      </form>

      <h2 id="feeds">{t('transit.console.feeds')}</h2>
      {p.importProblems && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h3>{t('transit.console.importFailed')}</h3>
          <ProblemList problems={p.importProblems} />
        </div>
      )}
      <ErrorSummary errors={p.uploadErrors} />
      <form method="post" action={`${base}/feeds?_csrf=${encodeURIComponent(csrfToken)}`} enctype="multipart/form-data">
        <div class={p.uploadErrors.feed ? 'field field-error' : 'field'}>
          <label for="feed">{t('transit.console.upload')}</label>
          <p id="feed-hint" class="hint">
            {t('transit.console.uploadHint')}
          </p>
          {p.uploadErrors.feed && (
            <p id="feed-error" class="error-message">
              {t(p.uploadErrors.feed)}
            </p>
          )}
          <input id="feed" name="feed" type="file" accept=".zip,application/zip" class="input" aria-describedby="feed-hint" />
        </div>
        <button type="submit" class="button button-secondary">
          {t('transit.console.uploadButton')}
        </button>
      </form>
      {p.feeds.length > 0 && (
        <div style={scroll}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('transit.console.version')}</th>
                <th scope="col">{t('transit.console.status')}</th>
                <th scope="col">{t('transit.console.source')}</th>
                <th scope="col">{t('transit.console.importedAt')}</th>
                <th scope="col">{t('transit.console.problems')}</th>
              </tr>
            </thead>
            <tbody>
              {p.feeds.map((f) => (
                <tr key={f.id}>
                  <td>{f.version}</td>
                  <td>{t(`transit.console.feedStatus.${f.status}`)}</td>
                  <td>{f.sourceName}</td>
                  <td>{formatDateTime(locale, f.createdAt)}</td>
                  <td>{f.problems.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function ProblemList({ problems }: { problems: FeedProblem[] }) {
  const { t } = usePage();
  return (
    <ul>
      {problems.map((x, i) => (
        <li key={i}>
          {x.file}
          {x.line !== undefined && <> ({t('transit.console.line', { line: x.line })})</>}: {x.message}
        </li>
      ))}
    </ul>
  );
}

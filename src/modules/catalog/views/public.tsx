import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { DepartmentLinkView, LinkView, ServiceCardView, ServiceDetailView } from '../catalog.presenters.js';

function SearchForm({ q }: { q: string }) {
  const { t } = usePage();
  return (
    <form method="get" action="/services" class="search-form" role="search">
      <label for="q">{t('catalog.search.label')}</label>
      <p id="q-hint" class="hint">
        {t('catalog.search.hint')}
      </p>
      <input id="q" name="q" type="search" class="input" value={q} maxLength={100} aria-describedby="q-hint" />
      <button type="submit" class="button button-primary">
        {t('catalog.search.button')}
      </button>
    </form>
  );
}

function ServiceCards({ services }: { services: ServiceCardView[] }) {
  const { t } = usePage();
  return (
    <ul class="card-list grid">
      {services.map((s) => (
        <li class="card" key={s.code}>
          <h3>
            <a href={s.href}>{s.name}</a>
          </h3>
          <p>{s.summary}</p>
          <p class="meta">
            {s.departmentName} · {t('catalog.card.promised', { limit: s.promised })} · {s.fee}
          </p>
        </li>
      ))}
    </ul>
  );
}

function LinkList({ links, current }: { links: LinkView[]; current?: string | undefined }) {
  return (
    <ul class="tags">
      {links.map((l) => (
        <li key={l.code}>
          <a href={l.href} aria-current={current === l.code ? 'page' : undefined}>
            {l.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

function DepartmentList({ departments, current }: { departments: DepartmentLinkView[]; current?: string | undefined }) {
  return (
    <ul class="department-list">
      {departments.map((d) => (
        <li key={d.code}>
          <a href={d.href} aria-current={current === d.code ? 'page' : undefined}>
            {d.name}
          </a>
          {d.children.length > 0 && (
            <ul>
              {d.children.map((c) => (
                <li key={c.code}>
                  <a href={c.href} aria-current={current === c.code ? 'page' : undefined}>
                    {c.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function HomePage({ popular, lifeEvents, departments }: { popular: ServiceCardView[]; lifeEvents: LinkView[]; departments: DepartmentLinkView[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('site.tagline')}>
      <h1>{t('catalog.home.title')}</h1>
      <p>{t('catalog.home.lead')}</p>
      <SearchForm q="" />
      <section aria-labelledby="popular-title">
        <h2 id="popular-title">{t('catalog.home.popular')}</h2>
        <ServiceCards services={popular} />
        <p>
          <a href="/services">{t('catalog.home.allServices')}</a>
        </p>
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">{t('catalog.home.lifeEvents')}</h2>
        <LinkList links={lifeEvents} />
      </section>
      <section aria-labelledby="departments-title">
        <h2 id="departments-title">{t('catalog.home.departments')}</h2>
        <DepartmentList departments={departments} />
      </section>
    </Layout>
  );
}

export interface ServicesPageProps {
  q: string;
  truncated: boolean;
  services: ServiceCardView[];
  department: LinkView | null;
  event: LinkView | null;
  departments: DepartmentLinkView[];
  lifeEvents: LinkView[];
}

export function ServicesPage({ q, truncated, services, department, event, departments, lifeEvents }: ServicesPageProps) {
  const { t } = usePage();
  const filtered = Boolean(q || department || event);
  const heading = department ? department.name : event ? event.name : t('catalog.services.title');
  return (
    <Layout title={q ? t('catalog.services.resultsFor', { q }) : heading}>
      <h1>{heading}</h1>
      <SearchForm q={q} />
      {truncated && <p class="notice">{t('catalog.services.truncated', { max: 100 })}</p>}
      <p role="status" class="results-count">
        {q ? t('catalog.services.countFor', { count: services.length, q }) : t('catalog.services.count', { count: services.length })}
      </p>
      {filtered && (
        <p>
          <a href="/services">{t('catalog.services.clear')}</a>
        </p>
      )}
      {services.length > 0 ? (
        <ServiceCards services={services} />
      ) : (
        <div class="empty-state">
          <h2>{t('catalog.services.empty')}</h2>
          <p>{t('catalog.services.emptyHint')}</p>
        </div>
      )}
      <section aria-labelledby="by-event-title">
        <h2 id="by-event-title">{t('catalog.services.byEvent')}</h2>
        <LinkList links={lifeEvents} current={event?.code} />
      </section>
      <section aria-labelledby="by-department-title">
        <h2 id="by-department-title">{t('catalog.services.byDepartment')}</h2>
        <DepartmentList departments={departments} current={department?.code} />
      </section>
    </Layout>
  );
}

export function ServiceItemPage({ item }: { item: ServiceDetailView }) {
  const { t } = usePage();
  const held = item.materials.filter((m) => m.heldByGovernment);
  const toProvide = item.materials.filter((m) => !m.heldByGovernment);
  return (
    <Layout title={item.name}>
      <p class="meta">
        <a href={item.department.href}>{item.department.name}</a>
      </p>
      <h1>{item.name}</h1>
      <p>{item.description}</p>
      <p>
        <a class="button button-primary" href={item.applyHref}>
          {t('catalog.item.apply')}
        </a>
      </p>

      <h2 id="materials">{t('catalog.item.whatYouNeed')}</h2>
      {toProvide.length > 0 && (
        <>
          <h3>{t('catalog.item.youProvide')}</h3>
          <ul class="materials">
            {toProvide.map((m) => (
              <li key={m.name}>
                <strong>{m.name}</strong>
                {!m.required && <span class="optional"> {t('catalog.item.ifApplicable')}</span>}
                {m.note && <p class="hint">{m.note}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {held.length > 0 && (
        <>
          <h3>{t('catalog.item.weHold')}</h3>
          <ul class="materials materials-held">
            {held.map((m) => (
              <li key={m.name}>
                <strong>{m.name}</strong>
                {!m.required && <span class="optional"> {t('catalog.item.ifApplicable')}</span>}
                <p class="held-by">{t('catalog.item.heldBy', { department: m.heldByName ?? '' })}</p>
                {m.note && <p class="hint">{m.note}</p>}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('catalog.item.howLong')}</h2>
      <dl class="summary-list">
        <dt>{t('catalog.item.promised')}</dt>
        <dd>{item.promised}</dd>
        <dt>{t('catalog.item.legal')}</dt>
        <dd>{item.legal}</dd>
      </dl>

      <h2>{t('catalog.item.cost')}</h2>
      <p>{item.fee}</p>
      {item.feeNote && <p class="hint">{item.feeNote}</p>}

      <h2>{t('catalog.item.details')}</h2>
      <dl class="summary-list">
        <dt>{t('catalog.item.whoMayApply')}</dt>
        <dd>{item.applicantKinds.join(t('catalog.list.separator'))}</dd>
        <dt>{t('catalog.item.delivery')}</dt>
        <dd>{item.delivery.join(t('catalog.list.separator'))}</dd>
        <dt>{t('catalog.item.department')}</dt>
        <dd>
          <a href={item.department.href}>{item.department.name}</a>
        </dd>
        {item.lifeEvents.length > 0 && (
          <>
            <dt>{t('catalog.item.lifeEvents')}</dt>
            <dd>
              {item.lifeEvents.map((e, i) => (
                <span key={e.code}>
                  {i > 0 && t('catalog.list.separator')}
                  <a href={e.href}>{e.name}</a>
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      <p class="meta">{t('catalog.item.version', { version: item.version, code: item.code })}</p>
    </Layout>
  );
}

export function ServiceNotFoundPage({ code }: { code: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('catalog.item.notFoundTitle')}>
      <h1>{t('catalog.item.notFoundTitle')}</h1>
      <p>{t('catalog.item.notFound', { code })}</p>
      <p>
        <a href="/services">{t('catalog.item.browseAll')}</a>
      </p>
    </Layout>
  );
}

// Audit page (admin, secretariat): the audit records of GET /api/v1/audit, newest pages
// appended with "more", each record's before/after shown on demand.

import { html } from '../lib.js';
import { useApp } from '../context.js';
import { formatInstant } from '../i18n.js';
import { PageTitle, ErrorBox, Loading, ShowMore, usePagedList, ListTable } from '../components.js';

const PAGE_SIZE = 100;

function Change({ record }) {
  const { t } = useApp();
  if (!record.before && !record.after) return null;
  return html`<details>
    <summary>${t('audit.show_change')}</summary>
    <div class="change">
      ${record.before &&
      html`<div>
        <h3>${t('audit.before')}</h3>
        <pre>${JSON.stringify(record.before, null, 2)}</pre>
      </div>`}
      ${record.after &&
      html`<div>
        <h3>${t('audit.after')}</h3>
        <pre>${JSON.stringify(record.after, null, 2)}</pre>
      </div>`}
    </div>
  </details>`;
}

export function AuditPage() {
  const { t } = useApp();
  const list = usePagedList('/audit', { limit: PAGE_SIZE });
  const { items, err } = list;

  return html`<div>
    <${PageTitle} title=${t('audit.title')}>${t('audit.title')}<//>
    <p class="lead">${t('audit.intro')}</p>
    <${ErrorBox} err=${err} />
    ${items === null && !err && html`<${Loading} />`}
    ${items &&
    (items.length === 0
      ? html`<p>${t('audit.none')}</p>`
      : html`<${ListTable}
          className="audit"
          caption=${t('audit.title')}
          columns=${[
            t('audit.seq'), t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.entity'), t('audit.change'),
          ]}
        >
          ${items.map(
            (r) => html`<tr key=${r.seq}>
              <td>${r.seq}</td>
              <td>${formatInstant(t, r.at)}</td>
              <td>${r.actor || (r.actor_id != null ? `#${r.actor_id}` : t('audit.system'))}</td>
              <td><code>${r.action}</code></td>
              <td>${r.entity}${r.entity_id != null ? ` #${r.entity_id}` : ''}</td>
              <td><${Change} record=${r} /></td>
            </tr>`,
          )}
        <//>`)}
    <${ShowMore} list=${list} />
  </div>`;
}

// The citizen's lookup (/lookup?code=C&secret=S), open without signing in: the dossier's
// code and either the slip's lookup secret (the QR code's link fills both in and looks up
// at once) or the applicant's phone number; GET /api/v1/public/dossiers/CODE answers the
// procedure, the state, the current step and office, the due time and appointment, never
// personal data. Any wrong code, secret or phone is the same 404; many lookups from one
// address are 429 with Retry-After. Laid out for a phone first.

import { html, useState, useEffect, useRef, useId } from '../lib.js';
import { useApp } from '../context.js';
import { get, ApiError } from '../api.js';
import { Link } from '../router.js';
import { PageTitle, Field, errorsFor, problemText, useForm, FormActions } from '../components.js';
import { whenText, instantText, stateText, FINISHED } from '../kits/dossiers.js';

function lookupProblem(t, err) {
  if (!err) return '';
  if (err.status === 404) return t('lookup.not_found');
  if (err.status === 429) {
    return err.retryAfter
      ? t('lookup.too_many_retry', { seconds: err.retryAfter })
      : t('lookup.too_many');
  }
  if (err.fields && Object.keys(err.fields).some((f) => f !== '')) return t('error.check_fields');
  return problemText(t, err);
}

/** What the citizen sees: plain words, no personal data. */
function Result({ r }) {
  const { t } = useApp();
  const ref = useRef(null);
  useEffect(() => {
    if (ref.current) ref.current.focus();
  }, [r]);
  const finished = FINISHED.includes(r.state);
  return html`<section class="panel lookup-result" aria-labelledby="lookup-result-h" data-state=${r.state}>
    <h2 id="lookup-result-h" tabindex="-1" ref=${ref}>${t('lookup.result', { code: r.code })}</h2>
    <p class="lookup-state">
      <span class=${`dstate dstate-${r.state}`}>${stateText(t, r.state)}</span>
    </p>
    <p class="lookup-explain">${t(`lookup.explain.${r.state}`, { office: r.office || t('lookup.office_desk') })}</p>
    <dl class="facts">
      <dt>${t('lookup.procedure')}</dt>
      <dd>${r.procedure.name}</dd>
      ${r.step &&
      html`<dt>${t('lookup.step')}</dt>
        <dd data-fact="step">${t('lookup.step_text', { n: r.step.index + 1, name: r.step.name })}</dd>`}
      ${r.office &&
      !finished &&
      html`<dt>${t('lookup.office')}</dt>
        <dd data-fact="office">${r.office}</dd>`}
      <dt>${t('lookup.received')}</dt>
      <dd>${instantText(t, r.received_at)}</dd>
      <dt>${t('lookup.due')}</dt>
      <dd data-fact="due">${whenText(t, r.due_local)}</dd>
      ${r.appointment_local &&
      html`<dt>${t('lookup.appointment')}</dt>
        <dd>
          ${whenText(t, r.appointment_local)}
          ${r.apologies > 0 && html`<br /><span class="hint">${t('lookup.apologised')}</span>`}
        </dd>`}
      ${r.result_at &&
      html`<dt>${t('lookup.result_at')}</dt>
        <dd>${instantText(t, r.result_at)}</dd>`}
      ${r.finished_at &&
      html`<dt>${t('lookup.finished_at')}</dt>
        <dd>${instantText(t, r.finished_at)}</dd>`}
    </dl>
  </section>`;
}

export function LookupPage({ query }) {
  const { t, me } = useApp();
  const id = useId();
  const fromUrl = { code: query.get('code') || '', secret: query.get('secret') || '' };
  const [by, setBy] = useState(fromUrl.secret || !query.get('phone') ? 'secret' : 'phone');
  const [result, setResult] = useState(null);

  const { values, bind, busy, err, run, submit } = useForm({ ...fromUrl, phone: '' }, async () => {
    setResult(null);
    const c = values.code.trim().toUpperCase();
    const q = by === 'secret' ? { secret: values.secret.trim() } : { phone: values.phone.trim() };
    if (!c) {
      // the API cannot be asked without a code: say so under the field
      throw new ApiError(422, { errors: [{ field: 'code', code: 'required', message: '' }] });
    }
    setResult(await get(`/public/dossiers/${encodeURIComponent(c)}`, q, { noAuthRedirect: true }));
  });

  // The QR code's link carries the code and the secret: look up at once.
  useEffect(() => {
    if (fromUrl.code && fromUrl.secret) run();
  }, []);

  const message = lookupProblem(t, err);
  return html`<div class="lookup">
    <${PageTitle} title=${t('lookup.title')}>${t('lookup.title')}<//>
    <p class="lead">${t('lookup.intro')}</p>
    ${message && html`<div class="alert alert-error" role="alert">${message}</div>`}
    <form class="form lookup-form" onSubmit=${submit} novalidate>
      <${Field}
        label=${t('lookup.code')}
        hint=${t('lookup.code_hint')}
        autocapitalize="characters"
        autocomplete="off"
        spellcheck=${false}
        required
        ...${bind('code')}
      />
      <fieldset class="field lookup-by">
        <legend>${t('lookup.by')}</legend>
        ${['secret', 'phone'].map(
          (b) => html`<div class="field-check" key=${b}>
            <input
              type="radio"
              id=${`${id}-${b}`}
              name="by"
              value=${b}
              checked=${by === b}
              onChange=${() => setBy(b)}
            />
            <label for=${`${id}-${b}`}>${t(`lookup.by_${b}`)}</label>
          </div>`,
        )}
      </fieldset>
      ${by === 'secret'
        ? html`<${Field}
            label=${t('lookup.secret')}
            hint=${t('lookup.secret_hint')}
            autocomplete="off"
            autocapitalize="none"
            spellcheck=${false}
            required
            ...${bind('secret')}
          />`
        : html`<${Field}
            label=${t('lookup.phone')}
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            required
            ...${bind('phone')}
            error=${[...errorsFor(t, err, 'phone'), ...errorsFor(t, err, 'secret')]}
          />`}
      <${FormActions} busy=${busy} label=${t('lookup.submit')} />
    </form>
    ${result && html`<${Result} r=${result} />`}
    ${!me && html`<p class="lookup-staff"><${Link} href="/">${t('lookup.staff')}<//></p>`}
  </div>`;
}

// Sign-in page: POST /api/v1/session with {username, password}. Field errors from the
// problem body appear under their fields; 401 (bad credentials) and 429 (too many
// failures, with Retry-After) appear as one message above the form.

import { html } from '../lib.js';
import { useApp } from '../context.js';
import { post } from '../api.js';
import { Field, ErrorBox, PageTitle, problemText, useForm, FormActions } from '../components.js';

export function SignInPage({ onSignedIn }) {
  const { t } = useApp();
  const { values, bind, busy, err, submit } = useForm({ username: '', password: '' }, async () => {
    const session = await post('/session', values, { noAuthRedirect: true });
    onSignedIn(session);
  });

  let message = null;
  if (err) {
    if (err.status === 401) message = t('signin.bad_credentials');
    else message = problemText(t, err);
  }

  return html`<div class="signin">
    <${PageTitle} title=${t('signin.title')}>${t('signin.title')}<//>
    <p class="lead">${t('signin.intro')}</p>
    <${ErrorBox} text=${message} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field}
        label=${t('signin.username')}
        autocomplete="username"
        autocapitalize="none"
        spellcheck=${false}
        required
        ...${bind('username')}
      />
      <${Field}
        label=${t('signin.password')}
        type="password"
        autocomplete="current-password"
        required
        ...${bind('password')}
      />
      <${FormActions} busy=${busy} label=${t('signin.submit')} />
    </form>
  </div>`;
}

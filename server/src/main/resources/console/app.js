// The console's shell: sign-in, the section shown (from the URL's fragment), and polling it while it is shown.
import { api, token, whenUnauthorized } from './api.js';
import { say } from './message.js';
import overview from './overview.js';
import backends from './backends.js';
import sessions from './sessions.js';
import agents from './agents.js';
import tenants from './tenants.js';
import audit from './audit.js';
import config from './config.js';

const VIEWS = { overview, backends, sessions, agents, tenants, audit, config };
const POLL_MILLIS = 2000;

const signin = document.getElementById('signin');
const view = document.getElementById('view');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');
let mounted = null;
let timer = null;

function showSignIn(reason) {
  unmount();
  token.clear();
  view.hidden = true;
  nav.hidden = true;
  signOut.hidden = true;
  signin.hidden = false;
  document.getElementById('signin-error').textContent = reason || '';
  document.getElementById('token').focus();
}

function unmount() {
  clearTimeout(timer);
  timer = null;
  mounted?.unmount?.();
  mounted = null;
}

async function show() {
  if (!token.get()) {
    showSignIn();
    return;
  }
  signin.hidden = true;
  view.hidden = false;
  nav.hidden = false;
  signOut.hidden = false;
  const [name, ...rest] = decodeURIComponent(location.hash.slice(1) || 'overview').split('/');
  const chosen = VIEWS[name] ? name : 'overview';
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.view === chosen) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  unmount();
  view.replaceChildren();
  view.dataset.view = chosen;
  document.title = `${VIEWS[chosen].title} · mcpgw console`;
  const current = VIEWS[chosen].mount(view, rest.join('/'));
  mounted = current;
  poll(current);
}

async function poll(current) {
  try {
    await current.refresh?.();
  } catch (error) {
    if (error.status !== 401) {
      say(`Could not refresh: ${error.message}`, 'error');
    }
  }
  if (mounted === current && current.refresh) {
    timer = setTimeout(() => poll(current), POLL_MILLIS);
  }
}

signin.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('token');
  const presented = input.value.trim();
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    await api('GET', '/admin/status', undefined, presented);
  } catch (refused) {
    error.textContent = refused.status === 401 ? 'That token was refused: it is not one of the gateway\'s admin tokens.'
      : refused.status === 429 ? `Too many refused tokens from this address: ${refused.message}`
        : `The gateway did not answer as expected: ${refused.message}`;
    input.select();
    return;
  }
  token.set(presented);
  input.value = '';
  say('Signed in.', 'ok');
  show();
});

signOut.addEventListener('click', () => {
  say('Signed out.');
  showSignIn();
});

whenUnauthorized(() => showSignIn('The gateway no longer accepts this token; sign in again.'));
window.addEventListener('hashchange', show);
show();

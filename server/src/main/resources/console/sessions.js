// Sessions: filter by tenant, client, agent and endpoint; end one.
import { del, get } from './api.js';
import { field, fill, h, seconds, table } from './dom.js';
import { act } from './message.js';

const FILTERS = [['tenant', 'Tenant'], ['client', 'Client'], ['agent', 'Agent'], ['endpoint', 'Endpoint']];

export default {
  title: 'Sessions',
  mount(root) {
    const inputs = FILTERS.map(([key, label]) => field(label, { id: `filter-${key}`, type: 'search', 'data-filter': key }));
    const list = h('div', { id: 'session-list' });
    let sessions = [];
    const render = () => {
      const wanted = inputs.map((wrapper) => [wrapper.input.dataset.filter, wrapper.input.value.trim().toLowerCase()]).filter(([, value]) => value);
      const shown = sessions.filter((session) => wanted.every(([key, value]) => String(session[key] ?? '').toLowerCase().includes(value)));
      fill(list, table(`${shown.length} of ${sessions.length} sessions`, ['Session', 'Tenant', 'Client', 'Agent', 'Endpoint', 'Age', 'Calls', 'In flight', 'Actions'],
        shown.map((session) => h('tr', { 'data-session': session.id },
          h('th', { scope: 'row' }, h('code', {}, session.id)),
          h('td', {}, session.tenant), h('td', {}, session.client), h('td', {}, session.agent ?? '—'), h('td', {}, session.endpoint),
          h('td', {}, seconds(session.ageSeconds)), h('td', {}, session.invocations), h('td', {}, session.inFlight),
          h('td', {}, h('button', { type: 'button', 'data-action': 'end', 'aria-label': `End session ${session.id}`, onclick: async () => {
            if (await act(`End session ${session.id}`, () => del(`/admin/sessions/${encodeURIComponent(session.id)}`)) !== undefined) {
              sessions = sessions.filter((each) => each.id !== session.id);
              last = '';
              render();
            }
          } }, 'End'))))));
    };
    let last = '';
    inputs.forEach((wrapper) => wrapper.input.addEventListener('input', render));
    root.append(h('h1', {}, 'Sessions'), h('form', { class: 'filters', role: 'search', onsubmit: (event) => event.preventDefault() }, inputs), list);
    return {
      async refresh() {
        const fresh = await get('/admin/sessions');
        const key = JSON.stringify(fresh.map(({ id, invocations, inFlight }) => [id, invocations, inFlight]));
        sessions = fresh;
        if (key !== last) {
          last = key;
          render();
        }
      },
    };
  },
};

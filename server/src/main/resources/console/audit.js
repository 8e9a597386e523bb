// Audit: the newest events the gateway keeps in memory, followed live, filtered by type and by any text.
import { get } from './api.js';
import { field, fill, h, table } from './dom.js';

const LIMIT = 200;
const COLUMNS = ['time', 'type', 'outcome', 'tenant', 'client', 'agent', 'backend', 'tool'];

export default {
  title: 'Audit',
  mount(root) {
    const type = h('select', { id: 'audit-type' }, h('option', { value: '' }, 'any'));
    const text = field('Containing', { id: 'audit-text', type: 'search', placeholder: 'tenant, client, backend, tool, ...' });
    const follow = h('input', { type: 'checkbox', id: 'audit-follow', checked: true });
    const list = h('div', { id: 'audit-list' });
    let events = [];
    const types = new Set();
    const render = () => {
      const wanted = text.input.value.trim().toLowerCase();
      const shown = events.filter((event) => (!type.value || event.type === type.value)
        && (!wanted || JSON.stringify(event).toLowerCase().includes(wanted))).slice().reverse();
      fill(list, table(`${shown.length} of the newest ${events.length} events, newest first`, [...COLUMNS, 'details'],
        shown.map((event) => h('tr', { 'data-event': event.id }, COLUMNS.map((column) => h('td', {}, event[column] ?? '')),
          h('td', {}, h('code', {}, JSON.stringify(event.metadata ?? {})))))));
    };
    type.addEventListener('change', render);
    text.input.addEventListener('input', render);
    root.append(h('h1', {}, 'Audit'),
      h('form', { class: 'filters', role: 'search', onsubmit: (event) => event.preventDefault() },
        h('div', { class: 'field' }, h('label', { for: 'audit-type' }, 'Type'), type), text,
        h('div', { class: 'field choice' }, follow, h('label', { for: 'audit-follow' }, 'Follow live'))),
      list);
    return {
      async refresh() {
        if (!follow.checked && events.length) return;
        events = await get(`/admin/audit?limit=${LIMIT}`);
        for (const event of events) {
          if (!types.has(event.type)) {
            types.add(event.type);
            type.append(h('option', { value: event.type }, event.type));
          }
        }
        render();
      },
    };
  },
};

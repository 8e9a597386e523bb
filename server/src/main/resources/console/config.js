// Configuration: where it comes from, what the running gateway does differently, and a reload with what it changed
// and what only a restart applies.
import { get, post } from './api.js';
import { fill, h } from './dom.js';
import { say } from './message.js';

const LABELS = [['backendsAdded', 'Backends added'], ['backendsRedefined', 'Backends redefined'], ['backendsRemoved', 'Backends removed'],
  ['agentsChanged', 'Agents changed'], ['tenantsChanged', 'Tenants changed'], ['restartRequired', 'Need a restart (read at start only)']];

function report(title, reload) {
  return h('section', { class: 'panel', id: 'reload-report' }, h('h2', {}, title),
    h('p', {}, `${reload.at}, by ${reload.by}; ${reload.sessionsEnded} session(s) ended.`),
    h('dl', { class: 'report' }, LABELS.map(([key, label]) => h('div', {}, h('dt', {}, label),
      h('dd', { 'data-report': key }, reload[key].length ? reload[key].join(', ') : 'none')))));
}

export default {
  title: 'Configuration',
  mount(root) {
    const state = h('div', { id: 'config-state' });
    const outcome = h('div', { id: 'reload-outcome' });
    const reload = h('button', { type: 'button', id: 'reload', class: 'primary', onclick: async () => {
      reload.disabled = true;
      try {
        const done = await post('/admin/reload');
        say('Reloaded the file.', 'ok');
        fill(outcome, report('This reload', done));
      } catch (error) {
        say(`Reload refused: ${error.message}`, 'error');
        fill(outcome, h('p', { class: 'error', role: 'alert' }, error.message));
      } finally {
        reload.disabled = false;
      }
      last = '';
    } }, 'Reload the file');
    let last = '';
    root.append(h('h1', {}, 'Configuration'), state, h('div', { class: 'buttons' }, reload), outcome);
    return {
      async refresh() {
        const { config } = await get('/admin/status');
        const key = JSON.stringify(config);
        if (key === last) return;
        last = key;
        fill(state,
          h('p', {}, 'Read from ', h('code', {}, config.source), '.'),
          config.matchesFile
            ? h('p', { id: 'matches-file' }, 'The running gateway matches the file.')
            : h('div', {}, h('p', { id: 'matches-file' }, 'The running gateway differs from the file (changes made through the admin API; a reload undoes them):'),
              h('ul', { id: 'differences' }, config.differences.map((line) => h('li', {}, line)))),
          config.lastReload ? report('The last reload', config.lastReload) : h('p', {}, 'Not reloaded since it started.'));
      },
    };
  },
};

// Agents: what each uses, its limits and sampling rules, its sessions; compose a new one from the backends and their
// tools, or remove one. The admin API has no way to change an agent in place: remove it and compose it again.
import { del, get, post } from './api.js';
import { asking, confirmButton, field, fill, h, table } from './dom.js';
import { act } from './message.js';

const describe = (object) => Object.entries(object ?? {}).filter(([, value]) => value !== null && value !== undefined)
  .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : value}`).join('; ') || '—';

export default {
  title: 'Agents',
  mount(root) {
    const list = h('div', { id: 'agent-list' });
    const composer = h('div', { id: 'agent-composer' });
    let last = '';

    const refreshList = async () => {
      const agents = await get('/admin/agents');
      const key = JSON.stringify(agents);
      if (key === last || asking(list)) return;
      last = key;
      fill(list, table('Agents', ['Agent', 'Uses', 'Limits', 'Sampling', 'Sessions', 'Actions'],
        agents.map((agent) => h('tr', { 'data-agent': agent.name },
          h('th', { scope: 'row' }, agent.name),
          h('td', {}, (agent.definition.uses ?? []).join(', ')),
          h('td', {}, describe(agent.definition.limits)),
          h('td', {}, describe(agent.definition.sampling)),
          h('td', {}, agent.sessions),
          h('td', {}, confirmButton('Remove', 'remove', `Remove agent ${agent.name} and end its sessions?`, async () => {
            await act(`Remove agent ${agent.name}`, () => del(`/admin/agents/${encodeURIComponent(agent.name)}`));
            last = '';
            await refreshList();
          }))))));
    };

    const compose = async () => {
      const backends = await get('/admin/backends');
      const tools = await Promise.all(backends.map((backend) => get(`/admin/backends/${encodeURIComponent(backend.id)}/tools`)
        .then((list) => list.map((tool) => `${backend.id}__${tool.name}`), () => [])));
      const choices = h('fieldset', { class: 'choices' }, h('legend', {}, 'Uses: whole backends, or single tools'),
        backends.map((backend, index) => h('div', { class: 'choice-group' },
          choice(backend.id, `all of ${backend.id}`),
          tools[index].map((name) => choice(name, name)))));
      const name = field('Name', { id: 'agent-name', required: true, pattern: '[a-z0-9][a-z0-9\\-]*' });
      const extra = field('More uses (globs, comma-separated)', { id: 'agent-extra', placeholder: 'search__web_*, docs://handbook/*' });
      const limits = [['maxCalls', 'Max calls', 'number'], ['maxDuration', 'Max duration (e.g. 30m)', 'text'],
        ['maxConcurrent', 'Max concurrent calls', 'number'], ['maxDepth', 'Max depth', 'number']]
        .map(([key, label, type]) => Object.assign(field(label, { id: `limit-${key}`, type, min: type === 'number' ? 1 : undefined }), { key }));
      const sampling = [['maxTokens', 'Sampling: max tokens', 'number'], ['requestsPerMinute', 'Sampling: requests per minute', 'number']]
        .map(([key, label, type]) => Object.assign(field(label, { id: `sampling-${key}`, type, min: 1 }), { key }));
      const error = h('p', { class: 'error', role: 'alert' });
      const form = h('form', { class: 'panel', id: 'agent-form' }, h('h2', {}, 'Compose an agent'), name, choices, extra,
        h('fieldset', {}, h('legend', {}, 'Limits'), limits), h('fieldset', {}, h('legend', {}, 'Sampling'), sampling), error,
        h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Add the agent'), h('button', { type: 'button', onclick: () => composer.replaceChildren() }, 'Cancel')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const uses = [...form.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value)
          .concat(extra.input.value.split(',').map((entry) => entry.trim()).filter(Boolean));
        const values = (fields) => Object.fromEntries(fields.filter((each) => each.input.value.trim())
          .map((each) => [each.key, each.input.type === 'number' ? Number(each.input.value) : each.input.value.trim()]));
        const body = { name: name.input.value.trim(), uses };
        if (Object.keys(values(limits)).length) body.limits = values(limits);
        if (Object.keys(values(sampling)).length) body.sampling = values(sampling);
        if (await act(`Add agent ${body.name}`, () => post('/admin/agents', body))) {
          composer.replaceChildren();
          last = '';
          await refreshList();
        } else {
          error.textContent = document.getElementById('message').textContent;
        }
      });
      fill(composer, form);
      name.input.focus();
    };

    root.append(h('h1', {}, 'Agents'),
      h('p', {}, 'An agent cannot be changed in place through the admin API: remove it and compose it again (its sessions end).'),
      h('div', { class: 'buttons' }, h('button', { type: 'button', id: 'compose-agent', onclick: compose }, 'Compose an agent')),
      composer, list);
    return { refresh: refreshList };
  },
};

let choiceCount = 0;
function choice(value, label) {
  const id = `use-${choiceCount++}`;
  return h('div', { class: 'choice' }, h('input', { type: 'checkbox', id, value }), h('label', { for: id }, label));
}

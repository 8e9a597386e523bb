// Backends: each one's state and the operator's actions on it, its tools with their descriptor hashes and pins,
// and a changed pinned tool's old and new definitions side by side before it can be approved.
import { del, get, post, put } from './api.js';
import { asking, badge, confirmButton, field, fill, h, table } from './dom.js';
import { diffTable } from './diff.js';
import { act } from './message.js';

const path = (id) => `/admin/backends/${encodeURIComponent(id)}`;

function definitionForm(title, initial, submitLabel, onSubmit, onCancel) {
  const text = field('Definition (the YAML section as JSON)', { id: 'definition', rows: 12, spellcheck: 'false', class: 'code' });
  text.input.value = initial;
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'panel', id: 'definition-form' },
    h('h2', {}, title),
    h('p', {}, 'Secrets are shown as <redacted>: type them again, or the backend would get that text.'),
    text, error,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, submitLabel), h('button', { type: 'button', onclick: onCancel }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let body;
    try {
      body = JSON.parse(text.input.value);
    } catch (parseError) {
      error.textContent = `Not JSON: ${parseError.message}`;
      return;
    }
    if (text.input.value.includes('<redacted>')) {
      error.textContent = 'The definition still holds <redacted> values; replace them with the real ones.';
      return;
    }
    await onSubmit(body, error);
  });
  return form;
}

export default {
  title: 'Backends',
  mount(root, selected) {
    const list = h('div', { id: 'backend-list' });
    const editor = h('div', { id: 'backend-editor' });
    const detail = h('section', { id: 'backend-detail', 'aria-live': 'polite' });
    let lastList = '';
    let lastTools = '';
    let reviewing = null;

    const refreshList = async () => {
      const backends = await get('/admin/backends');
      const key = JSON.stringify(backends.map(({ id, state, circuit, detail: health, sessions, callsInFlight }) => [id, state, circuit, health, sessions, callsInFlight]));
      if (key === lastList || asking(list)) return;
      lastList = key;
      fill(list, table('Backends', ['Backend', 'State', 'Circuit', 'Health', 'Connections', 'In flight', 'Actions'],
        backends.map((backend) => h('tr', { 'data-backend': backend.id },
          backendCells(backend),
          h('td', {}, backend.connections),
          h('td', {}, backend.callsInFlight),
          h('td', {}, h('div', { class: 'actions' }, actions(backend)))))));
    };

    const action = (backend, name, label) => h('button', {
      type: 'button', 'data-action': name, 'aria-label': `${label} ${backend.id}`,
      onclick: async () => {
        await act(`${label} ${backend.id}`, () => post(`${path(backend.id)}/${name}`));
        lastList = '';
        await refreshList();
      },
    }, label);

    const actions = (backend) => {
      const remove = confirmButton('Remove', 'remove', `Remove ${backend.id}?`, async () => {
        await act(`Remove ${backend.id}`, () => del(path(backend.id)));
        lastList = '';
        if (selected === backend.id) location.hash = '#backends';
        await refreshList();
      });
      return [
        backend.state === 'disabled' ? action(backend, 'enable', 'Enable') : action(backend, 'drain', 'Drain'),
        backend.state === 'disabled' ? null : action(backend, 'disable', 'Disable'),
        backend.circuit === 'closed' ? null : action(backend, 'reset-circuit', 'Reset circuit'),
        h('button', { type: 'button', 'data-action': 'edit', 'aria-label': `Edit ${backend.id}`, onclick: () => edit(backend.id) }, 'Edit'),
        remove,
      ];
    };

    const edit = async (id) => {
      const backend = await get(path(id));
      fill(editor, definitionForm(`Edit ${id}`, JSON.stringify(backend.definition, null, 2), 'Save (the old definition drains)',
        async (body) => {
          if (await act(`Redefine ${id}`, () => put(path(id), body))) {
            editor.replaceChildren();
            lastList = '';
            await refreshList();
          }
        }, () => editor.replaceChildren()));
      editor.querySelector('textarea').focus();
    };

    const add = () => {
      const example = { id: 'new-backend', transport: 'stdio', command: ['my-mcp-server'] };
      fill(editor, definitionForm('Add a backend', JSON.stringify(example, null, 2), 'Add', async (body) => {
        if (await act(`Add ${body.id}`, () => post('/admin/backends', body))) {
          editor.replaceChildren();
          lastList = '';
          await refreshList();
        }
      }, () => editor.replaceChildren()));
      editor.querySelector('textarea').focus();
    };

    const review = (tool) => {
      reviewing = tool.name;
      const approve = h('button', { type: 'button', id: 'approve', class: 'primary', onclick: async () => {
        if (await act(`Approve ${selected}/${tool.name}`, () => post(`${path(selected)}/tools/${encodeURIComponent(tool.name)}/approve`))) {
          reviewing = null;
          lastTools = '';
          await refreshTools();
        }
      } }, `Approve the new definition of ${tool.name}`);
      const panel = h('section', { class: 'panel', id: 'review', 'aria-labelledby': 'review-title' },
        h('h3', { id: 'review-title' }, `Changed tool ${tool.name}`),
        h('p', {}, 'Pinned ', h('code', {}, tool.pinnedHash), ', offered now ', h('code', {}, tool.descriptorHash), '.'),
        tool.pinnedDefinition === null
          ? h('p', { class: 'warning' }, 'Only the pinned hash is known (it was pinned before the gateway kept definitions); the new definition is shown alone.')
          : null,
        diffTable(tool.pinnedDefinition, sealed(tool.definition), 'Pinned definition', 'Definition offered now'),
        h('div', { class: 'buttons' }, approve, h('button', { type: 'button', onclick: () => { reviewing = null; lastTools = ''; refreshTools(); } }, 'Not now')));
      return panel;
    };

    const refreshTools = async () => {
      if (!selected) return;
      const tools = await get(`${path(selected)}/tools`);
      const key = JSON.stringify(tools.map(({ name, state, descriptorHash, pinnedHash }) => [name, state, descriptorHash, pinnedHash]));
      if (key === lastTools) return;
      lastTools = key;
      const open = tools.find((tool) => tool.name === reviewing && tool.state !== 'pinned');
      fill(detail,
        h('h2', {}, `Tools of ${selected}`),
        table(`Each tool's descriptor hash and the definition it is pinned to`, ['Tool', 'State', 'Descriptor hash', 'Pinned hash', 'Review'],
          tools.map((tool) => h('tr', { 'data-tool': tool.name },
            h('th', { scope: 'row' }, tool.name),
            h('td', { class: 'tool-state' }, badge(tool.state)),
            h('td', {}, h('code', { class: 'hash' }, tool.descriptorHash)),
            h('td', {}, tool.pinnedHash ? h('code', { class: 'hash' }, tool.pinnedHash) : 'not pinned'),
            h('td', {}, tool.state === 'changed' || tool.state === 'blocked'
              ? h('button', { type: 'button', 'data-action': 'review', 'aria-label': `Review the change to ${tool.name}`,
                onclick: () => { fill(reviewArea, review(tool)); reviewArea.querySelector('#approve').focus(); } }, 'Review change')
              : null)))),
        reviewArea);
      if (open) {
        fill(reviewArea, review(open));
      } else {
        reviewing = null;
        reviewArea.replaceChildren();
      }
    };
    const reviewArea = h('div', { id: 'review-area' });

    root.append(
      h('h1', {}, 'Backends'),
      h('div', { class: 'buttons' }, h('button', { type: 'button', id: 'add-backend', onclick: add }, 'Add a backend')),
      editor, list, detail);
    return {
      async refresh() {
        await refreshList();
        await refreshTools();
      },
    };
  },
};

/** A backend's row begins alike wherever it is listed: its id (a link to its tools), state, circuit and health. */
export function backendCells(backend) {
  return [
    h('th', { scope: 'row' }, h('a', { href: `#backends/${encodeURIComponent(backend.id)}` }, backend.id)),
    h('td', { class: 'state' }, badge(backend.state)),
    h('td', { class: 'circuit' }, badge(backend.circuit)),
    h('td', {}, backend.detail),
  ];
}

/** The fields of a tool its descriptor hash seals, as the pin keeps them (so the two sides compare like with like). */
function sealed(definition) {
  const fields = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'];
  return Object.fromEntries(fields.filter((name) => name in definition).map((name) => [name, definition[name]]));
}

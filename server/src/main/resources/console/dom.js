// Building the page from data without HTML strings: text is always text, so nothing from the gateway can run here.

/** An element: attributes (on* are listeners, `class` and `for` as written, booleans set or left out) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/**
 * A table with a caption, header cells and rows (each an array of cells, or a <tr> made by the caller). Each cell
 * is labelled with its column's header, which a narrow window shows beside it instead of the header row.
 */
export function table(caption, headers, rows, attributes = {}) {
  const made = h('table', { class: 'rows', ...attributes },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, 'None.'))
        : rows.map((row) => (row instanceof Node ? row : h('tr', {}, row.map((cell) => (cell instanceof Node && cell.tagName === 'TD' ? cell : h('td', {}, cell))))))));
  for (const row of made.tBodies[0].rows) {
    [...row.cells].forEach((cell, index) => cell.setAttribute('data-label', headers[index] ?? ''));
  }
  return h('div', { class: 'table-wrap' }, made);
}

/** A labelled input; returns the wrapper, with the input as `.input`. */
export function field(label, attributes) {
  const id = attributes.id;
  const input = h(attributes.rows ? 'textarea' : 'input', attributes);
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label), input);
  wrapper.input = input;
  return wrapper;
}

/**
 * A button for an action that cannot be undone: a first press asks (in the page, keyboard-reachable), a second does
 * it; Keep puts the button back.
 */
export function confirmButton(label, name, question, action) {
  const holder = h('span', { class: 'confirm' });
  const ask = () => {
    const yes = h('button', { type: 'button', 'data-action': `confirm-${name}`, onclick: () => { offer(); action(); } }, label);
    fill(holder, h('span', {}, question, ' '), yes, h('button', { type: 'button', onclick: () => { offer(); holder.firstChild.focus(); } }, 'Keep'));
    yes.focus();
  };
  const offer = () => fill(holder, h('button', { type: 'button', 'data-action': name, 'aria-label': question.replace(/\?$/, ''), onclick: ask }, label));
  offer();
  return holder;
}

/** Whether a confirmButton inside the element is asking its question (a redraw would take the question away). */
export function asking(element) {
  return element.querySelector('.confirm [data-action^="confirm-"]') !== null;
}

/** A state word as a badge whose class colours it (up, degraded, down, draining, disabled, closed, open, ...). */
export function badge(text) {
  return h('span', { class: `badge badge-${String(text).replace(/[^a-z-]/g, '')}` }, text);
}

export function seconds(total) {
  const s = Number(total);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

// Two JSON definitions side by side, line by line, with what was removed and added marked.
import { h } from './dom.js';

/** Pretty JSON with object keys sorted, so equal definitions print alike whatever order the backend used. */
function canonical(value) {
  const sort = (node) => {
    if (Array.isArray(node)) return node.map(sort);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.keys(node).sort().map((key) => [key, sort(node[key])]));
    }
    return node;
  };
  return JSON.stringify(sort(value), null, 2);
}

/** The longest common subsequence of lines, as operations: ['same'|'removed'|'added', line]. */
function operations(before, after) {
  const rows = before.length;
  const cols = after.length;
  const lengths = Array.from({ length: rows + 1 }, () => new Uint32Array(cols + 1));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      lengths[i][j] = before[i] === after[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const result = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < cols) {
    if (i < rows && j < cols && before[i] === after[j]) {
      result.push(['same', before[i++], after[j++]]);
    } else if (j < cols && (i === rows || lengths[i][j + 1] >= lengths[i + 1][j])) {
      result.push(['added', null, after[j++]]);
    } else {
      result.push(['removed', before[i++], null]);
    }
  }
  return result;
}

/** Rows pairing each removed line with an added one where they follow each other, so a changed line reads across. */
function pairs(ops) {
  const rows = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k][0] === 'same') {
      rows.push([ops[k][1], ops[k][2], 'same']);
      k++;
      continue;
    }
    const removed = [];
    const added = [];
    while (k < ops.length && ops[k][0] !== 'same') {
      if (ops[k][0] === 'removed') removed.push(ops[k][1]);
      else added.push(ops[k][2]);
      k++;
    }
    for (let n = 0; n < Math.max(removed.length, added.length); n++) {
      rows.push([removed[n] ?? null, added[n] ?? null, 'changed']);
    }
  }
  return rows;
}

/** A side-by-side diff of two definitions; `before` null shows the new one alone, with why. */
export function diffTable(before, after, beforeLabel, afterLabel) {
  const left = before === null ? [] : canonical(before).split('\n');
  const right = canonical(after).split('\n');
  const rows = pairs(operations(left, right));
  const cell = (text, side, kind) => h('td', { class: `diff-line ${text === null ? 'diff-none' : kind === 'same' ? '' : `diff-${side}`}` },
    text === null ? '' : h('code', {}, text));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'diff', id: 'diff' },
    h('caption', {}, 'Changed lines are marked: removed on the left, added on the right.'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, beforeLabel), h('th', { scope: 'col' }, afterLabel))),
    h('tbody', {}, rows.map(([was, now, kind]) => h('tr', { class: kind === 'same' ? 'same' : 'changed' },
      cell(was, 'removed', kind), cell(now, 'added', kind))))));
}

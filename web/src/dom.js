// A small element builder: h('button', {class: 'primary', testid: 'run', onclick: run}, 'Run').
// Attributes: `class`, `testid` (data-testid), on* handlers, `dataset`, booleans (set when true),
// anything else as an attribute. Children: nodes, strings, numbers, arrays, null/false (skipped).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Replaces every child of `el`.
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function formatNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
}

export function formatBytes(n) {
  if (typeof n !== 'number') return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

// An error box for an API error: its SQLSTATE code and message.
export function errorBox(error, testid = 'page-error') {
  return h('div', {class: 'error-box', testid, role: 'alert'},
    error.code ? h('span', {class: 'code'}, error.code) : null,
    h('span', {class: 'message'}, error.message));
}

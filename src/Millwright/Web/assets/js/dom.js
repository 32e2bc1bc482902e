// Small DOM helpers. Every text from the server goes in through textContent or attributes, never as HTML:
// machine and alarm names are tenant input.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function pct(x) {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`;
}

export function fmt(v) {
  if (typeof v === 'number') return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toPrecision(4).replace(/\.?0+$/, '');
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v === undefined || v === null ? '–' : String(v);
}

export function hours(seconds) {
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function isoMinus(ms) {
  return new Date(Date.now() - ms).toISOString();
}

export const STATES = ['running', 'idle', 'setup', 'down', 'offline', 'planned_stop'];

export const STATE_COLOURS = {
  running: '#2e9e44', idle: '#d9a400', setup: '#3478c6', down: '#d9342b', offline: '#6b7280', planned_stop: '#7c5cbf', unknown: '#3a3f4b',
};

export function stateLabel(state) {
  return state ? state.replace('_', ' ') : 'no data';
}

/** Shortens text to n characters with an ellipsis (tiles shorten in script rather than clip: see app.css). */
export function short(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

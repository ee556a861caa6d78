// Building the page: elements by DOM calls only (never innerHTML with data, so task names and
// outputs cannot inject markup), times, durations, status badges and messages to the user.

const SVG = 'http://www.w3.org/2000/svg';

export const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'];

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.substring(2), v);
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

export function badge(status, reason) {
  return h('span', { class: 'badge ' + (status || ''), 'data-status': status || '', title: reason || null },
    status ? status.replace('_', ' ').toLowerCase() : 'never run');
}

// The clock the page reads; a test may shift it (window.angoraClockOffset, in milliseconds).
export function now() {
  return Date.now() + (window.angoraClockOffset || 0);
}

// "12s ago" for the past, "in 5 min" for the future: a future time never reads as past.
export function relative(iso) {
  if (!iso) return '';
  const seconds = Math.round((Date.parse(iso) - now()) / 1000);
  const future = seconds > 0;
  const n = Math.abs(seconds);
  if (n < 5) return future ? 'in a few seconds' : 'just now';
  const amount = n < 60 ? n + 's' : n < 3600 ? Math.floor(n / 60) + ' min'
    : n < 86400 ? Math.floor(n / 3600) + ' h' : Math.floor(n / 86400) + ' d';
  return future ? 'in ' + amount : amount + ' ago';
}

const ZONED = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', timeZoneName: 'short'
});

// The absolute time with its zone, e.g. "12/02/2026, 17:05:09 UTC".
export function absolute(iso) {
  return iso ? ZONED.format(new Date(iso)) : '';
}

// A relative time that the ticker keeps current, with the absolute one and its zone beside it.
export function when(iso) {
  if (!iso) return '';
  return h('span', { class: 'when' },
    h('time', { datetime: iso, 'data-relative': '', title: absolute(iso) }, relative(iso)),
    ' ', h('span', { class: 'abs muted' }, absolute(iso)));
}

// Relative times age in place. Each is recomputed from its own instant, so a future time
// counts down ("in 4 min") and is never rewritten as a past one before it has passed.
export function startTicker(ms) {
  window.angoraTicks = 0;
  setInterval(() => {
    document.querySelectorAll('time[data-relative]').forEach(t => {
      t.textContent = relative(t.getAttribute('datetime'));
    });
    window.angoraTicks++;
  }, ms);
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return ms + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}

export function toast(message, bad, link) {
  const box = document.getElementById('toast');
  const item = h('div', { class: 'msg' + (bad ? ' bad' : '') }, message,
    link ? [' ', h('a', { href: link.href }, link.text)] : null);
  box.append(item);
  setTimeout(() => item.remove(), bad ? 9000 : 4500);
}

export function link(hash, text, attrs) {
  return h('a', Object.assign({ href: hash }, attrs || {}), text);
}

export const enc = encodeURIComponent;

export function empty(title, ...text) {
  return h('div', { class: 'empty' }, h('strong', {}, title), ...text);
}

// Angora web UI: plain JavaScript modules, no build step, no external resources; runs under a
// strict Content-Security-Policy. This module routes (#/..., no page reloads), keeps the event
// stream open and shows the engine's health.

import { connectEvents, leavePage } from './api.js';
import { h, empty, startTicker } from './dom.js';
import { dashboard, runsPage, runDetail, workflowPage, taskPage, schedulesPage, workersPage, messagesPage } from './pages.js';
import { graphPage } from './graph.js';

const routes = [
  [/^#?\/?$/, 'dashboard', dashboard],
  [/^#\/runs\/([^/?]+)$/, 'runs', runDetail],
  [/^#\/runs(?:\?(.*))?$/, 'runs', runsPage],
  [/^#\/tasks\/([^/?]+)$/, 'dashboard', taskPage],
  [/^#\/graph$/, 'graph', graphPage],
  [/^#\/workflows\/([^/?]+)$/, 'runs', workflowPage],
  [/^#\/schedules$/, 'schedules', schedulesPage],
  [/^#\/workers$/, 'workers', workersPage],
  [/^#\/messages$/, 'messages', messagesPage]
];

function route() {
  leavePage();
  const view = document.getElementById('view');
  const hash = location.hash || '#/';
  for (const [pattern, nav, render] of routes) {
    const m = hash.match(pattern);
    if (m) {
      document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === nav));
      view.replaceChildren();
      render(...m.slice(1).map(x => x === undefined ? x : decodeURIComponent(x)));
      return;
    }
  }
  view.replaceChildren(h('div', { class: 'panel' }, empty('Nothing here', h('a', { href: '#/' }, 'Back to the dashboard'))));
}

async function health() {
  const badge = document.getElementById('health');
  try {
    const body = await (await fetch('/health')).json();
    badge.textContent = body.status === 'UP' ? 'running' : 'stopped';
    badge.className = 'health ' + (body.status === 'UP' ? 'up' : 'down');
  } catch (e) {
    badge.textContent = 'unreachable';
    badge.className = 'health down';
  }
}

window.addEventListener('hashchange', route);
document.documentElement.dataset.stream = 'down';
route();
connectEvents();
startTicker(5000);
health();
setInterval(health, 10000);

// Angora web UI: plain JavaScript, no build step, no external resources.
// Every view is built with DOM calls (never innerHTML with data), so task names and
// outputs cannot inject markup, and the page runs under a strict Content-Security-Policy.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'];
  const view = document.getElementById('view');
  let timers = [];
  let generation = 0;

  // ---------- helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function s(tag, attrs, ...children) {
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

  function badge(status) {
    return h('span', { class: 'badge ' + (status || ''), 'data-status': status || '' },
      status ? status.replace('_', ' ').toLowerCase() : 'never run');
  }

  function ago(iso) {
    if (!iso) return '';
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 5) return 'just now';
    if (seconds < 60) return seconds + 's ago';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleString();
  }

  // A future instant: the time alone when it is today, else the date too.
  function soon(iso) {
    const at = new Date(iso);
    return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
  }

  function time(iso) {
    return iso ? h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso)) : '';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }

  function toast(message, bad, link) {
    const box = document.getElementById('toast');
    const item = h('div', { class: 'msg' + (bad ? ' bad' : '') }, message,
      link ? [' ', h('a', { href: link.href }, link.text)] : null);
    box.append(item);
    setTimeout(() => item.remove(), bad ? 7000 : 4500);
  }

  function every(ms, fn) {
    const mine = generation;
    let busy = false;
    const tick = async () => {
      if (busy || mine !== generation) return;
      busy = true;
      try { await fn(); } catch (e) { /* shown by api() */ } finally { busy = false; }
    };
    timers.push(setInterval(tick, ms));
    return tick();
  }

  // ---------- API access, with the bearer token when the server asks for one

  let loginWaiters = null;

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    const token = sessionStorage.getItem('angora.token');
    if (token) opts.headers.Authorization = 'Bearer ' + token;
    const response = await fetch(path, opts);
    if (response.status === 401) {
      await login();
      return api(path, options);
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.startsWith('application/json') ? await response.json() : await response.text();
    if (!response.ok) {
      const error = new Error((body && body.error) || ('HTTP ' + response.status));
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return body;
  }

  function post(path, fields) {
    return api(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(fields || {})
    });
  }

  function login() {
    if (loginWaiters) return new Promise(r => loginWaiters.push(r));
    loginWaiters = [];
    const dialog = document.getElementById('login');
    const form = document.getElementById('login-form');
    return new Promise(resolve => {
      loginWaiters.push(resolve);
      const submit = async (e) => {
        e.preventDefault();
        const token = form.elements.token.value.trim();
        const check = await fetch('/api/tasks', { headers: { Authorization: 'Bearer ' + token } });
        if (check.status === 401) {
          document.getElementById('login-error').hidden = false;
          return;
        }
        sessionStorage.setItem('angora.token', token);
        form.removeEventListener('submit', submit);
        dialog.close();
        const waiters = loginWaiters;
        loginWaiters = null;
        waiters.forEach(r => r());
      };
      form.addEventListener('submit', submit);
      dialog.showModal();
    });
  }

  // ---------- routing (#/..., no page reloads)

  const routes = [
    [/^#?\/?$/, 'dashboard', dashboard],
    [/^#\/runs\/([^/?]+)$/, 'runs', runDetail],
    [/^#\/runs(?:\?(.*))?$/, 'runs', runsPage],
    [/^#\/graph$/, 'graph', graphPage],
    [/^#\/workflows\/([^/?]+)$/, 'runs', workflowPage],
    [/^#\/schedules$/, 'schedules', schedulesPage]
  ];

  function route() {
    generation++;
    timers.forEach(clearInterval);
    timers = [];
    const hash = location.hash || '#/';
    for (const [pattern, nav, render] of routes) {
      const m = hash.match(pattern);
      if (m) {
        document.querySelectorAll('[data-nav]').forEach(a =>
          a.classList.toggle('active', a.dataset.nav === nav));
        view.replaceChildren();
        render(...m.slice(1).map(x => x === undefined ? x : decodeURIComponent(x)));
        return;
      }
    }
    view.replaceChildren(h('div', { class: 'panel empty' }, h('strong', {}, 'Nothing here'),
      h('a', { href: '#/' }, 'Back to the dashboard')));
  }

  // ---------- dashboard: send form, tasks, live runs

  function dashboard() {
    const sendPanel = sendForm();
    const tasksBody = h('tbody');
    const tasksPanel = h('section', { class: 'panel', id: 'tasks' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Tasks'),
        h('button', { class: 'small', id: 'reload', title: 'Read the task files again', onclick: reload }, 'Reload tasks')),
      h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', { class: 'hide-narrow' }, 'Triggers'),
          h('th', {}, 'Last run'), h('th', { class: 'hide-narrow' }, 'Next scheduled'), h('th', {}, ''))),
        tasksBody)));
    const runsPanel = runsTable('Recent runs', 'recent-runs');
    view.append(sendPanel,
      h('div', { class: 'grid' }, tasksPanel, runsPanel.element));

    every(3000, async () => renderTasks(tasksBody, await api('/api/tasks')));
    every(1500, async () => runsPanel.update(await api('/api/runs?limit=25')));
  }

  function sendForm() {
    const form = h('form', { id: 'send-form', autocomplete: 'off' },
      h('div', { class: 'send-row' },
        h('label', {}, 'Message',
          h('input', { name: 'msg', required: true, maxlength: 255, placeholder: 'e.g. example.step.1', spellcheck: 'false' })),
        h('button', { type: 'submit', class: 'primary' }, 'Send message')),
      h('details', {}, h('summary', {}, 'Payload (optional)'),
        h('textarea', { name: 'payload', placeholder: 'Text handed to the jobs as ANGORA_PAYLOAD' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const msg = form.elements.msg.value.trim();
      const payload = form.elements.payload.value;
      try {
        const sent = await post('/send', payload ? { msg, payload } : { msg });
        toast('Sent ' + msg + '.', false,
          { href: '#/workflows/' + encodeURIComponent(sent.workflowId), text: 'Follow its workflow' });
        form.elements.msg.value = '';
      } catch (err) {
        toast('Not sent: ' + err.message, true);
      }
    });
    return h('section', { class: 'panel' }, h('h2', {}, 'Send a message'), form);
  }

  async function reload() {
    try {
      const result = await post('/api/tasks/reload');
      toast('Reloaded: ' + result.tasks + ' tasks in force.');
    } catch (err) {
      const list = (err.body && err.body.errors) || [];
      toast('Reload refused, the old tasks stay: ' + (list.length
        ? list.map(e => e.file + (e.line ? ':' + e.line : '') + ' ' + (e.field ? e.field + ': ' : '') + e.message).join('; ')
        : err.message), true);
    }
  }

  async function runTask(name) {
    try {
      const run = await post('/api/tasks/' + encodeURIComponent(name) + '/run');
      toast('Started ' + name + '.', false, { href: '#/runs/' + encodeURIComponent(run.id), text: 'Open the run' });
    } catch (err) {
      toast('Could not run ' + name + ': ' + err.message, true);
    }
  }

  function renderTasks(tbody, tasks) {
    if (!tasks.length) {
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'empty' },
        h('strong', {}, 'No tasks loaded'), 'Add task files and press “Reload tasks”.')));
      return;
    }
    // Rows are rebuilt only when their task changed, so a button under the pointer stays put.
    const cache = tbody.rowCache || (tbody.rowCache = new Map());
    const fresh = new Map();
    tbody.replaceChildren(...tasks.map(t => {
      const sig = JSON.stringify([t.triggers, t.command, t.lastStatus, t.lastRun && t.lastRun.id, t.nextSchedule]);
      const cached = cache.get(t.name);
      const row = cached && cached.sig === sig ? cached.row : taskRow(t);
      fresh.set(t.name, { sig, row });
      return row;
    }));
    tbody.rowCache = fresh;
  }

  function taskRow(t) {
    return h('tr', { 'data-task': t.name },
      h('td', { class: 'nowrap' }, h('span', { class: 'dot ' + (t.lastStatus || '') }),
        h('a', { href: '#/runs?task=' + encodeURIComponent(t.name), title: t.command }, t.name)),
      h('td', { class: 'hide-narrow mono cell-clip', title: t.triggers.join(', ') }, t.triggers.join(', ')),
      h('td', { class: 'nowrap' }, badge(t.lastStatus), ' ', t.lastRun ? h('a', { href: '#/runs/' + encodeURIComponent(t.lastRun.id), class: 'muted hide-narrow' }, time(t.lastRun.queuedAt)) : ''),
      // An absolute time: the row is rebuilt only when the task changes, so "in 5 min" would go stale.
      h('td', { class: 'hide-narrow nowrap next-schedule' }, t.nextSchedule ? h('a', { href: '#/schedules', class: 'muted' },
        h('time', { datetime: t.nextSchedule, title: 'A schedule triggers ' + t.name + ' next at ' + new Date(t.nextSchedule).toLocaleString() },
          soon(t.nextSchedule))) : ''),
      h('td', { class: 'actions' }, h('button', {
        class: 'small run-task', 'data-task': t.name, title: 'Run ' + t.name + ' now',
        onclick: () => runTask(t.name)
      }, 'Run')));
  }

  // A table of runs that updates in place and highlights new rows.
  function runsTable(title, id, extraHead) {
    const tbody = h('tbody');
    let known = null;
    let rowCache = new Map();
    const element = h('section', { class: 'panel', id },
      h('div', { class: 'panel-head' }, h('h2', {}, title), extraHead || h('span', { class: 'muted' }, 'live')),
      h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Queued'), h('th', {}, 'Task'), h('th', { class: 'hide-narrow' }, 'Message'),
          h('th', {}, 'Status'), h('th', { class: 'hide-narrow' }, 'Took'))),
        tbody)));
    function row(r, fresh) {
      return h('tr', {
        class: 'clickable' + (fresh ? ' fresh' : ''), 'data-run-id': r.id, 'data-task': r.task, 'data-status': r.status,
        onclick: () => { location.hash = '#/runs/' + encodeURIComponent(r.id); },
        // Once: a row moved in the table would replay the highlight.
        onanimationend: (e) => e.currentTarget.classList.remove('fresh')
      },
        h('td', {}, time(r.queuedAt)),
        h('td', {}, h('a', { href: '#/runs/' + encodeURIComponent(r.id) }, r.task),
          r.attempt > 1 ? h('span', { class: 'muted' }, ' #' + r.attempt) : ''),
        h('td', { class: 'hide-narrow mono cell-clip', title: r.message }, r.message),
        h('td', {}, badge(r.status)),
        h('td', { class: 'hide-narrow muted' }, duration(r.durationMillis)));
    }
    function update(page, appendRows) {
      const runs = page.runs;
      if (!appendRows && !runs.length) {
        tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'empty' },
          h('strong', {}, 'No runs yet'), 'Send a message or press a task’s Run button.')));
        known = new Set();
        return page;
      }
      const cache = appendRows ? rowCache : new Map();
      const rows = runs.map(r => {
        const sig = r.status + '/' + r.durationMillis;
        const cached = rowCache.get(r.id);
        const el = cached && cached.sig === sig ? cached.row : row(r, known !== null && !known.has(r.id));
        cache.set(r.id, { sig, row: el });
        return el;
      });
      if (!appendRows) rowCache = cache;
      if (appendRows) tbody.append(...rows); else tbody.replaceChildren(...rows);
      known = new Set([...(appendRows && known ? known : []), ...runs.map(r => r.id)]);
      return page;
    }
    return { element, update };
  }

  // ---------- runs page with filters and paging

  async function runsPage(query) {
    const params = new URLSearchParams(query || '');
    const taskSelect = h('select', { name: 'task' }, h('option', { value: '' }, 'all tasks'));
    const statusSelect = h('select', { name: 'status' }, h('option', { value: '' }, 'any status'),
      STATUSES.map(st => h('option', { value: st }, st.toLowerCase())));
    const more = h('button', { id: 'older', hidden: true }, 'Older runs');
    const table = runsTable('Runs', 'runs-list');
    const apply = () => {
      const p = new URLSearchParams();
      if (taskSelect.value) p.set('task', taskSelect.value);
      if (statusSelect.value) p.set('status', statusSelect.value);
      location.hash = '#/runs' + (p.toString() ? '?' + p : '');
    };
    taskSelect.addEventListener('change', apply);
    statusSelect.addEventListener('change', apply);
    view.append(h('h1', {}, 'Runs'),
      h('div', { class: 'filters' }, h('label', {}, 'Task', taskSelect), h('label', {}, 'Status', statusSelect)),
      table.element, more);
    const tasks = await api('/api/tasks');
    tasks.forEach(t => taskSelect.append(h('option', { value: t.name }, t.name)));
    taskSelect.value = params.get('task') || '';
    statusSelect.value = params.get('status') || '';
    const base = '/api/runs?limit=50' + (params.get('task') ? '&task=' + encodeURIComponent(params.get('task')) : '')
      + (params.get('status') ? '&status=' + encodeURIComponent(params.get('status')) : '');
    let next = null;
    let paged = false;
    more.addEventListener('click', async () => {
      paged = true;
      const page = table.update(await api(base + '&before=' + encodeURIComponent(next)), true);
      next = page.next;
      more.hidden = !next;
    });
    every(2000, async () => {
      if (paged) return; // keep the older pages the user asked for in place
      const page = table.update(await api(base));
      next = page.next;
      more.hidden = !next;
    });
  }

  // ---------- one run

  function runDetail(id) {
    const facts = h('dl', { class: 'facts' });
    const output = h('pre', { class: 'output', id: 'run-output' });
    const replay = h('button', { id: 'replay', onclick: async () => {
      try {
        const again = await post('/api/runs/' + encodeURIComponent(id) + '/replay');
        location.hash = '#/runs/' + encodeURIComponent(again.id);
      } catch (err) { toast('Replay refused: ' + err.message, true); }
    } }, 'Replay');
    const cancel = h('button', { id: 'cancel', class: 'danger', onclick: async () => {
      try {
        const r = await post('/api/runs/' + encodeURIComponent(id) + '/cancel');
        toast(r.cancelled ? 'Cancelling the run.' : 'The run had already finished.');
        load();
      } catch (err) { toast('Cancel refused: ' + err.message, true); }
    } }, 'Cancel');
    const status = h('span', { id: 'run-status' });
    const title = h('h1', {}, 'Run ', h('span', { class: 'mono' }, id), ' ', status);
    view.append(title,
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Details'),
        h('div', { class: 'toolbar' }, replay, cancel)), facts),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Output'),
        h('a', { href: '/api/runs/' + encodeURIComponent(id) + '/log', class: 'muted', target: '_blank', rel: 'noopener' }, 'as text')),
      output));
    let done = false;
    async function load() {
      if (done) return;
      let r;
      try {
        r = await api('/api/runs/' + encodeURIComponent(id));
      } catch (err) {
        if (err.status === 404) {
          done = true;
          view.replaceChildren(h('div', { class: 'panel empty' }, h('strong', {}, 'No run ' + id),
            h('a', { href: '#/runs' }, 'All runs')));
        }
        throw err;
      }
      status.replaceChildren(badge(r.status));
      const final = !['QUEUED', 'RUNNING'].includes(r.status);
      replay.disabled = !final;
      cancel.disabled = final;
      const rows = [
        ['Task', h('a', { href: '#/runs?task=' + encodeURIComponent(r.task) }, r.task)],
        ['Message', h('span', { class: 'mono' }, r.message)],
        ['Workflow', h('a', { href: '#/workflows/' + encodeURIComponent(r.workflowId), class: 'mono', id: 'workflow-link' }, r.workflowId)],
        ['Parent run', r.parentRunId ? h('a', { href: '#/runs/' + encodeURIComponent(r.parentRunId), class: 'mono' }, r.parentRunId) : '—'],
        ['Attempt', r.attempt],
        ['Exit code', r.exitCode === null ? '—' : r.exitCode],
        ['Reason', r.reason || '—'],
        ['Worker', r.worker || '—'],
        ['Queued', r.queuedAt ? new Date(r.queuedAt).toLocaleString() : '—'],
        ['Started', r.startedAt ? new Date(r.startedAt).toLocaleString() : '—'],
        ['Finished', r.finishedAt ? new Date(r.finishedAt).toLocaleString() : '—'],
        ['Took', duration(r.durationMillis) || '—']
      ];
      if (r.payload) rows.splice(2, 0, ['Payload', h('span', { class: 'mono' }, r.payload)]);
      facts.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
      output.textContent = r.output || (final ? '(no output)' : '(waiting for output…)');
      output.dataset.status = r.status;
      if (final) done = true;
    }
    every(1500, load);
  }

  // ---------- one workflow instance as a tree of runs

  function workflowPage(id) {
    const tree = h('div', { id: 'workflow-tree' });
    view.append(h('h1', {}, 'Workflow ', h('span', { class: 'mono' }, id)),
      h('section', { class: 'panel' }, h('p', { class: 'muted' },
        'Every run of this workflow instance; a run’s children were triggered by its messages.'), tree));
    function node(r) {
      return h('li', {}, h('a', { class: 'tree-run', href: '#/runs/' + encodeURIComponent(r.id), 'data-run-id': r.id },
        badge(r.status), h('strong', {}, r.task), h('span', { class: 'mono muted' }, r.message),
        r.attempt > 1 ? h('span', { class: 'muted' }, 'attempt ' + r.attempt) : '', time(r.queuedAt),
        r.reason ? h('span', { class: 'muted tree-reason', title: r.reason }, r.reason) : ''),
      r.children.length ? h('ul', {}, r.children.map(node)) : null);
    }
    every(2000, async () => {
      try {
        const wf = await api('/api/workflows/' + encodeURIComponent(id));
        tree.replaceChildren(h('p', {}, wf.runCount + ' run' + (wf.runCount === 1 ? '' : 's')),
          h('ul', { class: 'tree' }, wf.runs.map(node)));
      } catch (err) {
        if (err.status === 404) tree.replaceChildren(h('div', { class: 'empty' },
          h('strong', {}, 'No runs in this workflow yet'), 'They appear here as soon as they are queued.'));
        else throw err;
      }
    });
  }

  // ---------- schedules

  function schedulesPage() {
    const body = h('div', { id: 'schedules' });
    view.append(h('h1', {}, 'Schedules'), h('section', { class: 'panel' }, body));
    let shown = null;
    const refresh = async () => {
      const list = await api('/api/schedules');
      const key = JSON.stringify(list);
      if (key === shown) return; // unchanged: keep the rows, and a button under the pointer
      shown = key;
      if (!list.length) {
        body.replaceChildren(h('div', { class: 'empty', id: 'schedules-empty' }, h('strong', {}, 'No schedules'),
          'Nothing sends messages on a timetable yet: add a schedules.yml to the task directory and reload. Messages can still come from the form on the dashboard, ',
          h('code', {}, 'curl -d "msg=…" …/send'), ' in a crontab, or any AMQP client.'));
        return;
      }
      body.replaceChildren(h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Schedule', 'When', 'Message', 'Next', 'Last fired', 'Last messages', '']
          .map(k => h('th', {}, k)))),
        h('tbody', {}, list.map(scheduleRow)))));
    };
    const when = (iso) => iso ? h('time', { datetime: iso, title: iso }, new Date(iso).toLocaleString()) : '—';
    const scheduleRow = (sc) => h('tr', { 'data-schedule': sc.name },
      h('td', { class: 'mono', title: sc.origin || '' }, sc.name),
      h('td', { class: 'mono' }, sc.timing + ' ' + sc.zone, sc.misfire === 'fire_once' ? ' (misfire: fire once)' : ''),
      h('td', { class: 'mono' }, sc.message),
      h('td', { class: 'next' }, sc.paused ? h('span', { class: 'badge CANCELLED' }, 'paused') : when(sc.nextFire)),
      h('td', {}, sc.lastFire ? time(sc.lastFire) : '—'),
      h('td', { class: 'mono recent' }, sc.recent.length ? sc.recent.slice(0, 3).map(f => h('div', { title: 'for ' + f.fireTime },
        h('a', { href: '#/workflows/' + encodeURIComponent(f.messageId) }, f.text),
        f.error ? ' not sent: ' + f.error : f.catchUp ? ' (catch-up)' : '')) : '—'),
      h('td', {}, sc.pausedInFile
        ? h('span', { class: 'muted', title: 'paused: true in ' + (sc.origin || 'its file') }, 'paused in file')
        : h('button', { class: 'small', 'data-action': sc.paused ? 'resume' : 'pause', onclick: () => toggle(sc) },
          sc.paused ? 'Resume' : 'Pause')));
    const toggle = async (sc) => {
      const action = sc.paused ? 'resume' : 'pause';
      try {
        await post('/api/schedules/' + encodeURIComponent(sc.name) + '/' + action);
        toast((sc.paused ? 'Resumed ' : 'Paused ') + sc.name + '.');
        await refresh();
      } catch (err) {
        toast('Could not ' + action + ' ' + sc.name + ': ' + err.message, true);
      }
    };
    every(5000, refresh);
  }

  // ---------- the workflow graph, laid out here: layers by longest path from the entry points

  function graphPage() {
    const wrap = h('div', { class: 'graph-wrap', id: 'graph-wrap' });
    const warnings = h('ul', { class: 'warnings', id: 'graph-warnings' });
    let scale = 1;
    let drawn = null;
    const zoom = (f) => { scale = Math.min(2.5, Math.max(0.2, f === 'fit' ? fitScale() : scale * f)); resize(); };
    const fitScale = () => drawn ? Math.min(1.5, (wrap.clientWidth - 4) / drawn.width) : 1;
    const resize = () => {
      if (!drawn) return;
      drawn.svg.setAttribute('width', Math.round(drawn.width * scale));
      drawn.svg.setAttribute('height', Math.round(drawn.height * scale));
    };
    view.append(h('h1', {}, 'Workflow graph'),
      h('section', { class: 'panel' },
        h('div', { class: 'panel-head' },
          h('div', { class: 'legend' }, ['SUCCEEDED', 'FAILED', 'RUNNING', 'QUEUED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', null].map(st =>
            h('span', {}, h('span', { class: 'dot ' + (st || '') }), st ? st.replace('_', ' ').toLowerCase() : 'never run')),
            h('span', {}, '⇢ dashed: closes a cycle')),
          h('div', { class: 'toolbar' },
            h('button', { class: 'small', title: 'Zoom out', onclick: () => zoom(1 / 1.25) }, '−'),
            h('button', { class: 'small', title: 'Zoom in', onclick: () => zoom(1.25) }, '+'),
            h('button', { class: 'small', title: 'Fit the width', onclick: () => zoom('fit') }, 'Fit'))),
        h('p', { class: 'muted' }, 'Tasks coloured by their last run; an arrow is a message one task sends on success and another is triggered by. Click a task for its runs.'),
        warnings, wrap));
    let shape = null;
    every(3000, async () => {
      const graph = await api('/api/workflows');
      const key = JSON.stringify([graph.nodes.map(n => n.task), graph.edges]);
      warnings.replaceChildren(...graph.warnings.map(w => h('li', {}, w)));
      if (key !== shape) {
        shape = key;
        drawn = drawGraph(graph);
        wrap.replaceChildren(drawn.svg);
        if (drawn.width * scale > wrap.clientWidth) scale = Math.max(0.75, fitScale());
        resize();
      } else {
        for (const n of graph.nodes) {
          const g = drawn.nodes.get(n.task);
          if (g) g.setAttribute('class', 'node ' + (n.lastStatus || ''));
        }
      }
    });
  }

  function layout(graph) {
    const names = graph.nodes.map(n => n.task);
    const out = new Map(names.map(n => [n, []]));
    const incoming = new Map(names.map(n => [n, []]));
    const pairs = new Map();
    for (const e of graph.edges) {
      if (!out.has(e.from) || !out.has(e.to)) continue;
      const key = e.from + '\u0000' + e.to;
      if (pairs.has(key)) { pairs.get(key).messages.push(e.message); continue; }
      const edge = { from: e.from, to: e.to, messages: [e.message], back: false };
      pairs.set(key, edge);
      out.get(e.from).push(edge);
      incoming.get(e.to).push(edge);
    }
    const edges = [...pairs.values()];
    // Break cycles: depth-first from the entry tasks; an edge back onto the stack closes a cycle.
    const state = new Map();
    const roots = names.filter(n => incoming.get(n).length === 0).concat(names);
    for (const root of roots) {
      if (state.has(root)) continue;
      const stack = [[root, 0]];
      state.set(root, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const list = out.get(top[0]);
        if (top[1] >= list.length) { state.set(top[0], 2); stack.pop(); continue; }
        const edge = list[top[1]++];
        const st = state.get(edge.to);
        if (st === 1) edge.back = true;
        else if (st === undefined) { state.set(edge.to, 1); stack.push([edge.to, 0]); }
      }
    }
    // Longest path from the entry tasks over the forward edges (Kahn's order).
    const layer = new Map(names.map(n => [n, 0]));
    const indeg = new Map(names.map(n => [n, incoming.get(n).filter(e => !e.back).length]));
    const queue = names.filter(n => indeg.get(n) === 0);
    while (queue.length) {
      const n = queue.shift();
      for (const e of out.get(n)) {
        if (e.back) continue;
        layer.set(e.to, Math.max(layer.get(e.to), layer.get(n) + 1));
        indeg.set(e.to, indeg.get(e.to) - 1);
        if (indeg.get(e.to) === 0) queue.push(e.to);
      }
    }
    // A task nobody triggers sits just before its earliest successor, not far left with long edges.
    for (const n of names) {
      const next = out.get(n).filter(e => !e.back && e.to !== n);
      if (incoming.get(n).every(e => e.back) && next.length) {
        layer.set(n, Math.max(0, Math.min(...next.map(e => layer.get(e.to))) - 1));
      }
    }
    const depth = Math.max(0, ...layer.values()) + 1;
    const layers = Array.from({ length: depth }, () => []);
    names.forEach(n => layers[layer.get(n)].push(n));
    // Fewer crossings: order each layer by the mean position of its neighbours, sweeping both ways.
    const pos = new Map();
    const index = () => layers.forEach(l => l.forEach((n, i) => pos.set(n, i)));
    index();
    const mean = (list, fallback) => list.length ? list.reduce((a, b) => a + pos.get(b), 0) / list.length : fallback;
    for (let sweep = 0; sweep < 6; sweep++) {
      const down = sweep % 2 === 0;
      const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
      for (const l of order) {
        const score = new Map(l.map(n => [n, mean(down
          ? incoming.get(n).filter(e => !e.back).map(e => e.from)
          : out.get(n).filter(e => !e.back).map(e => e.to), pos.get(n))]));
        l.sort((a, b) => score.get(a) - score.get(b));
        index();
      }
    }
    return { layers, edges, layer };
  }

  function drawGraph(graph) {
    const W = 168, H = 40, GX = 110, GY = 26, PAD = 24;
    const ENTRY = (graph.entryPoints || []).length ? 118 : 0;
    const { layers, edges } = layout(graph);
    const tallest = Math.max(1, ...layers.map(l => l.length));
    const height = PAD * 2 + tallest * H + (tallest - 1) * GY + 30;
    const width = PAD * 2 + ENTRY + layers.length * W + (layers.length - 1) * GX;
    const at = new Map();
    layers.forEach((l, li) => {
      const top = PAD + ((tallest - l.length) * (H + GY)) / 2;
      l.forEach((n, i) => at.set(n, { x: PAD + ENTRY + li * (W + GX), y: top + i * (H + GY) }));
    });
    const svg = s('svg', { id: 'graph', xmlns: SVG, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Workflow graph of ' + graph.nodes.length + ' tasks' });
    svg.append(s('defs', {},
      s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' })),
      s('marker', { id: 'arrow-back', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow back' }))));
    const edgeLayer = s('g', { class: 'edges' });
    const labelLayer = s('g', { class: 'labels' });
    const nodeLayer = s('g', { class: 'nodes' });
    svg.append(edgeLayer, nodeLayer, labelLayer);
    const labelBoxes = [];
    function label(x, y, text) {
      const shown = text.length > 26 ? text.slice(0, 25) + '…' : text;
      const w = shown.length * 6.1 + 8;
      // Nudge down while it overlaps an earlier label.
      for (let tries = 0; tries < 8 && labelBoxes.some(b => Math.abs(b.x - x) < (b.w + w) / 2 && Math.abs(b.y - y) < 14); tries++) y += 14;
      labelBoxes.push({ x, y, w });
      labelLayer.append(s('g', { class: 'label' }, s('title', {}, text),
        s('rect', { x: x - w / 2, y: y - 8, width: w, height: 16, rx: 4 }),
        s('text', { x, y }, shown)));
    }
    for (const e of edges) {
      const a = at.get(e.from), b = at.get(e.to);
      const text = e.messages.join(', ');
      if (e.back) {
        // Closing a cycle: loop under both nodes, right to left.
        const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y + H;
        const dip = Math.max(y1, y2) + 34 + (e.from === e.to ? 0 : 10);
        const d = e.from === e.to
          ? `M${a.x + W - 20},${y1} C${a.x + W + 10},${dip} ${a.x - 10},${dip} ${a.x + 20},${y2}`
          : `M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}`;
        edgeLayer.append(s('path', { class: 'edge back', d, 'marker-end': 'url(#arrow-back)' }, s('title', {}, e.from + ' → ' + e.to + ': ' + text)));
        label((x1 + x2) / 2, dip - 4, text);
      } else {
        const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
        const bend = Math.max(40, (x2 - x1) / 2);
        edgeLayer.append(s('path', { class: 'edge', d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
          'marker-end': 'url(#arrow)' }, s('title', {}, e.from + ' → ' + e.to + ': ' + text)));
        const span = x2 - x1;
        label(x1 + Math.min(span / 2, GX / 2), y1 + (y2 - y1) * (Math.min(span / 2, GX / 2) / span), text);
      }
    }
    // Entry points: the triggers nobody sends, where messages from outside come in.
    const entries = new Map();
    for (const ep of graph.entryPoints || []) {
      if (!entries.has(ep.task)) entries.set(ep.task, []);
      entries.get(ep.task).push(ep.trigger);
    }
    const nodes = new Map();
    for (const n of graph.nodes) {
      const p = at.get(n.task);
      const name = n.task.length > 22 ? n.task.slice(0, 21) + '…' : n.task;
      const g = s('g', { class: 'node ' + (n.lastStatus || ''), 'data-task': n.task, tabindex: 0 },
        s('title', {}, n.task + '\ntriggers: ' + n.triggers.join(', ') + (n.messages.length ? '\nsends: ' + n.messages.join(', ') : '')
          + '\nlast run: ' + (n.lastStatus || 'never')),
        s('rect', { x: p.x, y: p.y, width: W, height: H, rx: 7 }),
        s('text', { x: p.x + W / 2, y: p.y + (n.parentSuccess ? H / 2 - 6 : H / 2) }, name),
        n.parentSuccess ? s('text', { class: 'ps', x: p.x + W / 2, y: p.y + H / 2 + 9 }, 'waits for all parents') : null);
      const open = () => { location.hash = '#/runs?task=' + encodeURIComponent(n.task); };
      g.addEventListener('click', open);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      nodeLayer.append(g);
      nodes.set(n.task, g);
      const ins = entries.get(n.task);
      if (ins) {
        const t = ins.join(', ');
        const shown = t.length > 18 ? t.slice(0, 17) + '…' : t;
        svg.insertBefore(s('g', { class: 'entry' }, s('title', {}, 'entry: ' + t),
          s('path', { class: 'edge', d: `M${p.x - 26},${p.y + H / 2} L${p.x},${p.y + H / 2}`, 'marker-end': 'url(#arrow)' }),
          s('text', { x: p.x - 30, y: p.y + H / 2 }, shown)), labelLayer);
      }
    }
    if (!graph.nodes.length) {
      svg.append(s('text', { x: 20, y: 40 }, 'No tasks loaded.'));
    }
    return { svg, width, height, nodes };
  }

  // ---------- engine status in the header

  async function health() {
    const badgeEl = document.getElementById('health');
    try {
      const r = await fetch('/health');
      const body = await r.json();
      badgeEl.textContent = body.status === 'UP' ? 'running' : 'stopped';
      badgeEl.className = 'health ' + (body.status === 'UP' ? 'up' : 'down');
    } catch (e) {
      badgeEl.textContent = 'unreachable';
      badgeEl.className = 'health down';
    }
  }

  // Relative times ("12s ago") age in place, without rebuilding what shows them.
  setInterval(() => document.querySelectorAll('time[datetime]').forEach(t => {
    t.textContent = ago(t.getAttribute('datetime'));
  }), 5000);

  window.addEventListener('hashchange', route);
  route();
  health();
  setInterval(health, 5000);
})();

// The pages: dashboard, runs, one run (with its live output), one workflow, one task, schedules,
// workers and messages. Each keeps itself current from the event stream (api.on) and loads
// again through api.live when the stream comes back or, while it is down, by polling.

import { api, post, on, live, openStream, readPieces } from './api.js';
import { h, badge, when, duration, toast, link, enc, empty, STATUSES, absolute } from './dom.js';
import { explainInto } from './explain.js';

const view = () => document.getElementById('view');
const FINAL = (status) => !['QUEUED', 'RUNNING'].includes(status);

// ---------- sending a message, and saying so when it triggers nothing

function sendForm() {
  const warning = h('p', { class: 'warning', id: 'send-warning', hidden: true });
  const explained = h('div', { id: 'explain-result', hidden: true });
  const explainMessage = () => {
    const msg = form.elements.msg.value.trim();
    if (!msg) { form.elements.msg.reportValidity(); return; }
    const query = { msg, depth: form.elements.depth.value || '1' };
    const workflow = form.elements.workflow.value.trim();
    if (workflow) query.workflow = workflow;
    explainInto(explained, query);
  };
  const form = h('form', { id: 'send-form', autocomplete: 'off' },
    h('div', { class: 'send-row' },
      h('label', {}, 'Message',
        h('input', { name: 'msg', required: true, maxlength: 255, placeholder: 'e.g. example.step.1', spellcheck: 'false' })),
      h('button', { type: 'submit', class: 'primary' }, 'Send message'),
      h('button', { type: 'button', id: 'explain-button', title: 'Say what this message would do, without sending it',
        onclick: () => explainMessage() }, 'Explain')),
    h('details', {}, h('summary', {}, 'Payload (optional)'),
      h('textarea', { name: 'payload', placeholder: 'Text handed to the jobs as ANGORA_PAYLOAD' })),
    h('details', {}, h('summary', {}, 'Explain options'),
      h('div', { class: 'send-row' },
        h('label', {}, 'In workflow (optional)', h('input', { name: 'workflow', maxlength: 128, spellcheck: 'false',
          placeholder: 'a workflow id: parent_success is checked in it' })),
        h('label', {}, 'Depth', h('input', { name: 'depth', type: 'number', min: 1, max: 20, value: 1 })))),
    warning, explained);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const msg = form.elements.msg.value.trim();
    const payload = form.elements.payload.value;
    try {
      const sent = await post('/send', payload ? { msg, payload } : { msg });
      form.elements.msg.value = '';
      if (sent.tasks === 0) {
        warning.hidden = false;
        warning.replaceChildren('Sent, but no task has a trigger matching ', h('code', {}, msg), '.',
          ...(sent.nearestTrigger ? [' Did you mean ', h('button', {
            type: 'button', class: 'linkish', id: 'use-nearest',
            onclick: () => { form.elements.msg.value = sent.nearestTrigger; warning.hidden = true; }
          }, sent.nearestTrigger), '?'] : [' No task is loaded.']));
        return;
      }
      warning.hidden = true;
      toast('Sent ' + msg + ': ' + sent.tasks + ' task' + (sent.tasks === 1 ? '' : 's') + ' triggered.', false,
        { href: '#/workflows/' + enc(sent.workflowId), text: 'Follow its workflow' });
    } catch (err) {
      toast('Not sent: ' + err.message, true);
    }
  });
  return h('section', { class: 'panel' }, h('h2', {}, 'Send or explain a message'), form);
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
    const run = await post('/api/tasks/' + enc(name) + '/run');
    toast((run.status === 'SKIPPED' ? 'Skipped ' + name + ': ' + run.reason : 'Started ' + name + '.'),
      run.status === 'SKIPPED', { href: '#/runs/' + enc(run.id), text: 'Open the run' });
  } catch (err) {
    toast('Could not run ' + name + ': ' + err.message, true);
  }
}

// ---------- dashboard

export function dashboard() {
  const tasksBody = h('tbody');
  const tasksPanel = h('section', { class: 'panel', id: 'tasks' },
    h('div', { class: 'panel-head' }, h('h2', {}, 'Tasks'),
      h('button', { class: 'small', id: 'reload', title: 'Read the task files again', onclick: reload }, 'Reload tasks')),
    h('div', { class: 'scroll', id: 'tasks-scroll' }, h('table', { class: 'tasks' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', { class: 'hide-narrow' }, 'Triggers'),
        h('th', {}, 'Last run'), h('th', { class: 'hide-narrow' }, 'Next scheduled'), h('th', { class: 'actions' }, ''))),
      tasksBody)));
  const runs = runsTable('Recent runs', 'recent-runs', 25);
  view().append(sendForm(), h('div', { class: 'grid' }, tasksPanel, runs.element));

  let tasks = [];
  const rows = new Map();
  const render = () => {
    if (!tasks.length) {
      tasksBody.replaceChildren(h('tr', {}, h('td', { colspan: 5 },
        empty('No tasks loaded', 'Add task files and press “Reload tasks”.'))));
      return;
    }
    // Rows are rebuilt only when their task changed, so a button under the pointer stays put.
    tasksBody.replaceChildren(...tasks.map(t => {
      const sig = JSON.stringify([t.triggers, t.command, t.lastRun, t.nextSchedule]);
      const cached = rows.get(t.name);
      if (cached && cached.sig === sig) return cached.row;
      const row = taskRow(t);
      rows.set(t.name, { sig, row });
      return row;
    }));
  };
  live(async () => { tasks = await api('/api/tasks'); render(); }, 3000);
  live(async () => runs.replace((await api('/api/runs?limit=25')).runs), 1500);
  on('run', (r) => {
    runs.upsert(r);
    const t = tasks.find(x => x.name === r.task);
    // A run's final state is never replaced by an earlier one that arrives late.
    const stale = t && t.lastRun && t.lastRun.id === r.id && FINAL(t.lastRun.status)
        && !FINAL(r.status);
    if (t && !stale && (!t.lastRun || t.lastRun.id <= r.id)) {
      t.lastStatus = r.status;
      t.lastRun = { id: r.id, status: r.status, queuedAt: r.queuedAt, finishedAt: r.finishedAt };
      render();
    }
  });
}

function taskRow(t) {
  return h('tr', { 'data-task': t.name },
    h('td', { class: 'task-name' }, h('span', { class: 'dot ' + (t.lastStatus || '') }),
      link('#/tasks/' + enc(t.name), t.name, { title: t.command })),
    h('td', { class: 'hide-narrow mono cell-clip', title: t.triggers.join(', ') }, t.triggers.join(', ')),
    h('td', { class: 'last-run' }, badge(t.lastStatus), ' ',
      t.lastRun ? link('#/runs/' + enc(t.lastRun.id), when(t.lastRun.queuedAt), { class: 'muted' }) : ''),
    h('td', { class: 'hide-narrow next-schedule' }, t.nextSchedule
      ? link('#/schedules', when(t.nextSchedule), { class: 'muted', title: 'A schedule triggers ' + t.name + ' next' }) : ''),
    h('td', { class: 'actions' }, h('button', {
      class: 'small run-task', 'data-task': t.name, title: 'Run ' + t.name + ' now',
      onclick: () => runTask(t.name)
    }, 'Run')));
}

// ---------- a table of runs, updated in place by events

function runsTable(title, id, cap, extraHead) {
  const tbody = h('tbody');
  let runs = [];
  const rowCache = new Map();
  let seen = null;
  const element = h('section', { class: 'panel', id },
    h('div', { class: 'panel-head' }, h('h2', {}, title), extraHead || h('span', { class: 'muted live-state' }, 'live')),
    h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Queued'), h('th', {}, 'Task'), h('th', { class: 'hide-narrow' }, 'Message'),
        h('th', {}, 'Status'), h('th', { class: 'hide-narrow' }, 'Took'))),
      tbody)));
  const row = (r, fresh) => h('tr', {
    class: 'clickable' + (fresh ? ' fresh' : ''), 'data-run-id': r.id, 'data-task': r.task, 'data-status': r.status,
    onclick: (e) => { if (!e.target.closest('a')) location.hash = '#/runs/' + enc(r.id); },
    onanimationend: (e) => e.currentTarget.classList.remove('fresh')
  },
    h('td', {}, when(r.queuedAt)),
    h('td', {}, link('#/runs/' + enc(r.id), r.task), r.attempt > 1 ? h('span', { class: 'muted' }, ' #' + r.attempt) : ''),
    h('td', { class: 'hide-narrow mono cell-clip', title: r.message }, r.message),
    h('td', {}, badge(r.status, r.reason)),
    h('td', { class: 'hide-narrow muted' }, duration(r.durationMillis)));
  const render = () => {
    if (!runs.length) {
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5 },
        empty('No runs yet', 'Send a message or press a task’s Run button.'))));
      return;
    }
    tbody.replaceChildren(...runs.map(r => {
      const sig = r.status + '/' + r.durationMillis;
      const cached = rowCache.get(r.id);
      if (cached && cached.sig === sig) return cached.row;
      const el = row(r, seen !== null && !seen.has(r.id));
      rowCache.set(r.id, { sig, row: el });
      return el;
    }));
    seen = new Set(runs.map(r => r.id));
  };
  return {
    element,
    replace(list) { runs = list.slice(); render(); },
    append(list) { runs = runs.concat(list); render(); },
    // A run from an event: its row changes, or a new one comes in on top.
    upsert(r, matches) {
      const i = runs.findIndex(x => x.id === r.id);
      if (i >= 0) runs[i] = r;
      else if (!matches || matches(r)) {
        runs.unshift(r);
        runs.sort((a, b) => (a.id < b.id ? 1 : -1));
        if (cap) runs = runs.slice(0, cap);
      } else return;
      render();
    }
  };
}

// ---------- runs page: filters by task, status, workflow, message and date; paging

export async function runsPage(query) {
  const params = new URLSearchParams(query || '');
  const field = (name, el) => { el.name = name; el.value = params.get(name) || ''; return el; };
  const taskSelect = field('task', h('select', {}, h('option', { value: '' }, 'all tasks')));
  const statusSelect = field('status', h('select', {}, h('option', { value: '' }, 'any status'),
    STATUSES.map(st => h('option', { value: st }, st.replace('_', ' ').toLowerCase()))));
  const message = field('message', h('input', { placeholder: 'contains…', spellcheck: 'false' }));
  const workflow = field('workflow', h('input', { placeholder: 'workflow id', spellcheck: 'false', class: 'mono' }));
  const from = field('from', h('input', { type: 'date' }));
  const to = field('to', h('input', { type: 'date' }));
  const more = h('button', { id: 'older', hidden: true }, 'Older runs');
  const table = runsTable('Runs', 'runs-list', 0);
  const inputs = [taskSelect, statusSelect, message, workflow, from, to];
  const apply = (e) => {
    if (e) e.preventDefault();
    const p = new URLSearchParams();
    inputs.forEach(i => { if (i.value.trim()) p.set(i.name, i.value.trim()); });
    location.hash = '#/runs' + (p.toString() ? '?' + p : '');
  };
  taskSelect.addEventListener('change', apply);
  statusSelect.addEventListener('change', apply);
  from.addEventListener('change', apply);
  to.addEventListener('change', apply);
  view().append(h('h1', {}, 'Runs'),
    h('form', { class: 'filters', id: 'run-filters', onsubmit: apply },
      h('label', {}, 'Task', taskSelect), h('label', {}, 'Status', statusSelect),
      h('label', {}, 'Message', message), h('label', {}, 'Workflow', workflow),
      h('label', {}, 'From', from), h('label', {}, 'Until', to),
      h('button', { type: 'submit' }, 'Filter')),
    table.element, more);
  api('/api/tasks').then(tasks => {
    tasks.forEach(t => taskSelect.append(h('option', { value: t.name }, t.name)));
    taskSelect.value = params.get('task') || '';
  }).catch(() => {});
  const q = new URLSearchParams({ limit: '50' });
  for (const name of ['task', 'status', 'message', 'workflow', 'from']) if (params.get(name)) q.set(name, params.get(name));
  // "Until" a date includes that day.
  if (params.get('to')) q.set('to', new Date(Date.parse(params.get('to')) + 86400000).toISOString().slice(0, 10));
  const base = '/api/runs?' + q;
  const matches = (r) => (!params.get('task') || r.task === params.get('task'))
    && (!params.get('status') || r.status === params.get('status'))
    && (!params.get('workflow') || r.workflowId === params.get('workflow'))
    && (!params.get('message') || r.message.includes(params.get('message')))
    && !params.get('to');
  let next = null;
  let paged = false;
  more.addEventListener('click', async () => {
    paged = true;
    const page = await api(base + '&before=' + enc(next));
    table.append(page.runs);
    next = page.next;
    more.hidden = !next;
  });
  live(async () => {
    if (paged) return; // keep the older pages the user asked for in place
    const page = await api(base);
    table.replace(page.runs);
    next = page.next;
    more.hidden = !next;
  }, 2000);
  on('run', (r) => table.upsert(r, matches));
}

// ---------- one run, with its output growing while it runs

export function runDetail(id) {
  const facts = h('dl', { class: 'facts' });
  const output = h('pre', { class: 'output', id: 'run-output' });
  const replay = h('button', { id: 'replay', onclick: async () => {
    try {
      const again = await post('/api/runs/' + enc(id) + '/replay');
      location.hash = '#/runs/' + enc(again.id);
    } catch (err) { toast('Replay refused: ' + err.message, true); }
  } }, 'Replay');
  const cancel = h('button', { id: 'cancel', class: 'danger', onclick: async () => {
    try {
      const r = await post('/api/runs/' + enc(id) + '/cancel');
      toast(r.cancelled ? 'Cancelling the run.' : 'The run had already finished.');
    } catch (err) { toast('Cancel refused: ' + err.message, true); }
  } }, 'Cancel');
  const status = h('span', { id: 'run-status' });
  const attempts = h('div', { id: 'attempts', class: 'attempts' });
  view().append(h('h1', {}, 'Run ', h('span', { class: 'mono' }, id), ' ', status),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Details'),
      h('div', { class: 'toolbar' }, replay, cancel)), facts, attempts),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Output'),
      h('span', { class: 'muted' }, h('span', { class: 'stderr-key' }, 'standard error'), ' in red · ',
        h('a', { href: '/api/runs/' + enc(id) + '/log', target: '_blank', rel: 'noopener' }, 'as text'))),
    output));
  let shown = null;
  let following = false;
  const show = (r) => {
    shown = r;
    status.replaceChildren(badge(r.status));
    const final = FINAL(r.status);
    replay.disabled = !final;
    cancel.disabled = final;
    const rows = [
      ['Task', link('#/tasks/' + enc(r.task), r.task)],
      ['Message', h('span', { class: 'mono' }, r.message)],
      ['Workflow', link('#/workflows/' + enc(r.workflowId), r.workflowId, { class: 'mono', id: 'workflow-link' })],
      ['Parent run', r.parentRunId ? link('#/runs/' + enc(r.parentRunId), r.parentRunId, { class: 'mono' }) : '—'],
      ['Attempt', r.attempt],
      ['Exit code', r.exitCode === null ? '—' : r.exitCode],
      ['Reason', r.reason || '—'],
      ['Worker', r.worker || '—'],
      ['Queued', when(r.queuedAt) || '—'],
      ['Started', when(r.startedAt) || '—'],
      ['Finished', when(r.finishedAt) || '—'],
      ['Took', duration(r.durationMillis) || '—']
    ];
    if (r.payload) rows.splice(2, 0, ['Payload', h('span', { class: 'mono' }, r.payload)]);
    facts.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    output.dataset.status = r.status;
    // Output followed live keeps its standard error marked; otherwise the recorded output.
    if (final && r.output !== undefined && output.dataset.live !== 'true') renderOutput(output, r.output, r.status);
    else if (!final && !following) follow();
  };
  const follow = async () => {
    following = true;
    try {
      await followLog(id, output);
    } finally {
      following = false;
    }
    // The run has ended: its recorded output (and outcome) replace the live one.
    show(await api('/api/runs/' + enc(id)));
  };
  const loadAttempts = async (r) => {
    const page = await api('/api/runs?task=' + enc(r.task) + '&workflow=' + enc(r.workflowId) + '&limit=50');
    const same = page.runs.filter(x => x.messageId === r.messageId).sort((a, b) => a.attempt - b.attempt);
    attempts.replaceChildren(same.length > 1 ? h('p', {}, 'Attempts: ', same.map(x => [
      x.id === id ? h('strong', { 'data-attempt': x.attempt }, '#' + x.attempt)
        : link('#/runs/' + enc(x.id), '#' + x.attempt, { 'data-attempt': x.attempt }),
      ' ', badge(x.status), ' '])) : '');
  };
  live(async () => {
    let r;
    try {
      r = await api('/api/runs/' + enc(id));
    } catch (err) {
      if (err.status === 404) view().replaceChildren(h('div', { class: 'panel' }, empty('No run ' + id, link('#/runs', 'All runs'))));
      throw err;
    }
    show(r);
    loadAttempts(r);
  }, 1500);
  on('run', (r) => {
    if (r.id === id && shown) {
      // Events leave the output out; the run's page reads it when the run has ended.
      if (FINAL(r.status)) api('/api/runs/' + enc(id)).then(show);
      else show(Object.assign({}, shown, r));
    } else if (shown && r.task === shown.task && r.messageId === shown.messageId) {
      loadAttempts(shown);
    }
  });
}

function renderOutput(pre, text, status) {
  pre.replaceChildren(text || (FINAL(status) ? '(no output)' : '(waiting for output…)'));
}

// Streams GET /api/runs/{id}/log?follow=1 as JSON lines into the <pre> until the run ends.
async function followLog(id, pre) {
  const body = await openStream('/api/runs/' + enc(id) + '/log?follow=1', 'application/x-ndjson');
  if (!body) return;
  let started = false;
  await readPieces(body, '\n', (line) => {
    if (!line.trim()) return true;
    const item = JSON.parse(line);
    if (item.text === undefined) return !item.end;
    if (!started) { pre.replaceChildren(); started = true; }
    if (item.dropped) pre.append(h('span', { class: 'dropped' }, '[' + item.dropped + ' earlier bytes not kept]\n'));
    pre.append(item.stream === 'STDERR' ? h('span', { class: 'stderr' }, item.text) : item.text);
    pre.dataset.live = 'true';
    return true;
  });
}

// ---------- one workflow instance as a tree of runs

export function workflowPage(id) {
  const tree = h('div', { id: 'workflow-tree' });
  view().append(h('h1', {}, 'Workflow ', h('span', { class: 'mono' }, id)),
    h('section', { class: 'panel' }, h('p', { class: 'muted' },
      'Every run of this workflow instance; a run’s children were triggered by its messages.'), tree));
  const node = (r) => h('li', {}, link('#/runs/' + enc(r.id), [
    badge(r.status), h('strong', {}, r.task), h('span', { class: 'mono muted' }, r.message),
    r.attempt > 1 ? h('span', { class: 'muted' }, 'attempt ' + r.attempt) : '', when(r.queuedAt),
    r.reason ? h('span', { class: 'muted tree-reason', title: r.reason }, r.reason) : ''],
  { class: 'tree-run', 'data-run-id': r.id }),
  r.children.length ? h('ul', {}, r.children.map(node)) : null);
  const load = async () => {
    try {
      const wf = await api('/api/workflows/' + enc(id));
      tree.replaceChildren(h('p', {}, wf.runCount + ' run' + (wf.runCount === 1 ? '' : 's')),
        h('ul', { class: 'tree' }, wf.runs.map(node)));
    } catch (err) {
      if (err.status !== 404) throw err;
      // Said out loud when the message that started it matched nothing.
      const messages = await api('/api/messages?limit=200');
      const start = messages.find(m => m.id === id);
      tree.replaceChildren(start
        ? empty('No task was triggered', 'The message ', h('code', {}, start.text), ' was received ',
          when(start.sentAt), ', but no task has a trigger matching it. ', link('#/messages', 'Recent messages'))
        : empty('No runs in this workflow yet', 'They appear here as soon as they are queued.'));
    }
  };
  live(load, 2000);
  on('run', (r) => { if (r.workflowId === id) load(); });
}

// ---------- one task: what it runs, when, and how its recent runs went

export function taskPage(name) {
  const body = h('div', { id: 'task-page' });
  const explained = h('section', { class: 'panel', id: 'task-explain', hidden: true });
  const runs = runsTable('Recent runs', 'task-runs', 25);
  view().append(h('h1', {}, 'Task ', h('span', { class: 'mono' }, name)), body, explained, runs.element);
  live(async () => {
    let t;
    try {
      t = await api('/api/tasks/' + enc(name));
    } catch (err) {
      if (err.status === 404) body.replaceChildren(h('div', { class: 'panel' }, empty('No task ' + name, link('#/', 'Dashboard'))));
      throw err;
    }
    const list = (items) => items.length ? h('ul', { class: 'plain mono' }, items.map(x => h('li', {}, x))) : '—';
    const flow = t.flow || {};
    body.replaceChildren(h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Definition'),
        h('div', { class: 'toolbar' }, h('button', { class: 'small run-task', 'data-task': t.name, onclick: () => runTask(t.name) }, 'Run now'),
          h('button', { class: 'small', id: 'explain-run', title: 'Say what a manual run would do, without running it',
            onclick: () => explainInto(explained, { task: t.name, depth: 3 }) }, 'Explain a run'),
          link('#/runs?task=' + enc(t.name), 'All its runs'))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Command'), h('dd', {}, h('code', { id: 'task-command' }, t.command)),
        h('dt', {}, 'Triggers'), h('dd', {}, list(t.triggers)),
        h('dt', {}, 'Sends on success'), h('dd', {}, list(t.messages)),
        h('dt', {}, 'Sends on failure'), h('dd', { id: 'task-on-failure' }, list(t.onFailure || [])),
        h('dt', {}, 'Waits for parents'), h('dd', {}, t.parentSuccess ? 'yes (parent_success)' : 'no'),
        h('dt', {}, 'Replays'), h('dd', {}, String(t.replay)),
        h('dt', {}, 'Concurrency'), h('dd', { id: 'task-concurrency' }, flow.concurrency ? 'at most ' + flow.concurrency + ' at once' : 'no limit'),
        h('dt', {}, 'Concurrency group'), h('dd', { id: 'task-group' }, flow.concurrencyGroup
          ? flow.concurrencyGroup + ' (at most ' + flow.groupLimit + ' at once)' : '—'),
        h('dt', {}, 'Over the limit'), h('dd', { id: 'task-overflow' }, flow.overflow === 'skip' ? 'skip (recorded SKIPPED)' : 'queue (waits)'),
        h('dt', {}, 'Rate'), h('dd', { id: 'task-rate' }, flow.rate ? 'at most ' + flow.rate : '—'),
        h('dt', {}, 'Priority'), h('dd', { id: 'task-priority' }, String(flow.priority ?? 0)),
        h('dt', {}, 'Timeout'), h('dd', {}, t.timeout || '—'),
        h('dt', {}, 'Log file'), h('dd', {}, t.log || '—'),
        h('dt', {}, 'Environment'), h('dd', {}, t.env.length ? t.env.join(', ') : '—'),
        h('dt', {}, 'Next scheduled'), h('dd', {}, when(t.nextSchedule) || '—'),
        h('dt', {}, 'Defined in'), h('dd', {}, t.origin || '—'))));
    runs.replace((await api('/api/runs?task=' + enc(name) + '&limit=25')).runs);
  }, 3000);
  on('run', (r) => runs.upsert(r, (x) => x.task === name));
}

// ---------- schedules

export function schedulesPage() {
  const body = h('div', { id: 'schedules' });
  view().append(h('h1', {}, 'Schedules'), h('section', { class: 'panel' }, body));
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
  const scheduleRow = (sc) => h('tr', { 'data-schedule': sc.name },
    h('td', { class: 'mono', title: sc.origin || '' }, sc.name),
    h('td', { class: 'mono' }, sc.timing + ' ' + sc.zone, sc.misfire === 'fire_once' ? ' (misfire: fire once)' : ''),
    h('td', { class: 'mono' }, sc.message),
    h('td', { class: 'next' }, sc.paused ? h('span', { class: 'badge CANCELLED' }, 'paused') : when(sc.nextFire) || '—'),
    h('td', {}, when(sc.lastFire) || '—'),
    h('td', { class: 'mono recent' }, sc.recent.length ? sc.recent.slice(0, 3).map(f => h('div', { title: 'for ' + absolute(f.fireTime) },
      link('#/workflows/' + enc(f.messageId), f.text),
      f.error ? ' not sent: ' + f.error : f.catchUp ? ' (catch-up)' : '')) : '—'),
    h('td', {}, sc.pausedInFile
      ? h('span', { class: 'muted', title: 'paused: true in ' + (sc.origin || 'its file') }, 'paused in file')
      : h('button', { class: 'small', 'data-action': sc.paused ? 'resume' : 'pause', onclick: () => toggle(sc) },
        sc.paused ? 'Resume' : 'Pause')));
  const toggle = async (sc) => {
    const action = sc.paused ? 'resume' : 'pause';
    try {
      await post('/api/schedules/' + enc(sc.name) + '/' + action);
      toast((sc.paused ? 'Resumed ' : 'Paused ') + sc.name + '.');
      await refresh();
    } catch (err) {
      toast('Could not ' + action + ' ' + sc.name + ': ' + err.message, true);
    }
  };
  live(refresh, 5000);
  // A fire moves "next" and "last": read them again (the message arrives just after).
  on('schedule', () => setTimeout(refresh, 300));
}

// ---------- workers

export function workersPage() {
  const body = h('tbody');
  view().append(h('h1', {}, 'Workers'), h('section', { class: 'panel', id: 'workers' },
    h('p', { class: 'muted' }, 'Workers the coordinator heard from (heartbeats), with the runs they hold now.'),
    h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Worker', 'Host', 'Concurrency', 'Running', 'Last seen', 'State'].map(k => h('th', {}, k)))),
      body))));
  let workers = [];
  const render = () => {
    body.replaceChildren(...(workers.length ? workers.map(w => h('tr', { 'data-worker': w.name },
      h('td', { class: 'mono' }, w.name), h('td', {}, w.host), h('td', {}, w.concurrency),
      h('td', {}, w.runIds.length ? w.runIds.flatMap(id => [link('#/runs/' + enc(id), id, { class: 'mono' }), ' ']) : '—'),
      h('td', {}, when(w.lastSeen)),
      h('td', {}, h('span', { class: 'badge ' + (w.alive ? 'SUCCEEDED' : 'FAILED') }, w.alive ? 'alive' : 'silent'))))
      : [h('tr', {}, h('td', { colspan: 6 }, empty('No workers heard from', 'Embedded workers report as soon as they start.')))]));
  };
  // A worker event when one is first seen, changes its running count, or is lost; a poll
  // every 5 s only while the event stream is down.
  on('worker', (w) => {
    const i = workers.findIndex(x => x.name === w.name);
    if (i >= 0) workers[i] = w; else workers.push(w);
    workers.sort((a, b) => a.name.localeCompare(b.name));
    render();
  });
  live(async () => { workers = await api('/api/workers'); render(); }, 5000);
}

// ---------- messages

export function messagesPage() {
  const body = h('tbody');
  view().append(h('h1', {}, 'Messages'), h('section', { class: 'panel', id: 'messages' },
    h('p', { class: 'muted' }, 'Messages received, newest first; a message that triggered no task is marked.'),
    h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Received', 'Message', 'Payload', 'Workflow', 'From run'].map(k => h('th', {}, k)))),
      body))));
  let messages = [];
  const row = (m) => h('tr', { 'data-message-id': m.id },
    h('td', {}, when(m.sentAt)),
    h('td', { class: 'mono' }, m.text, m.task ? h('span', { class: 'muted' }, ' (run of ' + m.task + ')') : ''),
    h('td', { class: 'mono cell-clip', title: m.payload || '' }, m.payload || '—'),
    h('td', {}, link('#/workflows/' + enc(m.workflowId), m.workflowId, { class: 'mono' })),
    h('td', {}, m.parentRunId ? link('#/runs/' + enc(m.parentRunId), m.parentRunId, { class: 'mono' }) : '—'));
  const render = () => body.replaceChildren(...(messages.length ? messages.map(row)
    : [h('tr', {}, h('td', { colspan: 5 }, empty('No messages yet', 'Send one from the dashboard.')))]));
  live(async () => { messages = await api('/api/messages?limit=100'); render(); }, 3000);
  on('message', (m) => { messages = [m].concat(messages.filter(x => x.id !== m.id)).slice(0, 100); render(); });
}

// Explain: what a message (or a manual run) would do, from GET /api/explain, drawn as a tree of
// the tasks it triggers, what holds them back now and the messages they would send, with the
// schedules that send it (paused or not). Nothing is sent or run.

import { api } from './api.js';
import { h, link, enc, when } from './dom.js';

export async function explainInto(target, query) {
  target.hidden = false;
  target.replaceChildren(h('p', { class: 'muted' }, 'Explaining…'));
  try {
    const ex = await api('/api/explain?' + new URLSearchParams(query));
    target.replaceChildren(renderExplanation(ex));
  } catch (err) {
    target.replaceChildren(h('p', { class: 'error' }, 'Cannot explain: ' + err.message));
  }
}

export function renderExplanation(ex) {
  const root = ex.root;
  const where = root.via === 'MANUAL' ? '' : !ex.workflowId ? ' (a new workflow)'
    : ' in workflow ' + ex.workflowId + (ex.unknownWorkflow ? ' (unknown to the run store)' : '');
  const head = root.tasks.length
    ? h('p', {}, h('code', {}, root.message), where + (root.via === 'MANUAL' ? ' runs ' : ' triggers ')
      + root.tasks.length + (root.tasks.length === 1 ? ' task:' : ' tasks:'))
    : h('p', { class: 'warning', id: 'explain-nothing' }, h('code', {}, root.message), where + ' triggers no task.',
      root.nearestTrigger ? [' The nearest trigger is ', h('code', {}, root.nearestTrigger), '.'] : '');
  return h('div', { class: 'explanation', id: 'explanation' }, head,
    ex.unknownWorkflow ? h('p', { class: 'warning', id: 'explain-unknown-workflow' }, 'No run in workflow ',
      h('code', {}, ex.workflowId), ' nor a message with that id is recorded: check the id.') : '',
    root.tasks.length ? h('ul', { class: 'explain-tree' }, root.tasks.map(t => taskItem(t, true))) : '',
    ex.schedules.length ? h('div', { class: 'explain-schedules' }, h('p', {}, 'Sent by ' + (ex.schedules.length === 1
      ? 'a schedule:' : ex.schedules.length + ' schedules:')), h('ul', {}, ex.schedules.map(scheduleItem))) : '',
    ex.notes.map(n => h('p', { class: 'muted' }, 'Note: ' + n)));
}

const PAUSED = {
  PAUSED: 'Paused (through the API or the UI): it sends nothing until resumed.',
  PAUSED_IN_FILE: 'Paused in its file (paused: true): it sends nothing until that line is removed and the schedules reloaded.'
};

function scheduleItem(sc) {
  return h('li', { class: 'explain-schedule', 'data-schedule': sc.schedule, 'data-state': sc.state },
    link('#/schedules', sc.schedule, { class: 'mono' }), ' ',
    h('span', { class: 'muted' }, sc.timing + ' ' + sc.zone + ', message '), h('code', {}, sc.template), ': ',
    sc.state === 'ACTIVE'
      ? h('span', {}, 'sends it next ', when(sc.nextSends))
      : h('span', { class: 'explain-paused' }, PAUSED[sc.state] || sc.state));
}

function taskItem(t, now) {
  const repeat = t.repeat === 'CYCLE' ? ' (cycle: it led here, not followed again)'
    : t.repeat === 'SHOWN_ELSEWHERE' ? ' (shown in full elsewhere here)' : '';
  return h('li', { class: 'explain-task', 'data-task': t.task },
    h('div', {}, link('#/tasks/' + enc(t.task), t.task, { class: 'mono' }),
      t.match === 'MANUAL' ? '' : [' by trigger ', h('code', {}, t.trigger), ' (' + t.match.toLowerCase() + ')'],
      h('span', { class: 'muted' }, repeat)),
    t.holds.map(x => h('div', { class: 'explain-hold', 'data-kind': x.kind },
      'Held back (' + x.kind.toLowerCase().replace('_', ' ') + '): ' + x.reason)),
    now && !t.holds.length && t.repeat === 'NO' ? h('div', { class: 'explain-ok' }, 'Nothing holds it back.') : '',
    t.pausedSchedules.length ? h('div', { class: 'explain-unscheduled' }, 'Not scheduled: only paused '
      + (t.pausedSchedules.length === 1 ? 'schedule ' + t.pausedSchedules[0] + ' reaches'
        : 'schedules ' + t.pausedSchedules.join(', ') + ' reach') + ' it; none triggers it until resumed.') : '',
    t.conditions.map(c => h('div', { class: 'muted' }, '· ' + c)),
    t.next.length ? h('ul', {}, t.next.map(stepItem)) : '');
}

function stepItem(step) {
  const failure = step.via === 'FAILURE';
  return h('li', { class: 'explain-step' + (failure ? ' failure' : '') },
    h('div', {}, failure ? 'on failure sends ' : 'on success sends ', h('code', {}, step.message),
      !step.followed ? h('span', { class: 'muted' }, ' (not followed: raise the depth)')
        : !step.tasks.length ? h('span', { class: 'muted' }, ': triggers no task'
          + (step.nearestTrigger ? ' (nearest trigger ' + step.nearestTrigger + ')' : '')) : ''),
    step.tasks.length ? h('ul', {}, step.tasks.map(t => taskItem(t, false))) : '');
}

// The workflow graph, laid out by dagre (served from its WebJar as /vendor/dagre.min.js, loaded
// before the modules): tasks as boxes, a message one task sends and another is triggered by as
// a labelled arrow (red and dotted, labelled "on failure", for an on_failure message), the
// triggers nobody sends as entry labels with their own arrows.

import { api, on, live } from './api.js';
import { h, s, enc } from './dom.js';

const W = 172, H = 42, CHAR = 6.4;

export function graphPage() {
  const wrap = h('div', { class: 'graph-wrap', id: 'graph-wrap' });
  const warnings = h('ul', { class: 'warnings', id: 'graph-warnings' });
  let scale = 1;
  let drawn = null;
  const fitScale = () => drawn ? Math.min(1.5, (wrap.clientWidth - 4) / drawn.width) : 1;
  const resize = () => {
    if (!drawn) return;
    drawn.svg.setAttribute('width', Math.round(drawn.width * scale));
    drawn.svg.setAttribute('height', Math.round(drawn.height * scale));
  };
  const zoom = (f) => { scale = Math.min(2.5, Math.max(0.1, f === 'fit' ? fitScale() : scale * f)); resize(); };
  document.getElementById('view').append(h('h1', {}, 'Workflow graph'),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' },
        h('div', { class: 'legend' }, ['SUCCEEDED', 'FAILED', 'RUNNING', 'QUEUED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', null].map(st =>
          h('span', {}, h('span', { class: 'dot ' + (st || '') }), st ? st.replace('_', ' ').toLowerCase() : 'never run')),
          h('span', {}, '⇢ dashed: closes a cycle'),
          h('span', { class: 'legend-failure' }, '⇢ red: sent on failure')),
        h('div', { class: 'toolbar' },
          h('button', { class: 'small', title: 'Zoom out', onclick: () => zoom(1 / 1.25) }, '−'),
          h('button', { class: 'small', title: 'Zoom in', onclick: () => zoom(1.25) }, '+'),
          h('button', { class: 'small', title: 'Fit the width', onclick: () => zoom('fit') }, 'Fit'))),
      h('p', { class: 'muted' }, 'Tasks coloured by their last run; an arrow is a message one task sends on success and another is triggered by, a red one a message sent on failure (on_failure); an entry label is a trigger no task sends. Click a task for its page.'),
      warnings, wrap));
  let shape = null;
  let graph = null;
  const load = async () => {
    graph = await api('/api/workflows');
    const key = JSON.stringify([graph.nodes.map(n => n.task), graph.edges, graph.entryPoints]);
    warnings.replaceChildren(...graph.warnings.map(w => h('li', {}, w)));
    if (key !== shape) {
      shape = key;
      drawn = drawGraph(graph);
      wrap.replaceChildren(drawn.svg);
      if (drawn.width * scale > wrap.clientWidth) scale = Math.max(0.6, fitScale());
      resize();
    } else {
      colour();
    }
  };
  const colour = () => {
    for (const n of graph.nodes) {
      const g = drawn.nodes.get(n.task);
      if (g) g.setAttribute('class', 'node ' + (n.lastStatus || ''));
    }
  };
  live(load, 3000);
  on('run', (r) => {
    const n = graph && graph.nodes.find(x => x.task === r.task);
    if (n && drawn) { n.lastStatus = r.status; colour(); }
  });
}

// The edges that close a cycle: depth-first from the tasks nobody triggers.
function backEdges(names, edges) {
  const out = new Map(names.map(n => [n, []]));
  const hasIn = new Set();
  edges.forEach(e => { out.get(e.from).push(e); hasIn.add(e.to); });
  const state = new Map();
  const back = new Set();
  for (const root of names.filter(n => !hasIn.has(n)).concat(names)) {
    if (state.has(root)) continue;
    const stack = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const list = out.get(top[0]);
      if (top[1] >= list.length) { state.set(top[0], 2); stack.pop(); continue; }
      const edge = list[top[1]++];
      const st = state.get(edge.to);
      if (st === 1) back.add(edge);
      else if (st === undefined) { state.set(edge.to, 1); stack.push([edge.to, 0]); }
    }
  }
  return back;
}

function textWidth(text) {
  return Math.ceil(text.length * CHAR) + 12;
}

export function drawGraph(graph) {
  const dagre = window.dagre;
  const names = graph.nodes.map(n => n.task);
  const known = new Set(names);
  // One arrow per pair of tasks and kind (on success, on failure), labelled with every message.
  const pairs = new Map();
  for (const e of graph.edges) {
    if (!known.has(e.from) || !known.has(e.to)) continue;
    const failure = e.sent === 'ON_FAILURE';
    const key = e.from + '\u0000' + e.to + '\u0000' + failure;
    if (pairs.has(key)) pairs.get(key).messages.push(e.message);
    else pairs.set(key, { from: e.from, to: e.to, failure, messages: [e.message] });
  }
  const edges = [...pairs.values()];
  const back = backEdges(names, edges);
  const g = new dagre.graphlib.Graph({ multigraph: true });
  const big = names.length > 60;
  g.setGraph({ rankdir: 'LR', nodesep: big ? 14 : 26, ranksep: big ? 60 : 80, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode('t:' + n.task, { width: W, height: H });
  edges.forEach((e, i) => {
    e.text = (e.failure ? 'on failure: ' : '') + e.messages.join(', ');
    // dagre lays a self-loop out too; the label gets a place of its own on the edge.
    g.setEdge('t:' + e.from, 't:' + e.to, { width: textWidth(e.text), height: 16, labelpos: 'c' }, 'e' + i);
  });
  // Entry points: each task's outside triggers in one label, a node of its own on the left.
  const entries = new Map();
  for (const ep of graph.entryPoints || []) {
    if (!known.has(ep.task)) continue;
    if (!entries.has(ep.task)) entries.set(ep.task, []);
    entries.get(ep.task).push(ep.trigger);
  }
  for (const [task, triggers] of entries) {
    const text = triggers.join(', ');
    g.setNode('in:' + task, { width: textWidth(text), height: 18, text });
    g.setEdge('in:' + task, 't:' + task, { minlen: 1 }, 'in:' + task);
  }
  dagre.layout(g);
  const width = Math.ceil(g.graph().width || 200), height = Math.ceil(g.graph().height || 60);

  const svg = s('svg', { id: 'graph', xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'Workflow graph of ' + graph.nodes.length + ' tasks' });
  svg.append(s('defs', {},
    s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' })),
    s('marker', { id: 'arrow-back', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow back' })),
    s('marker', { id: 'arrow-failure', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow failure' }))));
  const edgeLayer = s('g', { class: 'edges' });
  const nodeLayer = s('g', { class: 'nodes' });
  const labelLayer = s('g', { class: 'labels' });
  svg.append(edgeLayer, nodeLayer, labelLayer);
  const path = (points) => {
    let d = `M${points[0].x},${points[0].y}`;
    for (let i = 1; i < points.length - 1; i++) {
      const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
      d += ` Q${points[i].x},${points[i].y} ${i === points.length - 2 ? points[i + 1].x + ',' + points[i + 1].y : mid.x + ',' + mid.y}`;
    }
    if (points.length === 2) d += ` L${points[1].x},${points[1].y}`;
    return d;
  };
  edges.forEach((e, i) => {
    const laid = g.edge('t:' + e.from, 't:' + e.to, 'e' + i);
    const isBack = back.has(e);
    edgeLayer.append(s('path', { class: 'edge' + (isBack ? ' back' : '') + (e.failure ? ' failure' : ''), d: path(laid.points),
      'marker-end': e.failure ? 'url(#arrow-failure)' : isBack ? 'url(#arrow-back)' : 'url(#arrow)',
      'data-from': e.from, 'data-to': e.to, 'data-sent': e.failure ? 'on-failure' : 'on-success' },
    s('title', {}, e.from + ' → ' + e.to + ': ' + e.text)));
    labelLayer.append(s('g', { class: 'label' + (e.failure ? ' failure' : '') }, s('title', {}, e.text),
      s('rect', { x: laid.x - laid.width / 2, y: laid.y - 8, width: laid.width, height: 16, rx: 4 }),
      s('text', { x: laid.x, y: laid.y }, e.text)));
  });
  for (const [task] of entries) {
    const n = g.node('in:' + task);
    const laid = g.edge('in:' + task, 't:' + task, 'in:' + task);
    edgeLayer.append(s('g', { class: 'entry', 'data-task': task }, s('title', {}, 'entry: ' + n.text),
      s('path', { class: 'edge entry-edge', d: path(laid.points), 'marker-end': 'url(#arrow)' }),
      s('text', { x: n.x, y: n.y }, n.text)));
  }
  const nodes = new Map();
  for (const n of graph.nodes) {
    const p = g.node('t:' + n.task);
    const x = p.x - W / 2, y = p.y - H / 2;
    const name = n.task.length > 24 ? n.task.slice(0, 23) + '…' : n.task;
    const box = s('g', { class: 'node ' + (n.lastStatus || ''), 'data-task': n.task, tabindex: 0 },
      s('title', {}, n.task + '\ntriggers: ' + n.triggers.join(', ') + (n.messages.length ? '\nsends: ' + n.messages.join(', ') : '')
        + ((n.onFailure || []).length ? '\non failure sends: ' + n.onFailure.join(', ') : '')
        + '\nlast run: ' + (n.lastStatus || 'never')),
      s('rect', { x, y, width: W, height: H, rx: 7 }),
      s('text', { x: p.x, y: n.parentSuccess ? p.y - 6 : p.y }, name),
      n.parentSuccess ? s('text', { class: 'ps', x: p.x, y: p.y + 10 }, 'waits for all parents') : null);
    const open = () => { location.hash = '#/tasks/' + enc(n.task); };
    box.addEventListener('click', open);
    box.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    nodeLayer.append(box);
    nodes.set(n.task, box);
  }
  if (!graph.nodes.length) svg.append(s('text', { x: 20, y: 40 }, 'No tasks loaded.'));
  return { svg, width, height, nodes };
}

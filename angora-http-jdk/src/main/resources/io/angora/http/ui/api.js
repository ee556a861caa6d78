// Talking to the server: JSON calls with the bearer token when the server asks for one, and the
// event stream (GET /api/events) that keeps the pages current. Polling is only the fallback
// while the stream is down.

let loginWaiters = null;

function authHeaders(headers) {
  const token = sessionStorage.getItem('angora.token');
  if (token) headers.Authorization = 'Bearer ' + token;
  return headers;
}

export async function api(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = authHeaders(Object.assign({}, opts.headers || {}));
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

export function post(path, fields) {
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

// ---------- the event stream: read with fetch (EventSource cannot send the token)

const handlers = new Map(); // kind -> Set of functions
const stateHandlers = new Set();
let up = false;

export function streamUp() {
  return up;
}

function setUp(value) {
  if (up === value) return;
  up = value;
  document.documentElement.dataset.stream = value ? 'up' : 'down';
  stateHandlers.forEach(fn => fn(value));
}

// Reads events until the stream ends, then connects again after a pause.
export async function connectEvents() {
  for (;;) {
    try {
      const response = await fetch('/api/events', { headers: authHeaders({ Accept: 'text/event-stream' }) });
      if (response.status === 401) {
        await login();
        continue;
      }
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      setUp(true);
      await readEvents(response.body);
    } catch (e) {
      // down: the pages poll until it is back
    }
    setUp(false);
    await new Promise(r => setTimeout(r, 2000));
  }
}

// Reads a streamed body, calling onPiece with each piece between separators; stops early when
// onPiece returns false.
export async function readPieces(body, separator, onPiece) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf(separator)) >= 0) {
      const piece = buffer.slice(0, end);
      buffer = buffer.slice(end + separator.length);
      if (onPiece(piece) === false) { reader.cancel(); return; }
    }
  }
}

// A streamed GET with the token; null when refused or unreachable.
export async function openStream(path, accept) {
  try {
    const response = await fetch(path, { headers: authHeaders({ Accept: accept }) });
    return response.ok && response.body ? response.body : null;
  } catch (e) {
    return null;
  }
}

function readEvents(body) {
  return readPieces(body, '\n\n', (block) => {
    let kind = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) kind = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (!data.length) return true; // a comment: connected, heartbeat
    if (kind === 'overflow') return false; // dropped as too slow: reconnect and reload
    let parsed;
    try { parsed = JSON.parse(data.join('\n')); } catch (e) { return true; }
    (handlers.get(kind) || []).forEach(fn => { try { fn(parsed); } catch (e) { console.error(e); } });
    return true;
  });
}

// ---------- what a page listens to; all of it ends when the page is left

let scope = [];

export function leavePage() {
  scope.forEach(undo => undo());
  scope = [];
}

// Calls fn on every event of this kind while the page is shown.
export function on(kind, fn) {
  if (!handlers.has(kind)) handlers.set(kind, new Set());
  handlers.get(kind).add(fn);
  scope.push(() => handlers.get(kind).delete(fn));
}

// Loads now, again whenever the stream comes back (events may have been missed), and every
// pollMs while the stream is down. Returns the first load.
export function live(load, pollMs) {
  let busy = false;
  let timer = null;
  const run = async () => {
    if (busy) return;
    busy = true;
    try { await load(); } catch (e) { /* shown where it matters */ } finally { busy = false; }
  };
  const poll = () => {
    if (timer === null && !up) {
      timer = setInterval(() => {
        window.angoraPolls = (window.angoraPolls || 0) + 1;
        run();
      }, pollMs);
    }
  };
  const onState = (isUp) => {
    if (isUp) {
      if (timer !== null) { clearInterval(timer); timer = null; }
      run();
    } else {
      poll();
    }
  };
  stateHandlers.add(onState);
  scope.push(() => { stateHandlers.delete(onState); if (timer !== null) clearInterval(timer); });
  poll();
  return run();
}


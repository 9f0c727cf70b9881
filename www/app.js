// Boots the vroom page: checks the browser, mounts a room with the built-in UI into #app and
// mirrors its state and errors into the status region and, for fatal problems, on screen.
const statusField = (name) => document.querySelector(`#status [data-field="${name}"]`);
// Writes only text that changed: the region is live, and a state event comes with every
// speaking ring.
const setStatus = (name, text) => {
  const field = statusField(name);
  if (field.textContent !== text) field.textContent = text;
  return field;
};
const loading = document.getElementById('loading');

function showFatal(text) {
  loading.hidden = true;
  document.getElementById('fatal').hidden = false;
  document.getElementById('fatal-text').textContent = text;
  statusField('state').textContent = 'State: failed';
  statusField('error').textContent = `Error: ${text}`;
}

// Plain words for each session state, after the state's own name.
const STATE_WORDS = {
  idle: 'in the lobby, ready to join', connecting: 'connecting to the server',
  hello: 'connecting to the server', joining: 'joining the room',
  waiting: 'waiting for the broadcast to go live', joined: 'in the room',
  reconnecting: 'connection lost, reconnecting', left: 'left the room', failed: 'could not join',
};

function mirrorState(state) {
  const words = STATE_WORDS[state.state];
  setStatus('state', `State: ${state.state}${words ? ` (${words})` : ''}`);
  setStatus('room', state.room ? `Room: ${state.room} (${state.mode}${state.audioOnly ? ', audio only' : ''})` : '');
  const members = (state.members || []).map((m) => `${m.name} (${m.role === 'member' ? '' : `${m.role}, `}${m.moderator ? 'moderator, ' : ''}${m.connection})`);
  setStatus('members', state.state === 'joined' || state.state === 'reconnecting'
    ? `Members: ${members.join(', ') || 'nobody else yet'}` : '');
  const error = setStatus('error', state.error ? `Error: ${state.error}` : '');
  if (error.dataset.code !== (state.errorCode || '')) error.dataset.code = state.errorCode || '';
  const notice = setStatus('notice', state.notice ? `Notice: ${state.notice}` : '');
  if (notice.dataset.code !== (state.noticeCode || '')) notice.dataset.code = state.noticeCode || '';
  setStatus('access', state.state === 'joined'
    ? [state.self?.moderator ? 'You moderate this room.' : '', state.locked ? 'The room is locked.' : '']
      .filter(Boolean).join(' ')
    : '');
  setStatus('message', state.reason || '');
}

// Deep links: ?room=ID&name=NAME&mode=conference|broadcast&role=host|viewer&audio=only&autojoin=1
// &ice=relay (all media through the TURN server: hides this device's addresses from peers)
// &sfu=0 (this page never uses the server's video server: its rooms stay peer to peer, docs/sfu.md)
// &token=JWT (a join token: an invitation; room and name come from it when absent)
function optionsFromLink(search) {
  const params = new URLSearchParams(search);
  const options = { ui: true };
  if (params.has('room')) options.room = params.get('room');
  if (params.has('name')) options.name = params.get('name');
  if (params.get('mode') === 'broadcast' || params.get('mode') === 'conference') options.mode = params.get('mode');
  if (params.get('role') === 'host' || params.get('role') === 'viewer') options.role = params.get('role');
  if (params.get('audio') === 'only') options.audioOnly = true;
  if (params.get('autojoin') === '1') options.autoJoin = true;
  if (params.get('ice') === 'relay') options.iceTransportPolicy = 'relay';
  if (params.get('sfu') === '0') options.sfu = false;
  // An invitation link carries a join token; a password never travels in the address.
  if (params.has('token')) options.token = params.get('token');
  return options;
}

async function boot() {
  // The wasm compiles while the module downloads and evaluates (index.html preloads both);
  // createRoom then only instantiates it.
  const wasm = globalThis.WebAssembly?.compileStreaming?.(fetch('./vroom.wasm', { credentials: 'same-origin' }));
  wasm?.catch(() => {});  // createRoom loads it itself then
  let api;
  try {
    api = await import('./vroom.mjs');
  } catch (err) {
    showFatal(`vroom could not be downloaded (${err.message}). Check your connection and reload.`);
    return;
  }
  const problem = api.browserSupportProblem();
  if (problem) {
    showFatal(problem);
    return;
  }
  try {
    const room = await api.createRoom(document.getElementById('app'), { ...optionsFromLink(location.search), wasm });
    room.addEventListener('state', (event) => mirrorState(event.detail));
    // Joins, leaves, others' mute changes, chat and errors, read politely by screen readers.
    // Sentences of one change are read together (a live region reads the last write).
    let said = [];
    room.addEventListener('announcement', (event) => {
      if (said.length === 0) queueMicrotask(() => {
        statusField('announcement').textContent = said.join(' ');
        said = [];
      });
      said.push(event.detail.text);
    });
    room.addEventListener('audio-blocked', () => {
      statusField('sound').textContent =
        'Sound: blocked by the browser until you click or press a key ("Sound is off" button).';
    });
    room.addEventListener('audio-unblocked', () => { statusField('sound').textContent = 'Sound: on'; });
    mirrorState(room.getState());
    loading.hidden = true;
    window.vroomRoom = room;  // for the console and for automation
  } catch (err) {
    showFatal(err.message || String(err));
  }
}

boot();

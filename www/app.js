// Boots the vroom page: checks the browser, mounts a room with the built-in UI into #app and
// mirrors its state and errors into the status region and, for fatal problems, on screen.
const statusField = (name) => document.querySelector(`#status [data-field="${name}"]`);
const loading = document.getElementById('loading');

function showFatal(text) {
  loading.hidden = true;
  document.getElementById('fatal').hidden = false;
  document.getElementById('fatal-text').textContent = text;
  statusField('state').textContent = 'State: failed';
  statusField('error').textContent = `Error: ${text}`;
}

function mirrorState(state) {
  statusField('state').textContent = `State: ${state.state}`;
  statusField('room').textContent = state.room ? `Room: ${state.room}` : '';
  const members = state.members || [];
  statusField('members').textContent =
    state.room ? `Members: ${members.map((m) => m.name).join(', ') || 'nobody else yet'}` : '';
  statusField('error').textContent = state.error ? `Error: ${state.error}` : '';
  statusField('message').textContent = state.message || '';
}

async function boot() {
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
    const room = await api.createRoom(document.getElementById('app'), { ui: true });
    room.addEventListener('state', (event) => mirrorState(event.detail));
    mirrorState(room.getState());
    loading.hidden = true;
    window.vroomRoom = room;  // for the console and for automation
  } catch (err) {
    showFatal(err.message || String(err));
  }
}

boot();

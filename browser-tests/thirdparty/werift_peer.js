// A third-party vroom peer on werift (a WebRTC stack vroom does not use), written from
// docs/protocol.md alone: it joins rooms over the signaling protocol, negotiates as the doc's
// "Peer connections" section says, sends an ffmpeg test pattern and counts the RTP it gets.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import WebSocket from 'ws';
import { MediaStream, MediaStreamTrack, RTCPeerConnection, useOPUS, useVP8 } from 'werift';

const FFMPEG = process.env.VROOM_FFMPEG || '/usr/bin/ffmpeg';

// The DTLS certificate fingerprint of an SDP: a new RTCPeerConnection has a new certificate.
const fingerprint = (sdp) => /^a=fingerprint:(.+)$/m.exec(sdp)?.[1].trim() ?? '';
// The ICE username fragment of an SDP: a new one in a later offer is an ICE restart.
const ufrag = (sdp) => /^a=ice-ufrag:(\S+)$/m.exec(sdp ?? '')?.[1] ?? '';

/**
 * ffmpeg's test pattern (VP8 video, Opus audio) as RTP on two loopback UDP ports; every packet
 * is written to each track that `track(kind)` handed out. `stop()` ends ffmpeg by its PID.
 */
export class TestPattern {
  constructor() {
    this.tracks = { audio: new Set(), video: new Set() };
    this.packets = { audio: 0, video: 0 };
    this.sockets = [];
    this.ffmpeg = null;
  }

  async start() {
    const ports = {};
    for (const kind of ['video', 'audio']) {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (packet) => {
        this.packets[kind]++;
        for (const track of this.tracks[kind]) track.writeRtp(packet);
      });
      await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
      ports[kind] = socket.address().port;
      this.sockets.push(socket);
    }
    const rtp = (port) => `rtp://127.0.0.1:${port}?pkt_size=1200`;
    this.ffmpeg = spawn(FFMPEG, [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k',
      '-g', '15', '-keyint_min', '15', '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', rtp(ports.video),
      '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-b:a', '48k', '-payload_type', '111',
      '-ssrc', '2222', '-f', 'rtp', rtp(ports.audio),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    this.ffmpeg.stderr.on('data', (chunk) => { this.stderr = (this.stderr + chunk).slice(-4000); });
    const started = Date.now();
    while (this.packets.video === 0 || this.packets.audio === 0) {
      if (this.ffmpeg.exitCode !== null) throw new Error(`ffmpeg exited (${this.ffmpeg.exitCode}): ${this.stderr}`);
      if (Date.now() - started > 15000) throw new Error(`ffmpeg sent no RTP in 15 s: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this;
  }

  /** A new local track of `kind` fed by the pattern (one per sender). */
  track(kind) {
    const track = new MediaStreamTrack({ kind });
    this.tracks[kind].add(track);
    return track;
  }

  release(track) { this.tracks[track.kind].delete(track); }

  async stop() {
    if (this.ffmpeg && this.ffmpeg.exitCode === null) {
      const exited = new Promise((resolve) => this.ffmpeg.once('exit', resolve));
      process.kill(this.ffmpeg.pid, 'SIGTERM');
      await exited;
    }
    for (const socket of this.sockets) socket.close();
    this.sockets = [];
  }
}

/** One peer connection to one remote peer (perfect negotiation, as the doc describes). */
class Link {
  constructor(peer, remoteId, { newConnection = false } = {}) {
    this.peer = peer;
    this.remoteId = remoteId;
    this.polite = peer.id > remoteId;  // the greater id is polite
    this.newConnection = newConnection;  // our offer replaces a dead connection
    this.answered = false;
    this.offersMade = 0;
    this.iceRestartsByPeer = 0;
    this.ignoredOfferSdp = null;  // the peer's colliding offer we ignored, until our answer comes
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.remoteSet = false;
    this.queued = [];
    this.localTracks = [];
    this.mediaAttached = false;
    this.received = { audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } };
    this.localCandidates = 0;
    this.closed = false;
    this.born = Date.now();
    this.events = [];  // this link's timeline (ms since it was made), for failure messages
    this.pc = new RTCPeerConnection({
      iceServers: peer.iceServers,
      bundlePolicy: 'max-bundle',
      codecs: { audio: [useOPUS()], video: [useVP8()] },
    });
    this.pc.onicecandidate = ({ candidate }) => {
      if (this.closed) return;
      if (candidate) this.localCandidates++;
      const json = candidate ? (candidate.toJSON ? candidate.toJSON() : candidate) : null;
      this.signal({ candidate: json && json.candidate ? {
        candidate: json.candidate, sdpMid: json.sdpMid ?? null,
        sdpMLineIndex: json.sdpMLineIndex ?? null, usernameFragment: json.usernameFragment ?? null,
      } : null });
    };
    this.pc.iceConnectionStateChange.subscribe((st) => this.note(`ice ${st} ${this.roles()}`));
    this.pc.connectionStateChange.subscribe((st) => this.note(`pc ${st} dtls=${this.pc.dtlsTransports.map((t) => `${t.state}/${t.role}`)}`));
    this.pc.ontrack = ({ track }) => {
      const tally = this.received[track.kind];
      track.onReceiveRtp.subscribe((rtp) => {
        tally.packets++;
        tally.bytes += rtp.payload.length;
      });
    };
  }

  get state() { return this.pc.connectionState; }

  note(text) { this.events.push(`${Date.now() - this.born}:${text}`); }

  roles() { return this.pc.iceTransports.map((t) => (t.connection.iceControlling ? 'controlling' : 'controlled')).join(','); }

  signal(data) { this.peer.send({ type: 'signal', to: this.remoteId, data }); }

  /** Camera and microphone in one stream, as the doc asks of a sender. */
  attachMedia() {
    if (this.mediaAttached || !this.peer.source || !this.peer.sends) return;
    this.mediaAttached = true;
    const stream = new MediaStream();
    for (const kind of ['audio', 'video']) {
      const track = this.peer.source.track(kind);
      this.localTracks.push(track);
      this.pc.addTrack(track, stream);
    }
  }

  async offer() {
    this.attachMedia();
    // Nothing to send still asks for the peer's media.
    if (!this.mediaAttached && this.pc.getTransceivers().length === 0) {
      this.pc.addTransceiver('audio', { direction: this.peer.sends ? 'sendrecv' : 'recvonly' });
      this.pc.addTransceiver('video', { direction: this.peer.sends ? 'sendrecv' : 'recvonly' });
    }
    this.makingOffer = true;
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer());
      if (this.closed) return;
      const description = { type: 'offer', sdp: this.pc.localDescription.sdp };
      this.signal(this.newConnection && !this.answered
        ? { description, newConnection: true } : { description });
      this.offersMade++;
      this.note(`sent offer ${this.roles()}`);
      this.peer.stats.offers++;
    } finally {
      this.makingOffer = false;
    }
  }

  async description(description) {
    const isOffer = description.type === 'offer';
    const collision = isOffer && (this.makingOffer || this.pc.signalingState !== 'stable');
    if (isOffer && collision) this.peer.stats.collisions.push({ remote: this.remoteId, polite: this.polite });
    // A replacement waiting for its answer: plain offers come from the peer's old connection.
    const stale = isOffer && this.newConnection && !this.answered;
    this.ignoreOffer = (collision && !this.polite) || stale;
    this.note(`got ${description.type}${collision ? ' (collision)' : ''}${this.ignoreOffer ? ' ignored' : ''} ${this.roles()}`);
    if (this.ignoreOffer) {
      if (collision) this.ignoredOfferSdp = description.sdp;
      // Nothing applied yet: every candidate the peer sent so far belongs to the ignored offer.
      if (!this.remoteSet) this.queued = [];
      return;
    }
    if (collision) await this.pc.setLocalDescription({ type: 'rollback' });
    // werift quirk, not vroom's: answering a renegotiation (an ICE restart included) makes it
    // ICE-controlled even when it offered first, while Chromium keeps its role (RFC 8445: roles
    // do not change on a restart), so both ends are controlled and ICE never completes. Keep
    // the role the first negotiation gave.
    const keepRole = isOffer && this.remoteSet;
    if (keepRole && ufrag(description.sdp) !== ufrag(this.pc.remoteDescription?.sdp)) this.iceRestartsByPeer++;
    const roles = this.pc.iceTransports.map((t) => t.connection.iceControlling);
    await this.pc.setRemoteDescription(description);
    if (!isOffer) {
      this.answered = true;
      if (this.ignoredOfferSdp !== null) {
        // Both offers crossed and the peer answered ours: a glare it resolved as the polite
        // side (by a rollback, or from a new connection when the certificate changed).
        this.peer.stats.glares.push({ remote: this.remoteId,
          newConnection: fingerprint(description.sdp) !== fingerprint(this.ignoredOfferSdp) });
        this.ignoredOfferSdp = null;
      }
    }
    if (!this.remoteSet) {
      this.remoteSet = true;
      for (const candidate of this.queued.splice(0)) await this.addCandidate(candidate);
    }
    if (isOffer) {
      this.attachMedia();  // rides on the offered m-lines
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      if (keepRole) this.pc.iceTransports.forEach((t, i) => { t.connection.iceControlling = roles[i] ?? t.connection.iceControlling; });
      if (this.closed) return;
      this.note(`sent answer ${this.roles()}`);
      this.signal({ description: { type: 'answer', sdp: this.pc.localDescription.sdp } });
    }
  }

  async candidate(candidate) {
    this.note(`cand ${candidate ? candidate.candidate.split(' ').slice(4, 6).join(':') + ' uf=' + candidate.usernameFragment : 'end'}${this.remoteSet ? "" : this.ignoreOffer ? " dropped" : " queued"}`);
    if (!this.remoteSet) {
      // Candidates that follow an ignored offer belong to it (its connection may be closed by
      // now); kept, its end-of-candidates would end ICE on the connection that does get answered.
      if (!this.ignoreOffer) this.queued.push(candidate);
      return;
    }
    await this.addCandidate(candidate);
  }

  async addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate || undefined);
    } catch (err) {
      this.note(`cand failed ${err.message}`);
      if (!this.ignoreOffer) this.peer.stats.candidateErrors++;  // stale generations: expected
    }
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.localTracks) this.peer.source?.release(track);
    this.pc.close().catch?.(() => {});
  }
}

/**
 * A vroom room member (or broadcast host/viewer) on werift.
 *   const peer = await WeriftPeer.connect(serverUrl, { name, source });
 *   await peer.join(room) / peer.create(room, { mode: 'broadcast' }) / peer.join(room, { role: 'viewer' })
 * `crossOffers`: when a peer's very first offer arrives and this side is the impolite one,
 * send an offer of its own before looking at it, so that both offers cross (the join-time
 * collision the doc says to avoid, made on purpose by the glare test). `connectTo`: which
 * peers to offer to at all (default: everyone the doc says to offer to).
 */
export class WeriftPeer {
  static async connect(serverUrl, options = {}) {
    const peer = new WeriftPeer(serverUrl, options);
    await peer.open();
    return peer;
  }

  constructor(serverUrl, {
    name = 'Werift', source = null, crossOffers = false, connectTo = () => true,
  } = {}) {
    this.wsUrl = serverUrl.replace(/^http/, 'ws').replace(/\/?$/, '/ws');
    this.name = name;
    this.source = source;
    this.crossOffers = crossOffers;
    this.connectTo = connectTo;
    this.links = new Map();
    this.signalChains = new Map();
    this.members = new Map();
    this.waiters = [];
    // collisions: offers that met one of ours; glares: collisions the peer resolved by
    // answering ours.
    this.stats = { offers: 0, collisions: [], glares: [], candidateErrors: 0, replacedByPeer: 0, errors: [] };
  }

  async open() {
    this.ws = new WebSocket(this.wsUrl);
    this.ws.on('message', (data) => this.onMessage(JSON.parse(String(data))));
    await new Promise((resolve, reject) => { this.ws.once('open', resolve); this.ws.once('error', reject); });
    this.send({ type: 'hello', version: 1 });
    const welcome = await this.next('welcome');
    this.iceServers = welcome.iceServers;
    this.limits = welcome.limits;
  }

  send(message) { if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message)); }

  /** Resolves with the next message of `type` (an `error` rejects). */
  next(type, timeout = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeout} ms`)), timeout);
      this.waiters.push({ type, resolve: (m) => { clearTimeout(timer); resolve(m); }, reject: (e) => { clearTimeout(timer); reject(e); } });
    });
  }

  async join(room, { role } = {}) {
    this.send({ type: 'join', room, name: this.name, ...(role ? { role } : {}) });
    return this.entered(await this.next('joined'));
  }

  async create(room, { mode = 'conference', audioOnly = false } = {}) {
    this.send({ type: 'create', room, name: this.name, mode, audioOnly });
    return this.entered(await this.next('joined'));
  }

  async leave() {
    this.send({ type: 'leave' });
    await this.next('left');
    this.id = undefined;
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.members.clear();
  }

  entered(joined) {
    this.id = joined.self.id;
    this.role = joined.self.role;
    this.mode = joined.mode;
    this.sends = this.role !== 'viewer';
    this.media = { audio: this.sends, video: this.sends, screen: false };
    this.send({ type: 'media', media: this.media });
    for (const member of joined.members) {
      this.members.set(member.id, member);
      // The joiner offers to every member; a host to each viewer; a viewer waits.
      if (this.role !== 'viewer' && this.connectTo(member)) this.startOffer(member.id);
    }
    return joined;
  }

  startOffer(remoteId) {
    const link = this.link(remoteId);
    link.offer().catch((err) => this.stats.errors.push(`offer: ${err.message}`));
  }

  link(remoteId, options) {
    let link = this.links.get(remoteId);
    if (!link) {
      link = new Link(this, remoteId, options);
      this.links.set(remoteId, link);
    }
    return link;
  }

  replaceLink(remoteId, options) {
    this.links.get(remoteId)?.close();
    this.links.delete(remoteId);
    return this.link(remoteId, options);
  }

  onMessage(message) {
    const waiter = this.waiters.find((w) => w.type === message.type || message.type === 'error');
    if (waiter) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      if (message.type === 'error') waiter.reject(new Error(`${message.code}: ${message.message}`));
      else waiter.resolve(message);
    }
    switch (message.type) {
      case 'peer-joined':
        this.members.set(message.peer.id, message.peer);
        if (this.role === 'host' && this.connectTo(message.peer)) this.startOffer(message.peer.id);
        break;
      case 'peer-left':
        this.members.delete(message.id);
        this.links.get(message.id)?.close();
        this.links.delete(message.id);
        break;
      case 'peer-media': {
        const member = this.members.get(message.id);
        if (member) member.media = message.media;
        break;
      }
      case 'signal': {
        // One at a time per peer, in arrival order: an offer right behind an answer must
        // see the answer applied (signaling state back to stable), not a collision.
        const { from, data } = message;
        const previous = this.signalChains.get(from) || Promise.resolve();
        const next = previous.then(() => this.onSignal(from, data)).catch((err) => this.stats.errors.push(
          `signal ${data.description?.type ?? 'candidate'} from ${from}: ${err.message}`));
        this.signalChains.set(from, next);
        break;
      }
      case 'ping':
        this.send({ type: 'pong', ts: message.ts });
        break;
      default:
        break;
    }
  }

  async onSignal(from, data) {
    if (!this.members.has(from)) return;
    if (data.description) {
      if (data.newConnection === true && data.description.type === 'offer') {
        const current = this.links.get(from);
        if (current && current.newConnection && !current.answered && !current.polite) return;
        this.stats.replacedByPeer++;
        return this.replaceLink(from).description(data.description);
      }
      const link = this.link(from);
      if (this.crossOffers && data.description.type === 'offer' && !link.polite && link.offersMade === 0 &&
          !link.remoteSet && this.connectTo(this.members.get(from))) {
        // The peer's first offer is here, unanswered (its side is in have-local-offer): ours
        // goes out first, so it meets that offer on the peer's side.
        await link.offer();
      }
      return link.description(data.description);
    }
    if ('candidate' in data) {
      const candidate = data.candidate && data.candidate.candidate ? data.candidate : null;
      return this.link(from).candidate(candidate);
    }
  }

  /** RTP received from `remoteId` so far: { audio: {packets, bytes}, video: {...} }. */
  received(remoteId) {
    const link = this.links.get(remoteId);
    return link ? JSON.parse(JSON.stringify(link.received)) : null;
  }

  connectionState(remoteId) { return this.links.get(remoteId)?.state ?? 'none'; }

  /** One line about the link to `remoteId`, for test failure messages. */
  describe(remoteId) {
    const link = this.links.get(remoteId);
    if (!link) return `${this.name}:none`;
    // werift's ICE agent: state, role, remote candidates, end-of-candidates seen, pairs.
    const ice = link.pc.iceTransports.map((t) => {
      const c = t.connection;
      return `ice=${c.state}/${c.iceControlling ? 'controlling' : 'controlled'}/remote=${c.remoteCandidates.length}` +
        `${c.remoteCandidatesEnd ? '+end' : ''}/pairs=${c.checkList.length}`;
    }).join(',');
    return `${this.name}:${link.pc.connectionState}/${link.pc.signalingState}/local=${link.localCandidates}/${ice}` +
      `/collisions=${this.stats.collisions.filter((c) => c.remote === remoteId).length}/replaced=${this.stats.replacedByPeer}`;
  }

  /** Leaves the room if in one (a closed socket alone keeps the seat for the resume window). */
  async close() {
    if (this.id) this.send({ type: 'leave' });
    for (const link of this.links.values()) link.close();
    this.links.clear();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) {
      const closed = new Promise((resolve) => this.ws.once('close', resolve));
      this.ws.close();
      await closed;
    }
  }
}

// Type declarations for vroom.mjs: createRoom() and the room object it returns.

/** Session states, from the lobby to the room and out. */
export type RoomStateName =
  | 'idle' | 'connecting' | 'hello' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left'
  | 'failed';

export type Mode = 'conference' | 'broadcast';
export type Role = 'member' | 'host' | 'viewer';
/** A join token's `role` claim (see docs/protocol.md, "Join tokens"). */
export type TokenRole = 'viewer' | 'member' | 'host' | 'moderator';
export type ModerationAction = 'remove' | 'request-mute' | 'lock' | 'unlock' | 'end-room';
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';
export type Recovery = 'none' | 'signaling_reconnect' | 'ice_restart' | 'full_rejoin';
export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/** Error codes of rejected commands and `error` events. */
export type ErrorCode =
  | 'server_unreachable' | 'session_replaced' | 'protocol_error' | 'version_mismatch'
  | 'room_exists' | 'room_not_found' | 'room_full' | 'room_closed' | 'not_in_room'
  | 'already_in_room' | 'not_allowed' | 'rate_limited' | 'invalid_room_id' | 'invalid_name'
  | 'chat_too_long' | 'chat_empty' | 'token_required' | 'token_invalid' | 'token_expired' | 'token_wrong_room'
  | 'password_required' | 'wrong_password' | 'too_many_attempts' | 'room_locked' | 'banned'
  | 'sfu_unavailable'
  | 'removed' | 'room_ended' | 'media_permission_denied' | 'media_no_device' | 'media_device_in_use'
  | 'media_insecure_context' | 'media_aborted' | 'media_needs_user_gesture'
  | 'media_unknown' | 'speaker_unavailable' | 'screen_share_unavailable'
  | 'not_connected' | 'peer_connection_unavailable'
  | 'invalid_container' | 'invalid_option' | 'invalid_device_kind' | 'destroyed' | 'left' | 'failed';

export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RoomOptions {
  /**
   * vroom.wasm compiled ahead by the page, e.g.
   * `WebAssembly.compileStreaming(fetch(new URL('vroom.wasm', vroomModuleUrl)))` started before
   * importing vroom.mjs, so the compile overlaps the module's download. Default: vroom.mjs
   * fetches and compiles vroom.wasm itself (also when this promise rejects).
   */
  wasm?: WebAssembly.Module | PromiseLike<WebAssembly.Module>;
  /** WebSocket URL of the signaling server. Default: `/ws` on the server that served vroom.mjs. */
  signalingUrl?: string;
  /** ICE servers used in addition to those the signaling server announces. */
  iceServers?: IceServerConfig[];
  /**
   * 'relay' sends all media through the TURN server the signaling server announces (or
   * `iceServers`): peers never learn this device's addresses. Default 'all'.
   * The page also takes `?ice=relay`.
   */
  iceTransportPolicy?: 'all' | 'relay';
  /**
   * Whether this page may carry the room's media through the server's video server (Janus),
   * when the server has one: a room past its mesh size, or a broadcast, then moves there
   * (docs/sfu.md). Default true; false keeps every room this page is in peer to peer. The
   * page takes `?sfu=0`.
   */
  sfu?: boolean;
  room?: string;
  name?: string;
  /** Default 'conference'. */
  mode?: Mode;
  /** Broadcast rooms: 'host' creates the broadcast, 'viewer' watches it. Default 'host'. */
  role?: 'host' | 'viewer';
  audioOnly?: boolean;
  /**
   * A join token (an HS256 JWT your backend signs with the server's --token-secret; required
   * by such a server). `room` and `name` default to the token's claims, and a `viewer` token
   * watches a broadcast. The page also takes `?token=`.
   */
  token?: string;
  /**
   * The room's password (a server without a token secret), or the one you set when you are
   * the first in the room; for a broadcast host, the password that keeps the id yours. Sent
   * only over the signaling socket. The built-in lobby asks for it when the room needs one.
   */
  password?: string;
  /** Initial microphone / camera state. Default true. */
  microphone?: boolean;
  camera?: boolean;
  /** Show the built-in lobby (true, default) or join as soon as the room is mounted (false). */
  lobby?: boolean;
  /** Same as `lobby: false`. */
  autoJoin?: boolean;
  /** Draw the built-in interface (default). false: headless, the page draws its own UI. */
  ui?: boolean;
}

export interface MediaFlags {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface Member {
  id: string;
  /** As the server assigned it: look-alike duplicates are numbered ("Bob (2)"). */
  name: string;
  role: Role;
  /** May remove people, ask them to mute, lock and end the room. */
  moderator: boolean;
  connection: Connection;
  media: MediaFlags;
  speaking: boolean;
  cameraStreamId: string;
  screenStreamId: string;
  audioStreamId: string;
}

export interface ChatMessage {
  from: string;
  name: string;
  text: string;
  /** Server time, milliseconds since the Unix epoch. */
  ts: number;
  mine: boolean;
}

export interface DeviceInfo {
  deviceId: string;
  kind: DeviceKind;
  label: string;
}

export interface LocalMediaState {
  microphone: boolean;
  camera: boolean;
  screenSharing: boolean;
  acquiring: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  streamId: string;
  screenStreamId: string;
  audioInputId: string;
  videoInputId: string;
  /** The speaker remote sound plays on ('' = the system default). */
  audioOutputId: string;
  devices: DeviceInfo[];
}

export interface RoomState {
  state: RoomStateName | 'loading';
  reason: string;
  recovery: Recovery;
  reconnectAttempt: number;
  room: string;
  mode: Mode;
  audioOnly: boolean;
  /** `name` is the one the server assigned (it may differ from the one asked for). */
  self: { id: string; name: string; role: Role; moderator: boolean };
  /** A moderator locked the room: nobody new can join. */
  locked: boolean;
  members: Member[];
  chat: ChatMessage[];
  local: LocalMediaState;
  /** '' when there is no error. */
  errorCode: ErrorCode | '';
  error: string;
  /** A neutral notice for the person ('mute_requested'), '' when none; see clearNotice(). */
  noticeCode: 'mute_requested' | '';
  notice: string;
  /** The latest moderation this client saw (done to it, or done by it); seq 0: none yet. */
  moderation: ModerationEvent;
  revision: number;
}

export interface PeerStats {
  bytesSent: number;
  bytesReceived: number;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  framesEncoded: number;
  framesDecoded: number;
  roundTripTimeMs: number;
  jitterMs: number;
  framesPerSecond: number;
  frameWidth: number;
  frameHeight: number;
  audioCodec: string;
  videoCodec: string;
  localCandidateType: string;
  remoteCandidateType: string;
  /** 'relayed' through a TURN server, 'direct' (host or reflexive pair), '' before ICE picks a pair. */
  path: 'relayed' | 'direct' | '';
  audioLevel: number;
}

export interface ModerationEvent {
  seq: number;
  action: ModerationAction | '';
  /** Whom it was about (remove, request-mute). */
  peer: string;
  peerName: string;
  /** The moderator. */
  by: string;
  byName: string;
  /** remove: kept out for the room's lifetime. */
  ban: boolean;
}

export interface ModerationEventDetail extends ModerationEvent {
  /** This client is the moderator who did it. */
  mine: boolean;
  /** It was done to this client. */
  aboutMe: boolean;
}

export interface TrackEventDetail {
  peerId: string;
  name: string;
  track: MediaStreamTrack;
  stream: MediaStream;
}

export interface RoomEventMap {
  state: CustomEvent<RoomState>;
  'peer-joined': CustomEvent<Member>;
  'peer-left': CustomEvent<Member>;
  track: CustomEvent<TrackEventDetail>;
  chat: CustomEvent<ChatMessage>;
  error: CustomEvent<{ code: ErrorCode; message: string }>;
  reconnecting: CustomEvent<{ recovery: Recovery }>;
  reconnected: CustomEvent<{}>;
  /**
   * A sentence for a screen reader's polite live region: joins, leaves, others' mute changes,
   * chat with its sender (a busy chat summarised), errors and connection problems, in order.
   */
  announcement: CustomEvent<{ text: string }>;
  /** The browser's autoplay policy holds remote sound back until a click or key press. */
  'audio-blocked': CustomEvent<{}>;
  /** Remote sound plays again (after enableAudio() or a gesture the built-in UI caught). */
  'audio-unblocked': CustomEvent<{}>;
  /** A moderator acted, on this client or by it (also the moderator's confirmation). */
  moderation: CustomEvent<ModerationEventDetail>;
  /** A moderator removed you (state becomes 'left', errorCode 'removed'). */
  removed: CustomEvent<{ by: string; byName: string; ban: boolean }>;
  /** A moderator asked you to mute: your microphone is already off. */
  'mute-requested': CustomEvent<{ by: string; byName: string }>;
  notice: CustomEvent<{ code: string; message: string }>;
}

export declare class VroomError extends Error {
  readonly code: ErrorCode;
}

export interface Room extends EventTarget {
  /**
   * Joins the room (a broadcast host creates it). Rejects with a VroomError. A viewer of a
   * broadcast that is not live yet waits (state 'waiting') until the host goes live; leave()
   * stops waiting and the promise rejects with code 'left'.
   */
  join(overrides?: Pick<RoomOptions, 'room' | 'name' | 'mode' | 'role' | 'audioOnly' | 'token' | 'password'>): Promise<RoomState>;
  leave(): Promise<RoomState>;
  setMicrophone(on: boolean): Promise<void>;
  setCamera(on: boolean): Promise<void>;
  startScreenShare(): Promise<RoomState>;
  stopScreenShare(): Promise<void>;
  sendChat(text: string): Promise<void>;
  /**
   * Switches the microphone or camera (the live track is replaced), or the speaker every
   * remote sound plays on; a speaker change resolves once the sound has moved and rejects
   * with 'speaker_unavailable' (sound stays where it was) when the device is gone or the
   * browser cannot choose one.
   */
  selectDevice(kind: DeviceKind | 'microphone' | 'camera' | 'speaker', deviceId: string): Promise<void>;
  /**
   * Moderators only (else rejects with 'not_allowed'). Each resolves when the server confirms
   * it. removePeer: the person leaves the room; `ban` keeps them out while it lasts.
   */
  removePeer(peerId: string, options?: { ban?: boolean }): Promise<RoomState>;
  /** Their client mutes itself and says who asked; nobody can be unmuted by someone else. */
  askToMute(peerId: string): Promise<RoomState>;
  /** true: nobody new can join (moderator tokens still can); false: open again. */
  lockRoom(locked?: boolean): Promise<RoomState>;
  /** Ends the meeting or broadcast for everyone, you included. */
  endRoom(): Promise<RoomState>;
  clearNotice(): Promise<void>;
  getState(): RoomState;
  /** Per remote peer id: its own connection on the mesh, its own streams on the video server. */
  getStats(): Promise<Record<string, PeerStats>>;
  /** The local camera/microphone stream, for pages drawing their own preview. */
  readonly localStream: MediaStream | null;
  /** Plays remote sound the autoplay policy held back; call it from a click or key handler. */
  enableAudio(): Promise<boolean>;
  /** True while the autoplay policy keeps remote sound from playing. */
  readonly audioBlocked: boolean;
  /** Overlay frames drawn so far (the overlay draws only when something changes). */
  readonly framesDrawn: number;
  /** Stops every track, closes every connection and socket, removes every element it added. */
  destroy(): void;

  addEventListener<K extends keyof RoomEventMap>(type: K, listener: (event: RoomEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof RoomEventMap>(type: K, listener: (event: RoomEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Mounts a room inside `container` (it fills the element) once the module is running. */
export declare function createRoom(container: Element, options?: RoomOptions): Promise<Room>;

/** A sentence saying why this browser cannot run vroom, or null when it can. */
export declare function browserSupportProblem(): string | null;

/** The Emscripten module factory (advanced use). */
declare const createVroomModule: (moduleOverrides?: object) => Promise<unknown>;
export default createVroomModule;

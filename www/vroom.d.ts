// Type declarations for vroom.mjs: createRoom() and the room object it returns.

/** Session states, from the lobby to the room and out. */
export type RoomStateName =
  | 'idle' | 'connecting' | 'hello' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left'
  | 'failed';

export type Mode = 'conference' | 'broadcast';
export type Role = 'member' | 'host' | 'viewer';
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';
export type Recovery = 'none' | 'signaling_reconnect' | 'ice_restart' | 'full_rejoin';
export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/** Error codes of rejected commands and `error` events. */
export type ErrorCode =
  | 'server_unreachable' | 'session_replaced' | 'protocol_error' | 'version_mismatch'
  | 'room_exists' | 'room_not_found' | 'room_full' | 'room_closed' | 'not_in_room'
  | 'already_in_room' | 'not_allowed' | 'rate_limited' | 'invalid_room_id' | 'invalid_name'
  | 'chat_too_long' | 'media_permission_denied' | 'media_no_device' | 'media_device_in_use'
  | 'media_insecure_context' | 'media_aborted' | 'media_needs_user_gesture'
  | 'media_unknown' | 'speaker_unavailable' | 'screen_share_unavailable'
  | 'not_connected' | 'peer_connection_unavailable' | 'webgl_unavailable'
  | 'invalid_container' | 'invalid_option' | 'invalid_device_kind' | 'destroyed' | 'left' | 'failed';

export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RoomOptions {
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
  room?: string;
  name?: string;
  /** Default 'conference'. */
  mode?: Mode;
  /** Broadcast rooms: 'host' creates the broadcast, 'viewer' watches it. Default 'host'. */
  role?: 'host' | 'viewer';
  audioOnly?: boolean;
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
  name: string;
  role: Role;
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
  self: { id: string; name: string; role: Role };
  members: Member[];
  chat: ChatMessage[];
  local: LocalMediaState;
  /** '' when there is no error. */
  errorCode: ErrorCode | '';
  error: string;
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
  /** The browser's autoplay policy holds remote sound back until a click or key press. */
  'audio-blocked': CustomEvent<{}>;
  /** Remote sound plays again (after enableAudio() or a gesture the built-in UI caught). */
  'audio-unblocked': CustomEvent<{}>;
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
  join(overrides?: Pick<RoomOptions, 'room' | 'name' | 'mode' | 'role' | 'audioOnly'>): Promise<RoomState>;
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
  getState(): RoomState;
  /** Per remote peer id. */
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

// Payload baseline: the least a LiveKit app ships, the client's Room (esbuild --bundle --minify).
import { Room } from 'livekit-client';

globalThis.Room = Room;

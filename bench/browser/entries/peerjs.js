// Payload baseline: the least a PeerJS app ships, its Peer class (esbuild --bundle --minify).
import { Peer } from 'peerjs';

globalThis.Peer = Peer;

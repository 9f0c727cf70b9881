// Payload baseline: the least a simple-peer app ships, its Peer (esbuild --bundle --minify).
import SimplePeer from 'simple-peer';

globalThis.SimplePeer = SimplePeer;

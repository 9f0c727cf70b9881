// Starts Debian's coturn (turnserver) for the TURN tests: a configuration from
// scripts/turn-config with a fresh secret, on free loopback ports (or addresses in a test's
// network namespace), stopped by PID. Also mints TURN REST credentials the way vroom-server
// does, so tests can present valid, expired and forged ones to coturn directly.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopChild } from './harness.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** A TCP port nobody listens on at the moment (coturn takes it for UDP and TCP). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** TURN REST credentials: username "<expiry>:<peer>", password base64(HMAC-SHA1(secret, username)). */
export function mintCredentials(secret, peer, expiresAtSeconds) {
  const username = `${expiresAtSeconds}:${peer}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/**
 * Starts turnserver; `listen` addresses (default loopback), `wrap` a command prefix such as
 * ['ip', 'netns', 'exec', 'ns'] to run it elsewhere. Resolves once it accepts TCP.
 */
export async function startCoturn({ listen = ['127.0.0.1'], relay, wrap = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-coturn-'));
  const secret = randomBytes(24).toString('base64');
  const secretFile = path.join(dir, 'secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const port = await freePort();
  const first = 40000 + Math.floor(Math.random() * 20000);
  const args = ['--secret-file', secretFile, '--port', String(port), '--ports', `${first}-${first + 99}`,
    '--log', path.join(dir, 'turnserver.log'), '--pid', path.join(dir, 'turnserver.pid'), '--allow-local'];
  for (const ip of listen) args.push('--listen', ip);
  if (relay) args.push('--relay', relay);
  const config = execFileSync(path.join(ROOT, 'scripts/turn-config'), args, { encoding: 'utf8' });
  const configFile = path.join(dir, 'turnserver.conf');
  writeFileSync(configFile, config, { mode: 0o600 });
  const command = [...wrap, 'turnserver', '-c', configFile];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-5000); });
  const log = () => { try { return readFileSync(path.join(dir, 'turnserver.log'), 'utf8'); } catch { return ''; } };
  const deadline = Date.now() + 10000;
  while (!/Total General servers|IPv4. TCP listener opened on/.test(log())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`coturn did not start (exit ${child.exitCode}):\n${stderr}\n${log().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, secret, secretFile, dir, child, log,
    url: (host = listen[0], transport = 'udp') => `turn:${host}:${port}?transport=${transport}`,
    async stop() {
      await stopChild(child, 'coturn', { graceMs: 3000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

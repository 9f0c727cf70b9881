// Part 2b: join to first remote frame through a TURN relay vs direct. A vroom-server that
// mints credentials for a coturn on loopback (browser-tests/coturn.js starts it); one page
// waits in the room, joiners alternate between the default policy (a direct host pair) and
// ?ice=relay (every packet through coturn). Same machine, same run: the ratio is the relay's
// cost to a person joining (allocation round trips, relayed checks), not the network's.
import { startCoturn } from '../../browser-tests/coturn.js';
import { timeOneJoin } from './join_time.mjs';
import { log, median, newContext, openPage, percentile, row, startVroomServer, vroomState } from './lib.mjs';

export async function runTurnJoin(browser, { other, serverBin, rootDir, joins }) {
  const turn = await startCoturn();
  const server = await startVroomServer(serverBin, rootDir,
    ['--turn-secret-file', turn.secretFile, '--turn-url', turn.url('127.0.0.1', 'udp')]);
  const room = `turn-join-${process.pid}-${Date.now()}`;
  const system = (extra) => ({
    joiner: (r, i) => [`${server.url}?room=${r}&name=Joiner${i}${extra}`,
      `${vroomState('State: idle')} && !!window.vroomRoom?.getState().local.hasVideo`],
    join: () => 'window.vroomRoom.join().catch(() => {})',
    leave: 'window.vroomRoom.leave().then(() => true)',
  });
  const systems = { direct: system(''), relayed: system('&ice=relay') };
  const times = { direct: [], relayed: [] };
  const failures = { direct: 0, relayed: 0 };
  try {
    const waitingContext = await newContext(other);
    await openPage(waitingContext, `${server.url}?room=${room}&name=Waiting&autojoin=1`, vroomState('State: joined'));
    const context = await newContext(browser);
    for (let i = 0; i < joins; i++) {
      for (const name of Object.keys(systems)) {
        let ms = NaN;
        try {
          ms = await timeOneJoin(context, systems[name], room, `${name}${i}`);
        } catch (err) {
          log(`turn join ${name} #${i}: ${err.message.split('\n')[0]}`);
        }
        if (Number.isFinite(ms)) times[name].push(ms); else failures[name]++;
      }
    }
    log(`turn join: medians direct ${median(times.direct).toFixed(0)} ms, relayed ${median(times.relayed).toFixed(0)} ms`);
    await Promise.all([context.close(), waitingContext.close()]);
  } finally {
    await server.stop();
    await turn.stop();
  }
  const count = (n) => `${times[n].length} joins${failures[n] ? `, ${failures[n]} failed` : ''}`;
  return [
    row(`Join to first remote frame through coturn (?ice=relay), median ms, vs direct (${count('relayed')} / ${count('direct')})`,
      median(times.relayed), median(times.direct)),
    row('Join to first remote frame through coturn, p95 ms, vs direct', percentile(times.relayed, 95), percentile(times.direct, 95)),
  ];
}

// CartKeep's public API with the engine behind the worker protocol (js/engine/worker-session.js and
// worker-host.js over a MessageChannel in this thread), as a browser page speaks to its Web Worker: the same
// API object as dist/cartkeep.mjs, built from the same sources. tests/js/helpers/cartkeep.mjs hands it out when
// CARTKEEP_ENGINE=worker, so a suite runs unchanged either way.
import { readFileSync } from 'node:fs';
import { loadCore } from '../../../js/engine/loader.js';
import { serveEngine } from '../../../js/engine/worker-host.js';
import { WorkerSession } from '../../../js/engine/worker-session.js';

const root = new URL('../../../', import.meta.url);
// Set by scripts/bundle.mjs in a build; the sources read it as a global.
globalThis.__CARTKEEP_VERSION__ ??= JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version;
const { createApi } = await import('../../../js/engine/api.js');

// A Node MessagePort keeps the process alive while it is open; an instance a test does not destroy would hold
// it for ever. So the page's port holds the process only while an answer is awaited, the host's never.
function holdWhileWaiting(port) {
  let waiting = 0;
  const post = port.postMessage.bind(port);
  port.unref();
  port.postMessage = (message) => {
    if (waiting++ === 0) port.ref();
    post(message);
  };
  port.addEventListener('message', () => { if (--waiting === 0) port.unref(); });
}

// One engine "worker": the host on one port, the page's end of the channel returned. The host loads the core
// from the bytes it is sent once per process (loadCore caches by the bytes' identity, and a clone is new).
export function connectChannel(wasmBinary) {
  const { port1, port2 } = new MessageChannel();
  serveEngine(port1, () => loadCore({ wasmBinary }));
  port1.start();
  port1.unref();
  holdWhileWaiting(port2);
  port2.addEventListener('close', () => port1.close());
  return port2;
}

// The engine's death as a browser reports it: the worker is gone and an `error` event says so.
export function killEngine(instance, message = 'killed by a test') {
  const port = instance.session.worker;
  port.close();
  const event = new Event('error');
  event.message = message;
  port.dispatchEvent(event);
}

export function workerApi(wasmBinary) {
  return createApi({
    scriptUrl: new URL('dist/cartkeep.mjs', root).href,
    startInThread: ({ onFault }) => WorkerSession.start({ connect: () => connectChannel(wasmBinary), wasmBinary, onFault, workerUrl: 'MessageChannel' }),
  });
}

// The engine's Web Worker (dist/cartkeep.worker.js): the wasm core and nothing of the page. Loaded by a page as
// a plain script instead (a browser without Worker), it offers the same service over a MessageChannel.
import { loadCore } from './loader.js';
import { serveEngine } from './worker-host.js';

/* global WorkerGlobalScope */
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  serveEngine(self, loadCore);
} else {
  globalThis.CartKeepEngine = Object.freeze({
    // sessionOptions: the page's turns between init's steps (worker-host.js), from the page's own script.
    connect(sessionOptions) {
      const { port1, port2 } = new MessageChannel();
      serveEngine(port1, loadCore, sessionOptions);
      port1.start();
      return port2;
    },
  });
}

// The engine's worker (dist/cartkeep.worker.js): the wasm core and nothing of the page.
import { loadCore } from './loader.js';
import { serveEngine } from './worker-host.js';

serveEngine(self, (wasmUrl) => loadCore({ wasmUrl }));

// The engine's side of the worker: loads the core once, then answers each call in the order it came.
import { CoreSession } from './core-session.js';
import { PROTOCOL, readRequest } from './worker-protocol.js';
import { CartKeepError, asCartKeepError } from './errors.js';

const errorOf = (error) => {
  const failure = asCartKeepError(error);
  return { code: failure.code, message: failure.reason, path: failure.path };
};

// scope: the worker's global or a MessagePort (postMessage, addEventListener);
// loadCore({wasmUrl} | {wasmBinary}) -> Promise<Emscripten module>;
// sessionOptions: the CoreSession's (the in-page engine gives the page a turn between init's steps).
export function serveEngine(scope, loadCore, sessionOptions = {}) {
  let session = null;
  const answer = (id, outcome) => scope.postMessage({ protocol: PROTOCOL, id, ...outcome });

  async function handle({ id, kind, wasmUrl, wasmBinary, method, args, calls, init }) {
    try {
      if (kind === 'start') {
        if (!session) session = new CoreSession(await loadCore(wasmBinary ? { wasmBinary } : { wasmUrl }), sessionOptions);
        answer(id, { ok: true, value: null });
        return;
      }
      if (!session) throw new CartKeepError('not-initialised', 'the engine has not started');
      if (kind === 'init') answer(id, { ok: true, value: await session.init(init) });
      else if (kind === 'raw-batch') answer(id, { ok: true, value: session.rawBatch(method, calls) });
      else if (kind === 'raw') answer(id, { ok: true, value: session.raw(method, ...args) });
      else answer(id, { ok: true, json: session.callJson(method, ...args) });
    } catch (error) {
      answer(id, { ok: false, error: errorOf(error) });
    }
  }

  // Calls run one after another: a call that arrives while the core loads waits for it.
  let queue = Promise.resolve();
  scope.addEventListener('message', (event) => {
    const { request, id, problem } = readRequest(event.data);
    if (problem) {
      const error = { code: 'invalid-argument', message: `dropped a message: ${problem}`, path: '' };
      if (id !== undefined) answer(id, { ok: false, error });
      else scope.postMessage({ protocol: PROTOCOL, kind: 'fault', error });
      return;
    }
    queue = queue.then(() => handle(request));
  });
}

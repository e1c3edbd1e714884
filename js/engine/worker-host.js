// The engine's side of the worker: loads the core once, then answers each call in the order it came.
import { CoreSession } from './core-session.js';
import { PROTOCOL, readRequest } from './worker-protocol.js';
import { CartKeepError, asCartKeepError } from './errors.js';
import { fetchBytes } from '../platform/fetch-file.js';
import { formatValue } from '../platform/message.js';
import { collectTexts, countryTexts } from '../platform/value-texts.js';

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
  // A value's answer, with the texts of its message values the page would need Intl data for (value-texts.js);
  // init's also names every country the store ships to, for the destination picker.
  const format = (value) => formatValue(value, { locale: session.locale });
  const answered = (id, value, extraTexts = null) => {
    const texts = session && session.locale ? { ...extraTexts, ...collectTexts(value, session.locale, format) } : {};
    answer(id, Object.keys(texts).length ? { ok: true, value, texts } : { ok: true, value });
  };
  // A core call's answer goes as the core's JSON text (one copy); it is read here only when it may hold a
  // message value or a delivery window to word.
  const answeredJson = (id, json) => {
    const texts = session.locale && /"(values|earliest)"/.test(json) ? collectTexts(JSON.parse(json), session.locale, format) : null;
    answer(id, texts ? { ok: true, json, texts } : { ok: true, json });
  };

  async function handle({ id, kind, wasmUrl, wasmBinary, method, args, calls, init, bytes }) {
    try {
      if (kind === 'start') {
        if (!session) session = new CoreSession(await loadCore(wasmBinary ? { wasmBinary } : { wasmUrl }), sessionOptions);
        answer(id, { ok: true, value: null });
        return;
      }
      if (!session) throw new CartKeepError('not-initialised', 'the engine has not started');
      if (kind === 'init') {
        const value = await session.init(init);
        const shipping = value.options.quote && value.options.quote.shipping;
        answered(id, value, countryTexts((shipping && shipping.countries) || [], session.locale, format));
      } else if (kind === 'raw-batch') answer(id, { ok: true, value: session.rawBatch(method, calls) });
      else if (kind === 'raw') answer(id, { ok: true, value: session.raw(method, ...args) });
      else answeredJson(id, session.callJson(method, ...(kind === 'call-file' ? [await bytes] : args)));
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
    // A call's file is fetched at once and does not hold the calls behind it: the call joins the queue when
    // the bytes are in (a failed fetch answers its error from there).
    if (request.kind === 'call-file') {
      const bytes = fetchBytes(request.file.url, request.file.code, request.file.path);
      bytes.catch(() => {}).then(() => { queue = queue.then(() => handle({ ...request, bytes })); });
      return;
    }
    queue = queue.then(() => handle(request));
  });
}

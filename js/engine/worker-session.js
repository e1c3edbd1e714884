// The page's side of the engine's worker: the same request()/rawRequest() as an in-thread CoreSession, each
// answered by the worker in the order it was sent. A worker that cannot start fails with 'worker-failed'. A
// worker that dies mid-session is replaced once per page: the new worker replays the calls that set the engine
// up (REPLAYED), the instance restores the cart (allowRestart), and the calls left unanswered go again; a
// second death fails what was pending and every later call with 'worker-failed', so the page keeps its last
// state read-only.
// A message that is not a well-formed answer is dropped and reported.
import { CartKeepError } from './errors.js';
import { PROTOCOL, readAnswer } from './worker-protocol.js';
import { toJson } from './core-init.js';
import { rememberTexts } from '../platform/value-texts.js';

// The calls a new worker must see again, in their order, to be the engine this page was using: the init (the
// options and catalog), the event stream's start and consent, behaviour's session, the chosen destination and
// method, the suggestion profile, index and what it learnt on this page, and the widgets' standing views. The
// cart is not among them: it comes back from the saved snapshot.
const REPLAYED = new Set(['eventsStart', 'eventsConsent', 'eventsForget', 'behaviourSession', 'quoteChoose',
  'suggestRestoreProfile', 'suggestLoadIndex', 'suggestTrack', 'suggestForget', 'viewRegister', 'viewUnregister']);
const isReplayed = (message) => message.kind === 'init' ||
  ((message.kind === 'call' || message.kind === 'call-file') && REPLAYED.has(message.method));

export class WorkerSession {
  // onFault(error, context): a dropped message or the worker's death, for the instance's `error` event.
  // connect() -> a new worker (or port) speaking the protocol: what a restart uses; none, no restart.
  constructor(worker, { onFault = () => {}, connect = null, startMessage = null } = {}) {
    this.onFault = onFault;
    this.connect = connect;
    this.startMessage = startMessage;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    this.alive = true; // what features check before a call: false once disposed
    this.replayLog = [];
    this.restore = null; // set by allowRestart
    this.restarting = null; // while a new worker is set up: later calls wait for it
    this.attach(worker);
  }

  // Listens to `worker`, the session's worker from now on; a replaced worker's late events are ignored.
  attach(worker) {
    this.worker = worker;
    const current = () => this.worker === worker;
    worker.addEventListener('message', (event) => { if (current()) this.receive(event.data); });
    worker.addEventListener('messageerror', () => {
      if (current()) this.fault({ code: 'internal', message: 'a message from the engine could not be read', path: '' });
    });
    worker.addEventListener('error', (event) => {
      if (event.preventDefault) event.preventDefault(); // reported here, not as an uncaught page error
      if (current()) this.fail(`the engine's worker stopped: ${event.message || 'it could not be loaded'}`);
    });
  }

  // Starts a worker from `workerUrl` (or, with `connect`, speaks over the MessagePort it returns: the in-page
  // engine's) that loads the core from `wasmUrl` or `wasmBinary`; a restart opens the next one the same way.
  // Rejects with worker-failed, or wasm-load-failed when the core itself cannot load.
  static async start({ workerUrl, wasmUrl, wasmBinary, onFault, connect }) {
    const open = connect
      ? () => {
        const port = connect();
        port.terminate = () => port.close();
        port.start();
        return port;
      }
      : () => new Worker(workerUrl, { name: 'cartkeep-engine' });
    let worker;
    try {
      worker = open();
    } catch (error) {
      throw new CartKeepError('worker-failed', `could not start the CartKeep engine from ${workerUrl}: ${error.message}`);
    }
    const startMessage = wasmBinary ? { kind: 'start', wasmBinary } : { kind: 'start', wasmUrl };
    const session = new WorkerSession(worker, { onFault, connect: open, startMessage });
    try {
      await session.send(startMessage);
    } catch (error) {
      session.dispose();
      // the core itself did not load: the worker says why (wasm-load-failed); anything else is the worker's
      throw error.code === 'wasm-load-failed' ? error : new CartKeepError('worker-failed', `could not start the CartKeep engine from ${workerUrl}: ${error.reason || error.message}`);
    }
    return session;
  }

  // restore(call) -> Promise: run on a new worker after the set-up calls are replayed, before any waiting call;
  // `call(method, ...args)` speaks to the new worker directly. Without it a dead worker is not replaced.
  allowRestart(restore) {
    this.restore = restore;
  }

  // { direct }: a restart's own call, which must not wait for the restart.
  send(message, { direct = false } = {}) {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.alive) return Promise.reject(new CartKeepError('destroyed', 'this CartKeep instance was destroyed'));
    if (this.restarting && !direct) return this.restarting.then(() => this.send(message));
    return new Promise((resolve, reject) => this.post({ resolve, reject, message, direct }));
  }

  post(entry) {
    const id = this.nextId++;
    this.worker.postMessage({ protocol: PROTOCOL, id, ...entry.message }); // a value that cannot be cloned throws here
    this.pending.set(id, entry);
  }

  // The core set up from the page's options (core-init.js, run in the worker, which fetches a catalog URL
  // itself): {options, productsJson}. A catalog holding what a worker cannot receive (a function) goes as the
  // plain data JSON would make of it, as the core reads it in the thread.
  init(request) {
    const send = (init) => this.send({ kind: 'init', init });
    return send(request).catch((error) => {
      if (!error || error.name !== 'DataCloneError') throw error;
      const text = toJson(request.catalog);
      return send({ ...request, catalog: text === undefined ? undefined : JSON.parse(text) });
    });
  }

  request(method, ...args) {
    return this.send({ kind: 'call', method, args });
  }

  // file: {url, code, path}: the worker fetches the file and calls `method` with its bytes.
  requestWithFile(method, file) {
    return this.send({ kind: 'call-file', method, file });
  }

  rawRequest(method, ...args) {
    return this.send({ kind: 'raw', method, args });
  }

  // calls: [args, ...], one message for all of them (a frame's pointer samples).
  rawBatchRequest(method, calls) {
    return this.send({ kind: 'raw-batch', method, calls });
  }

  receive(data) {
    const answer = readAnswer(data);
    const waiting = answer && answer.id !== undefined ? this.pending.get(answer.id) : undefined;
    if (answer && answer.fault) return this.fault(answer.fault);
    if (!waiting) return this.fault({ code: 'internal', message: 'dropped a message from the engine that answers no request', path: '' });
    this.pending.delete(answer.id);
    if (answer.error) {
      waiting.reject(new CartKeepError(answer.error.code, answer.error.message, answer.error.path || ''));
      return undefined;
    }
    let value = answer.value;
    if (answer.json !== undefined) {
      try {
        value = JSON.parse(answer.json);
      } catch {
        waiting.reject(new CartKeepError('internal', `the engine's answer to ${waiting.message.method} is not JSON`));
        return undefined;
      }
    }
    if (!waiting.direct && isReplayed(waiting.message)) this.replayLog.push(waiting.message);
    rememberTexts(answer.texts); // before the answer's readers render it
    waiting.resolve(value);
    return undefined;
  }

  fault(error, context) {
    this.onFault(new CartKeepError(error.code, error.message, error.path || ''), context);
  }

  // The worker is gone. The first time (when allowed) a new worker takes over and answers what was pending;
  // otherwise what was pending and every later request fail with worker-failed.
  fail(reason) {
    if (this.failure || !this.alive) return;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (this.restarting) { // the restart's own calls fail, and with them the restart
      for (const { reject } of waiting) reject(new CartKeepError('worker-failed', reason));
      return;
    }
    if (this.restore && this.connect) {
      const restore = this.restore;
      this.restore = null; // once per page
      this.restarting = this.restart(reason, restore, waiting).finally(() => { this.restarting = null; });
      return;
    }
    this.failure = new CartKeepError('worker-failed', `${reason}; CartKeep is read-only on this page`);
    for (const { reject } of waiting) reject(this.failure);
    this.onFault(this.failure, { restarted: false });
  }

  // A new worker: the start, the replayed set-up, the instance's restore, then the calls the dead one never
  // answered, sent again in their order (the new engine's state is the saved one, which none of them touched).
  async restart(reason, restore, unanswered) {
    try {
      this.worker.terminate();
    } catch {
      // already gone
    }
    try {
      this.attach(this.connect());
      const direct = (message) => this.send(message, { direct: true });
      await direct(this.startMessage);
      for (const message of this.replayLog) await direct(message);
      await restore((method, ...args) => direct({ kind: 'call', method, args }));
    } catch (error) {
      if (!this.alive) { // destroyed meanwhile
        for (const { reject } of unanswered) reject(new CartKeepError('destroyed', 'this CartKeep instance was destroyed'));
        return;
      }
      this.failure = new CartKeepError('worker-failed', `${reason}; a new engine could not start (${error.message}), so CartKeep is read-only on this page`);
      for (const { reject } of [...unanswered, ...this.pending.values()]) reject(this.failure);
      this.pending.clear();
      try {
        this.worker.terminate();
      } catch {
        // already gone
      }
      this.onFault(this.failure, { restarted: false });
      return;
    }
    for (const entry of unanswered) this.post(entry);
    this.fault({ code: 'worker-failed', message: `${reason}; a new engine started with the last saved cart`, path: '' }, { restarted: true });
  }

  dispose() {
    this.alive = false;
    for (const { reject } of this.pending.values()) reject(new CartKeepError('destroyed', 'this CartKeep instance was destroyed'));
    this.pending.clear();
    this.worker.terminate();
  }
}

// The page's side of the engine's worker: the same request()/rawRequest() as an in-thread CoreSession, each
// answered by the worker in the order it was sent. A worker that cannot start, or dies, fails its pending
// requests with 'worker-failed'; a message that is not a well-formed answer is dropped and reported.
import { CartKeepError } from './errors.js';
import { PROTOCOL, readAnswer } from './worker-protocol.js';

export class WorkerSession {
  // onFault(error): a dropped message or the worker's death, for the instance's `error` event.
  constructor(worker, { onFault = () => {} } = {}) {
    this.worker = worker;
    this.onFault = onFault;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    this.alive = true; // what features check before a call: false once disposed
    worker.addEventListener('message', (event) => this.receive(event.data));
    worker.addEventListener('messageerror', () => this.fault({ code: 'internal', message: 'a message from the engine could not be read', path: '' }));
    worker.addEventListener('error', (event) => {
      if (event.preventDefault) event.preventDefault(); // reported here, not as an uncaught page error
      this.fail(`the engine's worker stopped: ${event.message || 'it could not be loaded'}`);
    });
  }

  // Starts a worker from `workerUrl` (or speaks over `port`, the in-page engine's) that loads the core from
  // `wasmUrl` or `wasmBinary`; rejects with worker-failed, or wasm-load-failed when the core itself cannot load.
  static async start({ workerUrl, wasmUrl, wasmBinary, onFault, port }) {
    let worker = port;
    try {
      if (port) {
        port.terminate = () => port.close();
        port.start();
      } else {
        worker = new Worker(workerUrl, { name: 'cartkeep-engine' });
      }
    } catch (error) {
      throw new CartKeepError('worker-failed', `could not start the CartKeep engine from ${workerUrl}: ${error.message}`);
    }
    const session = new WorkerSession(worker, { onFault });
    try {
      await session.send(wasmBinary ? { kind: 'start', wasmBinary } : { kind: 'start', wasmUrl });
    } catch (error) {
      session.dispose();
      // the core itself did not load: the worker says why (wasm-load-failed); anything else is the worker's
      throw error.code === 'wasm-load-failed' ? error : new CartKeepError('worker-failed', `could not start the CartKeep engine from ${workerUrl}: ${error.reason || error.message}`);
    }
    return session;
  }

  send(message) {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.alive) return Promise.reject(new CartKeepError('destroyed', 'this CartKeep instance was destroyed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ protocol: PROTOCOL, id, ...message });
    });
  }

  request(method, ...args) {
    return this.send({ kind: 'call', method, args });
  }

  rawRequest(method, ...args) {
    return this.send({ kind: 'raw', method, args });
  }

  receive(data) {
    const answer = readAnswer(data);
    const waiting = answer && answer.id !== undefined ? this.pending.get(answer.id) : undefined;
    if (answer && answer.fault) return this.fault(answer.fault);
    if (!waiting) return this.fault({ code: 'internal', message: 'dropped a message from the engine that answers no request', path: '' });
    this.pending.delete(answer.id);
    if (answer.error) waiting.reject(new CartKeepError(answer.error.code, answer.error.message, answer.error.path || ''));
    else waiting.resolve(answer.value);
  }

  fault(error) {
    this.onFault(new CartKeepError(error.code, error.message, error.path || ''));
  }

  // The worker is gone: every pending and later request fails with worker-failed.
  fail(reason) {
    if (this.failure) return;
    this.failure = new CartKeepError('worker-failed', reason);
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
    this.onFault(this.failure);
  }

  dispose() {
    this.alive = false;
    for (const { reject } of this.pending.values()) reject(new CartKeepError('destroyed', 'this CartKeep instance was destroyed'));
    this.pending.clear();
    this.worker.terminate();
  }
}

// The engine in the page's own thread, for a browser without Worker: the worker script is loaded as a plain
// script (same origin, so the same CSP allows it) and serves the engine over a MessageChannel, so the page
// speaks to it exactly as to a worker and its own script carries none of the engine.
import { CartKeepError } from './errors.js';
import { WorkerSession } from './worker-session.js';
import { nextTask } from '../platform/next-task.js';

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

export async function startInPage({ workerUrl, wasmUrl, wasmBinary, onFault }) {
  try {
    if (!globalThis.CartKeepEngine) await loadScript(workerUrl);
    if (!globalThis.CartKeepEngine) throw new Error(`${workerUrl} did not define the engine`);
  } catch (error) {
    throw new CartKeepError('worker-failed', `could not start the CartKeep engine from ${workerUrl}: ${error.message}`);
  }
  return WorkerSession.start({ connect: () => globalThis.CartKeepEngine.connect({ betweenSteps: nextTask }), workerUrl, wasmUrl, wasmBinary, onFault });
}

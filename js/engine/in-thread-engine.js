// The engine in the calling thread (Node, or an ES module build where Worker is missing): the wasm core loaded
// here, behind the same session interface as the worker's.
import { CoreSession } from './core-session.js';
import { loadCore } from './loader.js';
import { nextTask } from '../platform/next-task.js';

export async function startInThread({ wasmBinary, wasmUrl }) {
  return new CoreSession(await loadCore({ wasmBinary, wasmUrl }), { betweenSteps: nextTask }); // a turn for the page between init's steps
}

// The messages between the page and the engine's worker. Each carries the protocol id, so a page and a worker of
// different CartKeep versions refuse each other instead of misreading; anything else on the channel is dropped.
//   page -> worker: {protocol, id, kind: 'start', wasmUrl | wasmBinary} | {protocol, id, kind: 'call' | 'raw', method, args}
//                   | {protocol, id, kind: 'init', init: {optionsJson, catalog, baseUrl}} (core-init.js: the worker
//                   reads a catalog URL itself and answers {options, productsJson})
//                   | {protocol, id, kind: 'raw-batch', method, calls: [args, ...]}
//                   | {protocol, id, kind: 'call-file', method, file: {url, code, path}} (the worker fetches the
//                   file and calls method with its bytes; a failed fetch answers the error code and path given)
//                   ('call' answers a core result's value, 'raw' the plain number of a pointer-path function,
//                   'raw-batch' the largest of a pointer-path function's numbers over a frame's samples)
//   worker -> page: {protocol, id, ok: true, value, texts?} | {protocol, id, ok: true, json, texts?}
//                   | {protocol, id, ok: false, error: {code, message, path}}
//                   (texts: {key: text} of the answer's message values, js/platform/value-texts.js)
//                   | {protocol, kind: 'fault', error}  (a message the worker could not read, or a crash)
//                   ('call' answers `json`, the core's JSON text, which the page parses: a string crosses as one
//                   copy, where a value would be parsed in the worker and then cloned object by object)
export const PROTOCOL = 'cartkeep-engine/2';

// Bound core functions are plain camelCase names; nothing else is called on the module.
const METHOD = /^[a-z][A-Za-z]{1,40}$/;
const ERROR_CODE = /^[a-z][a-z-]{1,40}$/;
// A frame's pointer samples: far more than any pointer delivers in one frame, few enough to answer at once.
export const MAX_BATCH = 1000;
const isArgument = (value) => typeof value === 'string' || typeof value === 'boolean' || value instanceof Uint8Array ||
  (typeof value === 'number' && Number.isFinite(value));

// A request from the page, or a reason it is not one (the worker answers the reason when the id is readable).
export function readRequest(data) {
  if (data === null || typeof data !== 'object' || data.protocol !== PROTOCOL) return { problem: 'not a CartKeep engine message' };
  if (!Number.isSafeInteger(data.id) || data.id < 0) return { problem: 'message id is not a non-negative integer' };
  if (data.kind === 'start') {
    if (data.wasmBinary instanceof ArrayBuffer || ArrayBuffer.isView(data.wasmBinary)) {
      return { request: { id: data.id, kind: 'start', wasmBinary: data.wasmBinary } };
    }
    if (typeof data.wasmUrl !== 'string') return { id: data.id, problem: 'start.wasmUrl is not a string' };
    return { request: { id: data.id, kind: 'start', wasmUrl: data.wasmUrl } };
  }
  if (data.kind === 'init') {
    const { optionsJson, catalog, baseUrl } = Object(data.init);
    if (typeof optionsJson !== 'string' || optionsJson[0] !== '{' || (baseUrl !== undefined && typeof baseUrl !== 'string')) return { id: data.id, problem: 'init is malformed' };
    return { request: { id: data.id, kind: 'init', init: { optionsJson, catalog, baseUrl } } };
  }
  if (data.kind === 'call' || data.kind === 'raw') {
    if (typeof data.method !== 'string' || !METHOD.test(data.method)) return { id: data.id, problem: `${data.kind}.method is not a core function name` };
    if (!Array.isArray(data.args) || !data.args.every(isArgument)) return { id: data.id, problem: `${data.kind}.args are not strings, numbers, booleans and bytes` };
    return { request: { id: data.id, kind: data.kind, method: data.method, args: data.args } };
  }
  if (data.kind === 'call-file') {
    const { url, code, path } = Object(data.file);
    if (typeof data.method !== 'string' || !METHOD.test(data.method)) return { id: data.id, problem: 'call-file.method is not a core function name' };
    if (typeof url !== 'string' || typeof code !== 'string' || !ERROR_CODE.test(code) || typeof path !== 'string') {
      return { id: data.id, problem: 'call-file.file is not {url, code, path}' };
    }
    return { request: { id: data.id, kind: 'call-file', method: data.method, file: { url, code, path } } };
  }
  if (data.kind === 'raw-batch') {
    if (typeof data.method !== 'string' || !METHOD.test(data.method)) return { id: data.id, problem: 'raw-batch.method is not a core function name' };
    if (!Array.isArray(data.calls) || data.calls.length > MAX_BATCH ||
      !data.calls.every((args) => Array.isArray(args) && args.every(isArgument))) {
      return { id: data.id, problem: `raw-batch.calls are not up to ${MAX_BATCH} lists of strings, numbers, booleans and bytes` };
    }
    return { request: { id: data.id, kind: 'raw-batch', method: data.method, calls: data.calls } };
  }
  return { id: data.id, problem: `unknown message kind ${JSON.stringify(String(data.kind)).slice(0, 40)}` };
}

const isError = (error) => error !== null && typeof error === 'object' && typeof error.code === 'string' &&
  typeof error.message === 'string' && (error.path === undefined || typeof error.path === 'string');

// An answer from the worker, or null when it is not a well-formed one.
export function readAnswer(data) {
  if (data === null || typeof data !== 'object' || data.protocol !== PROTOCOL) return null;
  if (data.kind === 'fault') return isError(data.error) ? { fault: data.error } : null;
  if (!Number.isSafeInteger(data.id)) return null;
  if (data.ok === true && typeof data.json === 'string') return { id: data.id, json: data.json, texts: data.texts }; // texts: checked as kept
  if (data.ok === true && data.json === undefined) return { id: data.id, value: data.value, texts: data.texts };
  if (data.ok === false && isError(data.error)) return { id: data.id, error: data.error };
  return null;
}

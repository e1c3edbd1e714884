// One Engine inside the wasm module; turns each BoundResult into a value or a thrown CartKeepError.
import { CartKeepError } from './errors.js';

// JSON text of a value the core will check. A number JSON cannot write (NaN, ±Infinity) and a bigint go as
// their text, so the core refuses them by path instead of reading JSON.stringify's null (or a TypeError);
// undefined goes as null.
export function coreJson(value) {
  return JSON.stringify(value === undefined ? null : value, (key, item) =>
    (typeof item === 'bigint' || (typeof item === 'number' && !Number.isFinite(item)) ? String(item) : item));
}

export class CoreSession {
  constructor(module) {
    this.module = module;
    this.engine = new module.Engine();
  }

  call(name, ...args) {
    if (!this.engine) throw new CartKeepError('destroyed', 'this CartKeep instance was destroyed');
    const result = this.module[name](this.engine, ...args);
    if (!result.ok) throw new CartKeepError(result.code, result.message, result.path);
    return JSON.parse(result.json);
  }

  dispose() {
    if (this.engine) this.engine.delete();
    this.engine = null;
  }
}

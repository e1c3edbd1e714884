// One Engine inside the wasm module; turns each BoundResult into a value or a thrown CartKeepError.
import { CartKeepError } from './errors.js';

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

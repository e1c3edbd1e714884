// Every failure CartKeep reports to a page is a CartKeepError with a stable `code` and the input `path`.
export class CartKeepError extends Error {
  constructor(code, reason, path = '') {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'CartKeepError';
    this.code = code;
    this.path = path;
    this.reason = reason;
  }

  toJSON() {
    return { code: this.code, path: this.path, message: this.message };
  }
}

// Wraps anything thrown (a TypeError from a bad argument, a fetch failure) without losing a CartKeepError.
export function asCartKeepError(error, code = 'internal') {
  if (error instanceof CartKeepError) return error;
  return new CartKeepError(code, error && error.message ? error.message : String(error));
}

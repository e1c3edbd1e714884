// Goes to a merchant-configured URL from a click. URL options are checked at init, but nothing a click does
// may throw into the page: a failure becomes an `error` event instead.
export function navigate(instance, url, source) {
  try {
    location.assign(url);
    return true;
  } catch (error) {
    if (instance && typeof instance.reportError === 'function') instance.reportError(error, { source, url: String(url) });
    return false;
  }
}

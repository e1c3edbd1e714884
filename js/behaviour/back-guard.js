// Opt-in back-button guard (options.behaviour.exitIntent.backButtonGuard): after the shopper's first
// interaction, one extra history entry; when back lands on it, the core is told ("back") and decides.
// If no nudge is shown, or once it is closed, the guard steps back for real, so back never gets stuck.
const MARK = 'cartkeep-back-guard';

export function backButtonGuard(behaviour) {
  let armed = false;
  let consumed = false;
  const arm = () => {
    if (armed || consumed) return;
    armed = true;
    // Browsers skip entries added without a user gesture: this runs inside the first pointerdown/keydown.
    history.pushState({ ...(history.state || {}), [MARK]: true }, '');
  };
  const onPop = () => {
    if (!armed || consumed || (history.state && history.state[MARK])) return;
    consumed = true;
    behaviour.guardBack = () => history.back();
    behaviour.back(performance.now());
    // The instance calls guardBack() when the nudge closes; without a nudge, continue at once.
    if (!behaviour.guardHolding) history.back();
  };
  const opts = { capture: true, passive: true };
  document.addEventListener('pointerdown', arm, opts);
  document.addEventListener('keydown', arm, opts);
  window.addEventListener('popstate', onPop);
  return () => {
    document.removeEventListener('pointerdown', arm, opts);
    document.removeEventListener('keydown', arm, opts);
    window.removeEventListener('popstate', onPop);
    behaviour.guardBack = null;
  };
}

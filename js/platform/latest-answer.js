// Widgets that show an answer from the engine ask for it on every update. What a widget shows stays on
// screen, at its size, until the answer arrives; an answer that a newer update (or a sync render) superseded
// is dropped, so a slow answer never brings older data back.

// Resolves with {value} or {error} for the latest ask of this element, or null once superseded.
export function latestAnswer(element, ask) {
  const turn = supersedeAnswers(element);
  const instance = element.instance;
  const current = () => turn === element.answerTurn && element.instance === instance;
  return Promise.resolve()
    .then(ask)
    .then((value) => (current() ? { value } : null), (error) => (current() ? { error } : null));
}

// Drops whatever this element is still waiting for (it is about to show something that needs no answer).
export function supersedeAnswers(element) {
  element.answerTurn = (element.answerTurn || 0) + 1;
  return element.answerTurn;
}

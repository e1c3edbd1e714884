// Hearth & Twine's language choice (English / العربية), kept on the device. It runs before CartKeep starts:
// the store configuration names no locale, so CartKeep takes <html lang> and lays its widgets out by it.
(() => {
  'use strict';

  const KEY = 'hearth-and-twine:lang';
  const LANGUAGES = { en: { lang: 'en-GB', dir: 'ltr' }, ar: { lang: 'ar', dir: 'rtl' } };
  let choice = 'en';
  try {
    const stored = window.localStorage.getItem(KEY);
    if (Object.hasOwn(LANGUAGES, stored)) choice = stored;
  } catch {
    // Storage refused (private mode): English.
  }
  document.documentElement.lang = LANGUAGES[choice].lang;
  document.documentElement.dir = LANGUAGES[choice].dir;

  // The switch: two buttons; a choice is stored and the page reloads in that language. site-frame.js puts it in
  // the header as the header is parsed, so it is laid out in the first frame (a switch added later would move
  // the header and everything under it).
  const languageSwitch = () => {
    const group = document.createElement('div');
    group.className = 'lang-switch';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Language / اللغة');
    for (const [code, label] of [['en', 'English'], ['ar', 'العربية']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.lang = LANGUAGES[code].lang;
      button.textContent = label;
      button.setAttribute('aria-pressed', String(code === choice));
      button.dataset.lang = code;
      button.addEventListener('click', () => {
        if (code === choice) return;
        try {
          window.localStorage.setItem(KEY, code);
        } catch {
          return; // storage refused (private mode): the choice cannot be kept across the reload
        }
        window.location.reload();
      });
      group.append(button);
    }
    return group;
  };
  window.hearthAndTwine = Object.freeze({ languageSwitch });
})();

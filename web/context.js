// The application context shared by all pages: the translator 't', the signed-in user
// 'me', the language switch, the date the unit tree is shown for, and a one-shot notice
// shown at the top of the next page (e.g. "user created").

import { createContext, useContext } from './lib.js';

export const AppContext = createContext(null);

/** Hook: the application context {t, me, lang, setLang, treeDate, setTreeDate, ...}. */
export function useApp() {
  return useContext(AppContext);
}

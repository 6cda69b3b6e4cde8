// Everything a browser test needs, from one import:
//
//   import { setup, test, newPage, login, shot, expectText, checkTranslations } from '../lib/index.mjs';
//
// See e2e/README.md for a journey written with it.

export { setup, test } from './harness.mjs';
export { startServer, currentServer, ROLES, PASSWORD, DEMO_ORGS, freePort, sleep } from './server.mjs';
export {
  LANGS,
  BROWSER_LOCALES,
  PHONE,
  CHROMIUM,
  browser,
  closeBrowser,
  newPage,
  pageOptions,
  login,
  logout,
  shot,
  savedShots,
  expectText,
  expectNumber,
  expectPath,
  textOf,
  normalize,
  parseNumber,
} from './browser.mjs';
export {
  loadCatalog,
  parsePhraseLine,
  pageText,
  translationProblems,
  findTranslationProblems,
  checkTranslations,
  DATA_STRINGS,
} from './i18n.mjs';
export {
  accessibilityProblems,
  checkAccessibility,
  horizontalOverflow,
  checkNoHorizontalScroll,
  tabOrder,
} from './a11y.mjs';
export { crawlAndCheck, SKIP_LINKS } from './crawl.mjs';
export {
  Api,
  apiAs,
  publicApi,
  computedFootprint,
  certifiedLabel,
  batteryModel,
  BATTERY_GTIN,
  BATTERY_PCR,
} from './api.mjs';

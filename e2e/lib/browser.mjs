// Debian's chromium driven by playwright-core (never a downloaded browser), a page per
// visitor (its own cookies, language and screen), signing in through the real `/login`
// form, screenshots into the artifacts, and text assertions that wait for the page.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS_DIR, fileSafe } from './paths.mjs';
import { currentServer } from './server.mjs';

/** The site's languages, as `<html lang>` and `?lang=` write them. */
export const LANGS = Object.freeze(['zh-Hans', 'zh-Hant', 'en']);

/** What a browser set to each language sends (a visitor in Guangzhou, Hong Kong, London). */
export const BROWSER_LOCALES = Object.freeze({
  'zh-Hans': { locale: 'zh-CN', acceptLanguage: 'zh-CN,zh;q=0.9' },
  'zh-Hant': { locale: 'zh-HK', acceptLanguage: 'zh-HK,zh;q=0.9' },
  en: { locale: 'en-GB', acceptLanguage: 'en-GB,en;q=0.9' },
});

/** The phone screen the issue asks for. */
export const PHONE = Object.freeze({ width: 375, height: 740 });
const DESKTOP = Object.freeze({ width: 1280, height: 860 });

/** The chromium binary: ZUJI_E2E_CHROMIUM, else Debian's. */
export const CHROMIUM = process.env.ZUJI_E2E_CHROMIUM || '/usr/bin/chromium';

let launching = null;
const contexts = new Set();
const pageInfo = new WeakMap();

/** The browser shared by a test file (launched on first use). */
export function browser() {
  if (!launching) {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (or set ZUJI_E2E_CHROMIUM)`);
    }
    launching = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--disable-dev-shm-usage', '--no-first-run', '--disable-gpu'],
    });
  }
  return launching;
}

/** Closes every page and the browser. */
export async function closeBrowser() {
  await closeContexts();
  if (launching) {
    const b = await launching.catch(() => null);
    launching = null;
    await b?.close().catch(() => {});
  }
}

/** The browser contexts (visitors) open now; the test wrapper closes them after a test. */
export function openContexts() {
  return [...contexts];
}

export async function closeContexts(which = openContexts()) {
  for (const c of which) {
    contexts.delete(c);
    await c.close().catch(() => {});
  }
}

/**
 * A new visitor: a fresh browser context (no cookies) and a page on the server.
 *
 * - `lang` ('zh-Hans'): the browser's language — its locale and Accept-Language (the
 *   site then chooses this language by itself, as for a real visitor);
 * - `acceptLanguage`: send exactly this Accept-Language instead (and no locale);
 * - `role`: sign in through the `/login` form first ('enterprise', 'certifier',
 *   'registry', or { email, password }); 'anonymous' or none stays public;
 * - `phone` (false): a 375 × 740 touch screen; `viewport` sets any other size.
 *
 * Relative URLs (`page.goto('/login')`) go to the server.
 */
export async function newPage({ lang = 'zh-Hans', acceptLanguage, role, phone = false, viewport, server = currentServer() } = {}) {
  const b = await browser();
  const locale = BROWSER_LOCALES[lang];
  if (!locale) throw new Error(`unknown language '${lang}' (one of ${LANGS.join(', ')})`);
  const context = await b.newContext({
    baseURL: server.url,
    // Chromium sends the emulated locale as Accept-Language, whatever the headers say:
    // an exact Accept-Language is sent by leaving the locale alone.
    ...(acceptLanguage ? {} : { locale: locale.locale }),
    timezoneId: 'Asia/Shanghai',
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage ?? locale.acceptLanguage },
    viewport: viewport ?? (phone ? PHONE : DESKTOP),
    isMobile: phone,
    hasTouch: phone,
  });
  contexts.add(context);
  context.on('close', () => contexts.delete(context));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(30_000);
  pageInfo.set(page, { lang, role: role ?? 'anonymous', server });
  if (role && role !== 'anonymous') await login(page, role);
  return page;
}

/** What `newPage` was asked for: { lang, role, server }. */
export function pageOptions(page) {
  return pageInfo.get(page) ?? {};
}

/**
 * Signs in through the real `/login` form as `role` (a seeded role or { email,
 * password }), and waits for the page the site sends the user to (`next`, else the
 * role's home). Returns that URL. Throws with the page's message if the sign-in failed.
 */
export async function login(page, role, { next } = {}) {
  const server = pageOptions(page).server ?? currentServer();
  const who = typeof role === 'string' ? server.users[role] : role;
  if (!who) throw new Error(`no seeded user for role '${role}' (roles: ${Object.keys(server.users).join(', ')})`);
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.locator('form[action="/login"] [type=submit]').click(),
  ]);
  if (response.status() !== 303) {
    await page.waitForLoadState();
    const shown = await page.locator('[role=alert]').allInnerTexts().catch(() => []);
    throw new Error(`signing in as ${who.email} failed: POST /login answered ${response.status()} ${shown.join(' ')}`);
  }
  await page.waitForURL((u) => u.pathname !== '/login');
  if (typeof role === 'string') pageInfo.set(page, { ...pageOptions(page), role });
  return page.url();
}

/** Signs out with the header's button; resolves on the page it leads to. */
export async function logout(page) {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/logout'),
    page.locator('form[action="/logout"] [type=submit]').click(),
  ]);
  await page.waitForLoadState();
  pageInfo.set(page, { ...pageOptions(page), role: 'anonymous' });
}

const shots = [];

/**
 * Saves a full-page screenshot as `e2e/artifacts/NAME.png` (the test artifacts) and
 * returns its path. Name shots after the journey and step: `enterprise-03-result-en`.
 */
export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${fileSafe(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
  return file;
}

/** The screenshots this process saved. */
export function savedShots() {
  return [...shots];
}

/** Whitespace collapsed, as a reader sees the text. */
export function normalize(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

/**
 * Waits (up to `timeout` ms) until the elements `locator` finds show `expected`: a
 * string the text contains (whitespace collapsed), or a RegExp it matches. Resolves with
 * the text; throws naming the page, the locator and what it showed instead.
 */
export async function expectText(locator, expected, { timeout = 5_000 } = {}) {
  const deadline = Date.now() + timeout;
  let shown = '';
  for (;;) {
    const texts = await locator.allInnerTexts().catch(() => []);
    shown = normalize(texts.join(' '));
    const ok = expected instanceof RegExp ? expected.test(shown) : shown.includes(normalize(expected));
    if (ok && texts.length > 0) return shown;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const count = await locator.count().catch(() => 0);
  assert.fail(
    `${locator.page().url()}: ${locator} should show ${expected instanceof RegExp ? expected : JSON.stringify(expected)}, ` +
      (count === 0 ? 'but no element matches it' : `but shows ${JSON.stringify(shown)}`),
  );
}

/** The text of the elements `locator` finds, whitespace collapsed. */
export async function textOf(locator) {
  return normalize((await locator.allInnerTexts()).join(' '));
}

/**
 * A number as the page writes it ("1,234.5", "12 345,6" never: Zuji groups with commas
 * in every language), to compare with a value computed independently.
 */
export function parseNumber(text) {
  const m = /-?[\d,]*\.?\d+(?:e[+-]?\d+)?/i.exec(String(text).replace(/[\u2212\u2013]/g, '-'));
  if (!m) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(m[0].replace(/,/g, ''));
}

/**
 * Waits until the elements `locator` finds show a number within `tolerance` of
 * `expected` (the first number in their text); resolves with the number shown.
 */
export async function expectNumber(locator, expected, { tolerance = 0, timeout = 5_000 } = {}) {
  const deadline = Date.now() + timeout;
  let shown = '';
  for (;;) {
    shown = normalize((await locator.allInnerTexts().catch(() => [])).join(' '));
    let value = NaN;
    try {
      value = parseNumber(shown);
    } catch {
      // No number yet.
    }
    if (Math.abs(value - expected) <= tolerance) return value;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${locator.page().url()}: ${locator} should show ${expected} (± ${tolerance}), but shows ${JSON.stringify(shown)}`);
}

/**
 * Asserts the page is at `expected`: a path ("/app"), a path with its query
 * ("/login?next=%2Fapp") or a RegExp tested against path and query.
 */
export function expectPath(page, expected) {
  const u = new URL(page.url());
  if (expected instanceof RegExp) {
    assert.match(u.pathname + u.search, expected, `page is at ${page.url()}`);
  } else {
    const actual = expected.includes('?') ? u.pathname + u.search : u.pathname;
    assert.equal(actual, expected, `page is at ${page.url()}`);
  }
}

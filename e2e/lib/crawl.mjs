// A crawler that checks every page it can reach by following links: in each language
// (`?lang=` on every URL), no page answers 5xx, no translation problem, no accessibility
// problem, no script error, no broken stylesheet or image. Only `<a href>` links are
// followed (GET: no form is submitted, nothing is changed), on the same site.

import assert from 'node:assert/strict';
import { LANGS, pageOptions } from './browser.mjs';
import { accessibilityProblems } from './a11y.mjs';
import { findTranslationProblems } from './i18n.mjs';

/** Links never followed: the API, downloads, sign-out, machine endpoints. */
export const SKIP_LINKS = Object.freeze([
  /^\/api\//,
  /^\/static\//,
  /\.(pdf|png|svg|jpe?g|gif|webp|csv|json|xlsx?|zip|toml|txt|xml)$/i,
  /logout|sign-?out/i,
  /^\/(metrics|healthz|readyz)$/,
  /^\/(auth|\.well-known|2|3)\//,
  /^\/log\//,
  /^\/keys$/,
]);

/**
 * Visits `startUrls` and what they link to, up to `max` pages per language, in each of
 * `langs`, checking each page. Throws one error listing every problem with its URL
 * (unless `assert: false`); returns { pages: [{ url, lang, status, from }], problems,
 * broken }.
 *
 * Options:
 * - `max` (60): pages per language;
 * - `langs` (all three);
 * - `perPattern` (4): pages per URL shape (digits and query values ignored), so a list
 *   of 500 products costs 4 visits and the budget reaches other kinds of page;
 * - `skip`: more RegExps (tested against the path) or functions (URL → true to skip);
 * - `brokenLinks` ('fail'): a link to a 4xx page is a problem; 'warn' only prints it;
 * - `a11y` (true): also run `accessibilityProblems` on each page;
 * - `ignore`: data strings for the translation check.
 */
export async function crawlAndCheck(page, startUrls, options = {}) {
  const {
    max = 60,
    langs = LANGS,
    perPattern = 4,
    skip = [],
    brokenLinks = 'fail',
    a11y = true,
    ignore = [],
  } = options;
  const origin = new URL(page.url() === 'about:blank' ? pageOptions(page).server.url : page.url()).origin;
  const skips = [...SKIP_LINKS, ...skip];
  const problems = [];
  const broken = [];
  const pages = [];
  const jsErrors = [];
  const badAssets = [];
  const onError = (e) => jsErrors.push(e.message.split('\n')[0]);
  // The last status of each page requested: a 4xx/5xx answer with an empty body makes
  // chromium show its own error page, and page.goto() throws instead of answering.
  const documentStatus = new Map();
  const onResponse = (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin) return;
    if (r.request().resourceType() === 'document') {
      documentStatus.set(u.href, r.status());
      return;
    }
    if (r.status() >= 400 && u.pathname !== '/favicon.ico') badAssets.push(`${u.pathname} answered ${r.status()}`);
  };
  page.on('pageerror', onError);
  page.on('response', onResponse);
  try {
    for (const lang of langs) {
      const queue = startUrls.map((u) => ({ url: withLang(new URL(u, origin), lang), from: null }));
      const seen = new Set(queue.map((q) => key(q.url)));
      const shapes = new Map();
      let visited = 0;
      while (queue.length > 0 && visited < max) {
        const { url, from } = queue.shift();
        visited++;
        jsErrors.length = 0;
        badAssets.length = 0;
        const where = `${url.pathname}${url.search}${from ? ` (linked from ${from})` : ''}`;
        let response;
        documentStatus.delete(url.href);
        try {
          response = await visit(page, url.href);
        } catch (e) {
          const status = documentStatus.get(url.href);
          pages.push({ url: url.href, lang, status: status ?? 0, from });
          if (status >= 500) problems.push({ url: where, problem: `answered ${status} (empty page)` });
          else if (status >= 400) broken.push({ url: where, problem: `answered ${status} (empty page)` });
          else problems.push({ url: where, problem: `could not load: ${e.message.split('\n')[0]}` });
          continue;
        }
        const status = response ? response.status() : 0;
        const finalUrl = new URL(page.url());
        seen.add(key(withLang(finalUrl, lang)));
        pages.push({ url: url.href, lang, status, from });
        if (status >= 500) problems.push({ url: where, problem: `answered ${status}` });
        else if (status >= 400) broken.push({ url: where, problem: `answered ${status}` });
        const type = response?.headers()['content-type'] ?? '';
        if (!type.startsWith('text/html')) continue;
        const isPage = await stable(page, () =>
          page.evaluate(() => Boolean(document.documentElement.getAttribute('lang') || document.body?.children.length)),
        );
        if (!isPage) continue;
        const label = `${finalUrl.pathname}${finalUrl.search}`;
        for (const p of await stable(page, () => findTranslationProblems(page, lang, { ignore }))) {
          problems.push({ url: label, problem: p });
        }
        if (a11y) {
          for (const p of await stable(page, () => accessibilityProblems(page))) problems.push({ url: label, problem: p });
        }
        for (const e of jsErrors) problems.push({ url: label, problem: `script error: ${e}` });
        for (const a of badAssets) problems.push({ url: label, problem: a });
        const links = await stable(page, () =>
          page.$$eval('a[href]', (as) => as.filter((a) => !a.hasAttribute('download')).map((a) => a.href)),
        );
        for (const href of links) {
          let next;
          try {
            next = new URL(href);
          } catch {
            continue;
          }
          if (next.origin !== origin || !/^https?:$/.test(next.protocol)) continue;
          if (skips.some((s) => (typeof s === 'function' ? s(next) : s.test(next.pathname)))) continue;
          const target = withLang(next, lang);
          const k = key(target);
          if (seen.has(k)) continue;
          seen.add(k);
          const shape = shapeOf(target);
          const n = shapes.get(shape) ?? 0;
          if (n >= perPattern) continue;
          shapes.set(shape, n + 1);
          queue.push({ url: target, from: label });
        }
      }
    }
  } finally {
    page.off('pageerror', onError);
    page.off('response', onResponse);
  }
  if (broken.length > 0 && brokenLinks !== 'fail') {
    console.log(`crawl: ${broken.length} link(s) to pages that are not there (yet):\n${listed(broken)}`);
  }
  const failures = brokenLinks === 'fail' ? [...problems, ...broken] : problems;
  if (options.assert !== false && failures.length > 0) {
    assert.fail(
      `crawl of ${pages.length} page(s) from ${startUrls.map((u) => (u.length > 50 ? `${u.slice(0, 50)}…` : u)).join(', ')} ` +
        `found ${failures.length} problem(s):\n${listed(failures)}`,
    );
  }
  return { pages, problems: problems.map(flat), broken: broken.map(flat) };
}

const flat = ({ url, problem }) => `${url}: ${problem}`;

/** Problems grouped: the same problem on many pages is listed once, with its pages. */
function listed(found) {
  const byProblem = new Map();
  for (const { url, problem } of found) {
    if (!byProblem.has(problem)) byProblem.set(problem, []);
    byProblem.get(problem).push(url);
  }
  const lines = [];
  for (const [problem, urls] of byProblem) {
    const shown = urls.slice(0, 3).join(', ') + (urls.length > 3 ? ` and ${urls.length - 3} more` : '');
    lines.push(urls.length === 1 ? `  - ${urls[0]}: ${problem}` : `  - ${problem}\n      on ${urls.length} pages: ${shown}`);
  }
  return lines.join('\n');
}

/**
 * Loads `href`; once more if another navigation cut in (a page that reloads itself, or
 * chromium's own error page for the previous visit still arriving).
 */
async function visit(page, href) {
  // A page that refreshes itself (a running job) must not reload in the middle of the
  // next visit: its timers are cleared before leaving it.
  await page
    .evaluate(() => {
      const last = setTimeout(() => {}, 0);
      for (let id = 0; id <= last; id++) clearTimeout(id);
    })
    .catch(() => {});
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.goto(href, { waitUntil: 'load' });
    } catch (e) {
      // Let chromium's error page (or whatever cut in) finish before going on.
      await page.waitForLoadState('load').catch(() => {});
      if (attempt >= 3 || !/interrupted by another navigation/.test(e.message)) throw e;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/** The URL with `lang` set to the crawl's language and no fragment. */
function withLang(url, lang) {
  const u = new URL(url.href);
  u.hash = '';
  u.searchParams.set('lang', lang);
  return u;
}

/** The same page whatever the order of its query. */
function key(url) {
  const u = new URL(url.href);
  u.searchParams.sort();
  return u.pathname + u.search;
}

/** The kind of page: the path with numbers as `#`, the query's names without values. */
function shapeOf(url) {
  const names = [...new Set([...url.searchParams.keys()].filter((k) => k !== 'lang'))].sort();
  return url.pathname.replace(/\d+/g, '#') + (names.length ? `?${names.join('&')}` : '');
}

/** Runs `fn`, again once if the page navigated under it (pages that refresh themselves). */
async function stable(page, fn) {
  try {
    return await fn();
  } catch (e) {
    if (!/Execution context was destroyed|navigation/i.test(e.message)) throw e;
    await page.waitForLoadState('load');
    return fn();
  }
}

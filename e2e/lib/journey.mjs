// Helpers of the role journeys (tests/journeys.test.mjs): numbers written the way the
// pages write them, worked out here from the rules (crates/server/src/web/i18n.rs, the
// workspace's total, crates/report/src/number.rs) rather than read back from the server;
// the PDF check; confirm dialogs; waiting across the pages that refresh themselves.

import assert from 'node:assert/strict';

/**
 * `value` with `decimals` places, as Rust's `format!("{:.*}")` rounds it (the exact
 * binary value; an exact tie goes to the even digit), with thousands grouped by `,`
 * (`format_number` in i18n.rs: the three languages group the same way). A rounded zero
 * has no sign.
 */
export function fixed(value, decimals) {
  if (!Number.isFinite(value)) return String(value);
  let text = roundHalfEven(Math.abs(value), decimals);
  const [int, frac] = text.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^[0.]*$/.test(text);
  const sign = value < 0 && !zero ? '-' : '';
  return frac === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${frac}`;
}

/** |x| (x ≥ 0) to `d` decimals, ties to even, as text. */
function roundHalfEven(x, d) {
  // toFixed(d + 30) writes the exact binary value's digits far enough to see a tie.
  const extra = 30;
  const long = x.toFixed(Math.min(100, d + extra));
  const rounded = x.toFixed(d);
  const [, frac = ''] = long.split('.');
  const tail = frac.slice(d);
  if (tail === '5' + '0'.repeat(tail.length - 1)) {
    // An exact tie: JavaScript took the larger; Rust takes the even one.
    const down = long.slice(0, long.length - tail.length).replace(/\.$/, '');
    const lastDigit = Number(down[down.length - 1]);
    if (lastDigit % 2 === 0) return down;
  }
  return rounded;
}

/** Decimals that show `digits` significant digits (i18n.rs `significant_decimals`, 0–6). */
export function significantDecimals(value, digits = 3) {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  return Math.min(6, Math.max(0, digits - 1 - magnitude));
}

/** `page.sig(v)`: three significant digits. */
export function sig(value) {
  return fixed(value, significantDecimals(value, 3));
}

/** `page.pct(share)`: a share 0–1 as a percentage with one decimal. */
export function pct(share) {
  return `${fixed(share * 100, 1)}%`;
}

/** A footprint total as the workspace writes it: at least two decimals, else three significant digits. */
export function workspaceTotal(value) {
  return fixed(value, Math.max(2, significantDecimals(value, 3)));
}

/**
 * An amount as the study report prints it (crates/report/src/number.rs): four
 * significant figures, trailing zeros dropped, the integer part grouped from four
 * digits on (`,` in English, a thin space in Chinese), U+2212 for a minus.
 */
export function reportValue(value, lang) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const [mantissa, exponent] = Math.abs(value).toExponential(3).split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  let int;
  let frac;
  if (e >= 0) {
    int = e + 1 >= digits.length ? digits + '0'.repeat(e + 1 - digits.length) : digits.slice(0, e + 1);
    frac = e + 1 >= digits.length ? '' : digits.slice(e + 1);
  } else {
    int = '0';
    frac = '0'.repeat(-e - 1) + digits;
  }
  frac = frac.replace(/0+$/, '');
  const sep = lang === 'en' ? ',' : '\u2009';
  const grouped = int.length >= 4 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : int;
  return `${value < 0 ? '\u2212' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/**
 * Fetches `url` with the page's cookies (its signed-in session) and asserts a PDF comes
 * back: 200, `application/pdf`, the bytes starting `%PDF-`. Resolves with the bytes.
 */
export async function expectPdf(page, url, { timeout = 120_000 } = {}) {
  const r = await page.request.get(url, { timeout });
  const body = await r.body();
  assert.equal(r.status(), 200, `GET ${url}: ${r.status()} ${body.toString('utf8', 0, 500)}`);
  assert.match(r.headers()['content-type'] ?? '', /^application\/pdf\b/, `GET ${url}: content-type`);
  assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-', `GET ${url}: the body is not a PDF`);
  assert.ok(body.length > 1000, `GET ${url}: only ${body.length} bytes`);
  return body;
}

/** Reads JSON from the API with the page's cookies; asserts the status. */
export async function apiJson(page, path, { expect = 200 } = {}) {
  const r = await page.request.get(`/api/v1${path}`);
  const text = await r.text();
  assert.equal(r.status(), expect, `GET /api/v1${path}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Accepts every confirm dialog of `page` (forms marked `data-confirm`), recording the messages. */
export function acceptDialogs(page) {
  const seen = [];
  page.on('dialog', (d) => {
    seen.push(d.message());
    d.accept().catch(() => {});
  });
  return seen;
}

/**
 * Clicks `locator` (a form's submit button or a link) and waits for the page the
 * browser lands on after the POST/redirect; resolves with the main response.
 */
export async function clickAndLoad(page, locator, { url, timeout = 30_000 } = {}) {
  const [response] = await Promise.all([
    page.waitForNavigation({ url, timeout, waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

/** The text of `locator`, whitespace collapsed. */
export async function shown(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

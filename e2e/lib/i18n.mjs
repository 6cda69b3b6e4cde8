// Missing translations, found on the page itself: no catalog key shown raw, no phrase
// left in another language, `<html lang>` right.
//
// The catalog is read from `crates/server/locales/*.toml`, the same files the server
// compiles in: one phrase per line, `"area.key" = { zh-Hans = "…", zh-Hant = "…", en = "…" }`.
//
// What is checked on a page in language L:
// - raw keys: no text or attribute (title, aria-label, alt, placeholder, button value)
//   contains a catalog key, nor a dotted name that starts like the catalog's keys
//   (`registry.something`) — a key the catalog lacks is shown as itself;
// - other languages: no phrase of another language's catalog slot that differs from
//   L's own (≥ 2 Chinese characters, or ≥ 2 English words; a phrase that is part of
//   some L phrase is fine, e.g. "OpenAPI" in "开放接口（OpenAPI）"); so a zh page shows
//   no English catalog phrase of two words or more, and 简体 and 繁體 pages don't mix.
//   A phrase counts where it stands on its own — alone in its element, or next to
//   punctuation, numbers or text of another script — not where it is part of longer
//   text of its own script (a standard's title, an association's name);
// - `<html lang>` is L.
//
// Data is not translated: names of products and organisations, notes, codes. Text
// inside an element with `translate="no"` (the HTML attribute for exactly this), in
// `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<var>`, `<textarea>` (what the user typed),
// under `data-i18n-ignore`, or under an
// element whose `lang` differs from the page's (the language switcher's 简 / 繁 / EN),
// is left out of the other-language check; so are the seeded organisations' and the
// examples' product names (DATA_STRINGS) and any `ignore` strings given. Raw keys are
// looked for everywhere.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLES_DIR, LOCALES_DIR } from './paths.mjs';
import { LANGS, pageOptions } from './browser.mjs';
import { DEMO_ORGS, ROLES } from './server.mjs';

// ---------------------------------------------------------------------------
// The catalog

let cached = null;

/**
 * The catalog: Map key → { 'zh-Hans', 'zh-Hant', en, file, line }. A line that is not a
 * comment, blank, or one phrase fails with its file and line (a phrase this reader
 * cannot see would go unchecked).
 */
export function loadCatalog(dir = LOCALES_DIR) {
  if (cached && dir === LOCALES_DIR) return cached;
  const catalog = new Map();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).sort();
  if (files.length === 0) throw new Error(`no catalog files in ${dir}`);
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split(/\r?\n/);
    lines.forEach((raw, i) => {
      const where = `${path.relative(process.cwd(), path.join(dir, file))}:${i + 1}`;
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      let entry;
      try {
        entry = parsePhraseLine(line);
      } catch (e) {
        throw new Error(
          `${where}: ${e.message}; the browser tests read one phrase per line: ` +
            '"area.key" = { zh-Hans = "…", zh-Hant = "…", en = "…" }',
        );
      }
      for (const lang of LANGS) {
        if (typeof entry.values[lang] !== 'string') throw new Error(`${where}: '${entry.key}' has no ${lang} phrase`);
      }
      if (catalog.has(entry.key)) throw new Error(`${where}: '${entry.key}' is already defined`);
      catalog.set(entry.key, { ...entry.values, file, line: i + 1 });
    });
  }
  if (dir === LOCALES_DIR) cached = catalog;
  return catalog;
}

/** `"key" = { name = "…", … }` (basic or literal strings, an optional trailing comment). */
export function parsePhraseLine(line) {
  const s = { text: line, at: 0 };
  const key = readString(s, 'the key');
  skipSpace(s);
  expectChar(s, '=');
  skipSpace(s);
  expectChar(s, '{');
  const values = {};
  skipSpace(s);
  while (peek(s) !== '}') {
    const m = /^[A-Za-z0-9_-]+/.exec(s.text.slice(s.at));
    if (!m) throw new Error(`expected a language name at column ${s.at + 1}`);
    s.at += m[0].length;
    skipSpace(s);
    expectChar(s, '=');
    skipSpace(s);
    values[m[0]] = readString(s, `the ${m[0]} phrase`);
    skipSpace(s);
    if (peek(s) === ',') {
      s.at++;
      skipSpace(s);
    } else if (peek(s) !== '}') {
      throw new Error(`expected ',' or '}' at column ${s.at + 1}`);
    }
  }
  s.at++;
  skipSpace(s);
  if (s.at < s.text.length && peek(s) !== '#') throw new Error(`unexpected text at column ${s.at + 1}`);
  return { key, values };
}

function peek(s) {
  return s.text[s.at];
}
function skipSpace(s) {
  while (s.at < s.text.length && /[ \t]/.test(s.text[s.at])) s.at++;
}
function expectChar(s, c) {
  if (s.text[s.at] !== c) throw new Error(`expected '${c}' at column ${s.at + 1}`);
  s.at++;
}
function readString(s, what) {
  const q = s.text[s.at];
  if (q === "'") {
    const end = s.text.indexOf("'", s.at + 1);
    if (end < 0) throw new Error(`${what} is not closed`);
    const out = s.text.slice(s.at + 1, end);
    s.at = end + 1;
    return out;
  }
  if (q !== '"') throw new Error(`expected ${what} in quotes at column ${s.at + 1}`);
  let out = '';
  for (let i = s.at + 1; i < s.text.length; i++) {
    const c = s.text[i];
    if (c === '"') {
      s.at = i + 1;
      return out;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s.text[++i];
    const simple = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
    if (e in simple) {
      out += simple[e];
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const hex = s.text.slice(i + 1, i + 1 + n);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== n) throw new Error(`bad \\${e} escape in ${what}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else {
      throw new Error(`bad escape \\${e} in ${what}`);
    }
  }
  throw new Error(`${what} is not closed`);
}

// ---------------------------------------------------------------------------
// Data that is shown as it is

/** Names the tests themselves put on pages (organisations, example products). */
export const DATA_STRINGS = Object.freeze([...Object.values(ROLES).map((r) => r.org), ...DEMO_ORGS, ...exampleNames()]);

function exampleNames() {
  const names = [];
  let files = [];
  try {
    files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.toml'));
  } catch {
    return names;
  }
  for (const f of files) {
    const text = fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8');
    const m = /^name\s*=\s*\{\s*zh\s*=\s*"([^"]*)"\s*,\s*en\s*=\s*"([^"]*)"\s*\}/m.exec(text);
    if (m) names.push(m[1], m[2]);
  }
  return names;
}

// ---------------------------------------------------------------------------
// The check

const HAN = /\p{Script=Han}/gu;
/** Endings that make a dotted name a host or a file, not a catalog key. */
const NOT_KEY_ENDINGS = new Set(
  'example org com net cn hk tw mo io gov edu info app dev pdf png svg jpg jpeg gif webp csv json toml xlsx xls zip gz txt html htm md xml sqlite js css'.split(' '),
);
const phraseCache = new Map();

function hanCount(s) {
  return (s.match(HAN) || []).length;
}
function englishWords(s) {
  return s.split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length;
}

/**
 * The phrases a page in `lang` must not show, each as a pattern: a `{placeholder}` inside
 * a phrase stands for any short text (the value it is filled with); one at either end
 * leaves that side open (the phrase is looked for without it). The size rule (≥ 2
 * Chinese characters or ≥ 2 English words) counts the phrase's own words, not the
 * placeholders.
 */
function foreignPhrases(catalog, lang) {
  if (catalog === cached && phraseCache.has(lang)) return phraseCache.get(lang);
  const own = [...catalog.values()].map((p) => p[lang]);
  const seen = new Set();
  const out = [];
  for (const [key, phrase] of catalog) {
    for (const from of LANGS) {
      if (from === lang || phrase[from] === phrase[lang]) continue;
      const full = phrase[from].trim();
      const parts = full.split(/\{[A-Za-z0-9_]+\}/);
      const literal = parts.join(' ').trim();
      const cjk = hanCount(literal) >= 2;
      if (!cjk && englishWords(literal) < 2) continue;
      // Drop placeholders at the ends: they match anything, so those sides are open.
      let first = 0;
      let last = parts.length - 1;
      while (first < last && !parts[first].trim()) first++;
      while (last > first && !parts[last].trim()) last--;
      const shown = parts.slice(first, last + 1);
      shown[0] = shown[0].trimStart();
      shown[shown.length - 1] = shown[shown.length - 1].trimEnd();
      const text = shown.join('{…}');
      if (seen.has(text) || own.some((o) => o.includes(full) || o.includes(text))) continue;
      seen.add(text);
      const source = shown
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
        .join('[^\\n]{1,80}?');
      out.push({
        key,
        from,
        text: full,
        cjk,
        re: new RegExp(source, 'gu'),
        openLeft: first > 0,
        openRight: last < parts.length - 1,
      });
    }
  }
  if (catalog === cached) phraseCache.set(lang, out);
  return out;
}

const HAN_CHAR = /\p{Script=Han}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Where `phrase` stands on its own in `text` ({ at, length } of the first such match,
 * null if none): where it is not part of longer text of its script — the nearest character on each side (spaces skipped) is
 * not a Chinese character for a Chinese phrase, not a letter or digit for an English
 * one (a side where the phrase begins or ends with a placeholder is open). A phrase a
 * template printed stands on its own (in its element, before a colon or a value); the
 * same words inside a longer name or title (温室气体 产品碳足迹 量化要求和指南, "Greenhouse
 * gases — Carbon footprint of products") are data.
 */
function standingAt(text, phrase) {
  const joins = phrase.cjk ? (c) => HAN_CHAR.test(c) : (c) => WORD_CHAR.test(c);
  phrase.re.lastIndex = 0;
  for (let m = phrase.re.exec(text); m; m = phrase.re.exec(text)) {
    const at = m.index;
    let i = at - 1;
    while (i >= 0 && /\s/.test(text[i])) i--;
    let j = at + m[0].length;
    while (j < text.length && /\s/.test(text[j])) j++;
    const leftOk = phrase.openLeft || i < 0 || !joins(text[i]);
    const rightOk = phrase.openRight || j >= text.length || !joins(text[j]);
    if (leftOk && rightOk) return { at, length: m[0].length };
    phrase.re.lastIndex = at + 1;
  }
  return null;
}

/** What the page shows, read in the browser (see the file's head for what is data). */
export async function pageText(page) {
  return page.evaluate(() => {
    const htmlLang = document.documentElement.getAttribute('lang') || '';
    const norm = (s) => (s || '').trim().toLowerCase();
    const DATA = '[translate="no"], code, pre, kbd, samp, var, textarea, [data-i18n-ignore]';
    const isData = (el) => {
      if (!el) return false;
      if (el.closest(DATA)) return true;
      const tagged = el.closest('[lang]');
      return tagged ? norm(tagged.getAttribute('lang')) !== norm(htmlLang) : false;
    };
    const describe = (el) => {
      let d = el.tagName.toLowerCase();
      if (el.id) d += `#${el.id}`;
      else if (el.dataset && el.dataset.testid) d += `[data-testid=${el.dataset.testid}]`;
      else if (typeof el.className === 'string' && el.className.trim()) d += `.${el.className.trim().split(/\s+/).join('.')}`;
      return d;
    };
    const texts = [];
    const root = document.body || document.documentElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest('script, style, noscript, template')) continue;
      const text = n.nodeValue.replace(/\s+/g, ' ').trim();
      if (text) texts.push({ text, data: isData(p), where: `text of <${describe(p)}>` });
    }
    const ATTRS = ['title', 'aria-label', 'alt', 'placeholder', 'aria-description'];
    for (const el of document.querySelectorAll('[title], [aria-label], [alt], [placeholder], [aria-description]')) {
      for (const a of ATTRS) {
        const v = (el.getAttribute(a) || '').trim();
        if (v) texts.push({ text: v, data: isData(el), where: `${a} of <${describe(el)}>` });
      }
    }
    for (const el of document.querySelectorAll('input[type=submit][value], input[type=button][value], input[type=reset][value]')) {
      const v = el.value.trim();
      if (v) texts.push({ text: v, data: isData(el), where: `value of <${describe(el)}>` });
    }
    const meta = document.querySelector('meta[name=description]');
    if (meta && meta.content.trim()) texts.push({ text: meta.content.trim(), data: false, where: 'meta description' });
    if (document.title.trim()) texts.push({ text: document.title.trim(), data: false, where: '<title>' });
    // The visible text as read, across element boundaries, without the data parts.
    let visible = document.body ? document.body.innerText : '';
    const dataElements = [...document.querySelectorAll(`${DATA}, body [lang]`)].filter(
      (el) => isData(el) && !(el.parentElement && isData(el.parentElement)),
    );
    for (const el of dataElements) {
      const t = el.innerText;
      if (t && t.trim()) visible = visible.replace(t, '\n');
    }
    return {
      url: location.href,
      htmlLang,
      innerText: document.body ? document.body.innerText : '',
      visible,
      texts,
    };
  });
}

/**
 * The translation problems of a page read with `pageText`, as strings naming where
 * each is; `[]` when there are none.
 */
export function translationProblems(snapshot, lang, { catalog = loadCatalog(), ignore = [] } = {}) {
  if (!LANGS.includes(lang)) throw new Error(`unknown language '${lang}' (one of ${LANGS.join(', ')})`);
  const problems = [];
  const reported = new Set();
  const report = (id, message) => {
    if (reported.has(id)) return;
    reported.add(id);
    problems.push(message);
  };

  if (snapshot.htmlLang !== lang) {
    report('html-lang', `<html lang="${snapshot.htmlLang}">, expected "${lang}"`);
  }

  // Raw keys, anywhere.
  const prefixes = new Set([...catalog.keys()].map((k) => k.split('.')[0]));
  const keyLike = /(?<![\w@/.:\\-])[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+(?![\w/-]|\.[a-z0-9])/g;
  const everywhere = [...snapshot.texts, { text: snapshot.innerText, where: 'page text' }];
  for (const { text, where } of everywhere) {
    for (const m of text.matchAll(keyLike)) {
      const token = m[0];
      const parts = token.split('.');
      if (catalog.has(token)) {
        report(`key:${token}`, `catalog key "${token}" shown raw (${where})`);
      } else if (prefixes.has(parts[0]) && !NOT_KEY_ENDINGS.has(parts[parts.length - 1])) {
        report(`key:${token}`, `"${token}" looks like a catalog key the catalog lacks (${where})`);
      }
    }
  }

  // Phrases of another language, outside data.
  const skip = [...DATA_STRINGS, ...ignore].filter(Boolean).sort((a, b) => b.length - a.length);
  const clean = (t) => {
    let out = t;
    for (const s of skip) if (out.includes(s)) out = out.split(s).join('\n');
    return out;
  };
  const checked = [
    ...snapshot.texts.filter((t) => !t.data),
    { text: snapshot.visible.replace(/\s+/g, ' '), where: 'page text' },
  ].map((t) => ({ ...t, text: clean(t.text) }));
  for (const phrase of foreignPhrases(catalog, lang)) {
    for (const { text, where } of checked) {
      const found = standingAt(text, phrase);
      if (!found) continue;
      const context = text.slice(Math.max(0, found.at - 30), found.at + found.length + 30).replace(/\s+/g, ' ');
      report(
        `phrase:${phrase.text}`,
        `${phrase.from} phrase "${phrase.text}" (${phrase.key}) on a ${lang} page (${where}): …${context}…`,
      );
      break;
    }
  }
  return problems;
}

/** The translation problems of `page` (in `lang`, default the language it was opened in). */
export async function findTranslationProblems(page, lang = pageOptions(page).lang, options = {}) {
  return translationProblems(await pageText(page), lang, options);
}

/**
 * Asserts `page` shows no raw key and nothing in another language than `lang`, and
 * says `<html lang="lang">`; the failure lists every problem with the page's URL.
 * Options: `ignore` (more data strings to leave out).
 */
export async function checkTranslations(page, lang = pageOptions(page).lang, options = {}) {
  const problems = await findTranslationProblems(page, lang, options);
  if (problems.length > 0) {
    assert.fail(`${page.url()} (${lang}): ${problems.length} translation problem(s):\n  - ${problems.join('\n  - ')}`);
  }
}

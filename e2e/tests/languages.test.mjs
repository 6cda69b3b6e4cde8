// The site speaks the visitor's language: the browser's Accept-Language picks it for a
// new visitor, the switcher changes it, and the choice is remembered (cookie) on the
// next page. Every page in the three languages is free of translation problems.

import assert from 'node:assert/strict';
import {
  LANGS,
  checkAccessibility,
  checkTranslations,
  expectText,
  newPage,
  pageText,
  setup,
  shot,
  test,
  translationProblems,
} from '../lib/index.mjs';

setup();

// What the header says in each language, written out by hand (common.toml's phrases).
const HEADER = {
  'zh-Hans': { brand: '足迹 Zuji', login: '登录', skip: '跳到正文' },
  'zh-Hant': { brand: '足跡 Zuji', login: '登入', skip: '跳到正文' },
  en: { brand: 'Zuji', login: 'Sign in', skip: 'Skip to content' },
};

async function expectLanguage(page, lang) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${page.url()} should be in ${lang}`);
  await expectText(page.locator('header a.brand'), HEADER[lang].brand);
  await expectText(page.locator('[data-testid=nav-login]'), HEADER[lang].login);
  // The switcher marks the language shown.
  assert.equal(await page.locator(`nav.langs a[hreflang="${lang}"]`).getAttribute('aria-current'), 'true');
}

test('the home page in each language, chosen by the browser', async () => {
  for (const lang of LANGS) {
    const page = await newPage({ lang });
    const r = await page.goto('/');
    assert.equal(r.status(), 200, `GET / in ${lang}`);
    await expectLanguage(page, lang);
    await checkTranslations(page, lang);
    await checkAccessibility(page);
    await shot(page, `home-${lang}`);
  }
});

test('the translation check sees a page in the wrong language', async () => {
  // Not a test of the site: a check that finds nothing on a real page proves nothing.
  const page = await newPage({ lang: 'zh-Hans' });
  await page.goto('/');
  const text = await pageText(page);
  assert.deepEqual(translationProblems(text, 'zh-Hans'), []);
  for (const other of ['zh-Hant', 'en']) {
    const problems = translationProblems({ ...text, htmlLang: other }, other);
    // The header and the footer alone hold five phrases that differ in every language.
    assert.ok(problems.length >= 5, `a zh-Hans page read as ${other}: only ${problems.length} problem(s):\n${problems.join('\n')}`);
    assert.ok(problems.some((p) => p.includes('(site.tagline)')), problems.join('\n'));
  }
});

test("a new visitor gets the first of the browser's languages Zuji has", async () => {
  const cases = [
    ['zh-CN,zh;q=0.9', 'zh-Hans'],
    ['zh-TW,zh;q=0.9', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-Hant-MO', 'zh-Hant'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR,en-GB;q=0.8,zh-CN;q=0.5', 'en'],
    ['de-DE,fr;q=0.8,zh-HK;q=0.5', 'zh-Hant'],
    // None Zuji has: 简体中文.
    ['fr-FR', 'zh-Hans'],
  ];
  for (const [acceptLanguage, lang] of cases) {
    const page = await newPage({ lang: 'en', acceptLanguage });
    await page.goto('/login');
    assert.equal(await page.locator('html').getAttribute('lang'), lang, `Accept-Language: ${acceptLanguage}`);
    await page.context().close();
  }
});

test('the switcher changes the language and the next page remembers it', async () => {
  const page = await newPage({ lang: 'zh-Hans' });
  await page.goto('/');
  await expectLanguage(page, 'zh-Hans');

  await page.locator('nav.langs a[hreflang="en"]').click();
  await page.waitForURL(/[?&]lang=en\b/);
  await expectLanguage(page, 'en');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'zuji_lang');
  assert.equal(cookie?.value, 'en', 'the choice is kept in the zuji_lang cookie');
  await shot(page, 'switcher-en');

  // The next page, without ?lang=, in a browser that asks for Chinese: English, remembered.
  await page.goto('/login');
  await expectLanguage(page, 'en');
  await expectText(page.locator('main h1'), 'Sign in');

  await page.locator('nav.langs a[hreflang="zh-Hant"]').click();
  await page.waitForURL(/[?&]lang=zh-Hant\b/);
  await expectLanguage(page, 'zh-Hant');
  // The switcher keeps the page: still the sign-in page.
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.goto('/');
  await expectLanguage(page, 'zh-Hant');
  await shot(page, 'switcher-remembered-zh-Hant');
});

test('the sign-in page in each language', async () => {
  for (const lang of LANGS) {
    const page = await newPage({ lang });
    await page.goto('/login');
    await expectLanguage(page, lang);
    await checkTranslations(page, lang);
    await checkAccessibility(page);
    await shot(page, `login-${lang}`);
  }
});

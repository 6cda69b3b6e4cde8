// Keyboard and phone: Tab from the top reaches the skip link first, then the brand; the
// skip link moves focus to the content; one can sign in with the keyboard alone; the
// pages fit a 375 px phone screen without sideways scrolling.

import assert from 'node:assert/strict';
import {
  LANGS,
  PASSWORD,
  PHONE,
  ROLES,
  checkNoHorizontalScroll,
  expectPath,
  newPage,
  setup,
  shot,
  tabOrder,
  test,
} from '../lib/index.mjs';

setup();

const SKIP = { 'zh-Hans': '跳到正文', 'zh-Hant': '跳到正文', en: 'Skip to content' };

test('Tab from the top reaches the skip link, then the brand; the skip link goes to the content', async () => {
  for (const path of ['/', '/login']) {
    for (const lang of LANGS) {
      const page = await newPage({ lang });
      await page.goto(path);
      const [first, second] = await tabOrder(page, 2);
      assert.deepEqual(
        { tag: first?.tag, href: first?.href, text: first?.text },
        { tag: 'a', href: '#main', text: SKIP[lang] },
        `${path} ${lang}: the first Tab`,
      );
      assert.deepEqual({ tag: second?.tag, href: second?.href }, { tag: 'a', href: '/' }, `${path} ${lang}: the second Tab`);
      assert.match(second.className, /\bbrand\b/);
      // The skip link is visible while it has focus (a keyboard user sees where they are).
      await page.keyboard.press('Shift+Tab');
      const skipBox = await page.locator('a.skip').boundingBox();
      assert.ok(skipBox && skipBox.width > 0 && skipBox.y >= 0 && skipBox.y < 200, `${path} ${lang}: skip link on screen when focused: ${JSON.stringify(skipBox)}`);
      if (path === '/' && lang === 'en') await shot(page, 'keyboard-skip-link-focused-en');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `${path} ${lang}: Enter on the skip link`);
      await page.context().close();
    }
  }
});

test('signing in with the keyboard alone', async () => {
  const page = await newPage({ lang: 'zh-Hant' });
  await page.goto('/login');
  let focused = null;
  for (let i = 0; i < 30 && focused !== 'email'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  assert.equal(focused, 'email', 'Tab reaches the e-mail field');
  await page.keyboard.type(ROLES.registry.email);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
  await page.keyboard.type(PASSWORD);
  await shot(page, 'keyboard-login-zh-Hant');
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.keyboard.press('Enter')]);
  expectPath(page, ROLES.registry.home);
});

test('the pages fit a phone screen (375 px) without sideways scrolling', async () => {
  for (const path of ['/', '/login']) {
    for (const lang of LANGS) {
      const page = await newPage({ lang, phone: true });
      await page.goto(path);
      assert.equal(await page.evaluate(() => window.innerWidth), PHONE.width);
      await checkNoHorizontalScroll(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${path} ${lang}: scrollWidth ${width}`);
      await shot(page, `phone-${path === '/' ? 'home' : path.slice(1)}-${lang}`);
      await page.context().close();
    }
  }
});

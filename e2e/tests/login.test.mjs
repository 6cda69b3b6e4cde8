// Signing in through the form: a wrong password is refused in the visitor's language;
// each role lands on its own home; signing out ends the session; `next` is followed only
// on this site.

import assert from 'node:assert/strict';
import {
  LANGS,
  ROLES,
  checkTranslations,
  expectPath,
  expectText,
  login,
  logout,
  newPage,
  setup,
  shot,
  test,
} from '../lib/index.mjs';

const env = setup();

// login.failed in common.toml, written out by hand.
const FAILED = {
  'zh-Hans': '电子邮箱或密码不正确，或账户已停用。',
  'zh-Hant': '電子郵件或密碼不正確，或帳戶已停用。',
  en: 'The e-mail or password is wrong, or the account is disabled.',
};

test('a wrong password is refused, in the language of the page', async () => {
  for (const lang of LANGS) {
    const page = await newPage({ lang });
    await page.goto('/login');
    await page.locator('#email').fill(ROLES.enterprise.email);
    await page.locator('#password').fill('not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.locator('form[action="/login"] [type=submit]').click(),
    ]);
    assert.equal(response.status(), 401);
    await page.waitForLoadState();
    expectPath(page, '/login');
    await expectText(page.locator('[data-testid=login-failed]'), FAILED[lang]);
    // The e-mail is kept for the second try; the password is not.
    assert.equal(await page.locator('#email').inputValue(), ROLES.enterprise.email);
    assert.equal(await page.locator('#password').inputValue(), '');
    assert.equal((await page.context().cookies()).find((c) => c.name === 'zuji_session'), undefined);
    await checkTranslations(page, lang);
    await shot(page, `login-failed-${lang}`);
  }
});

test('each role signs in and lands on its home', async () => {
  for (const role of ['enterprise', 'certifier', 'registry']) {
    const page = await newPage({ lang: 'en' });
    await login(page, role);
    expectPath(page, ROLES[role].home);
    const session = (await page.context().cookies()).find((c) => c.name === 'zuji_session');
    assert.ok(session, `${role}: no session cookie`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
  }
});

test('the header shows who is signed in; signing out ends the session', async () => {
  const page = await newPage({ lang: 'zh-Hans', role: 'certifier' });
  await page.goto('/login');
  await expectText(page.locator('header .who'), ROLES.certifier.email);
  await expectText(page.locator('header .who'), ROLES.certifier.org);
  await expectText(page.locator('[data-testid=nav-certification]'), '认证机构工作台');
  assert.equal(await page.locator('[data-testid=nav-login]').count(), 0);
  await shot(page, 'signed-in-header-certifier-zh-Hans');
  const token = (await page.context().cookies()).find((c) => c.name === 'zuji_session').value;
  const me = (t) => fetch(`${env.server.url}/api/v1/me`, { headers: { authorization: `Bearer ${t}` } });
  assert.equal((await me(token)).status, 200);

  await logout(page);
  expectPath(page, '/');
  assert.equal((await page.context().cookies()).find((c) => c.name === 'zuji_session'), undefined);
  await page.goto('/login');
  await expectText(page.locator('[data-testid=nav-login]'), '登录');
  assert.equal(await page.locator('header .who').count(), 0);
  // The session is revoked, not only forgotten by the browser.
  assert.equal((await me(token)).status, 401);
});

test('after signing in, "next" is followed on this site only', async () => {
  const page = await newPage({ lang: 'en' });
  await login(page, 'enterprise', { next: '/verify/LBL-999999?lang=en' });
  expectPath(page, '/verify/LBL-999999?lang=en');

  const other = await newPage({ lang: 'en' });
  await login(other, 'enterprise', { next: '//evil.example/' });
  expectPath(other, ROLES.enterprise.home);
});

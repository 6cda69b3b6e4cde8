// The page a phone opens from a carbon label's QR code, `/verify/{label_id}`: a label
// issued over the API (enterprise computes and applies, the certification body verifies
// by recomputation, approves and issues) reads as valid, with its value, in each
// language; an id the registry never issued is named as such.

import assert from 'node:assert/strict';
import {
  LANGS,
  certifiedLabel,
  checkAccessibility,
  checkNoHorizontalScroll,
  checkTranslations,
  expectNumber,
  expectText,
  newPage,
  setup,
  shot,
  test,
} from '../lib/index.mjs';

const env = setup({}, (server) => certifiedLabel({ server }));

// verify_page.rs's verdicts, written out by hand.
const VALID = {
  'zh-Hans': '有效：标识真实，证书有效。',
  'zh-Hant': '有效：標識真實，證書有效。',
  en: 'Valid: the label is authentic and its certificate is in force.',
};
const NOT_FOUND = {
  'zh-Hans': '登记处没有这个编号的碳标识。',
  'zh-Hant': '登記處沒有這個編號的碳標識。',
  en: 'The registry has no carbon label with this id.',
};
// examples/lfp-battery-pack.toml states its result: 78.75 kg CO2e per kWh; the page
// shows three significant digits, 78.8.
const LFP_TOTAL = 78.75;
const LFP_SHOWN = 78.8;

test('a scanned label is valid, in the language of the phone', async () => {
  const label = env.prepared;
  assert.equal(label.labelId, 'LBL-000001');
  assert.equal(label.certificateId, 'CERT-000001');
  for (const lang of LANGS) {
    const page = await newPage({ lang, phone: true });
    const r = await page.goto(label.verifyPath);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    const verdict = page.locator('[data-verdict]');
    assert.equal(await verdict.getAttribute('data-verdict'), 'valid');
    await expectText(verdict, VALID[lang]);
    // The value the label states: the example's result, to the precision shown.
    const value = page.locator('dd[data-value]');
    assert.ok(Math.abs(Number(await value.getAttribute('data-value')) - LFP_TOTAL) < 0.005);
    await expectNumber(value, LFP_SHOWN, { tolerance: 1e-9 });
    await expectText(page.locator('dl'), 'CERT-000001');
    await expectText(page.locator('dl'), 'Pearl River Certification');
    await checkTranslations(page, lang);
    await checkAccessibility(page);
    await checkNoHorizontalScroll(page);
    await shot(page, `verify-valid-${lang}`);
  }
});

test('an unknown label id is named as such, in each language', async () => {
  for (const lang of LANGS) {
    const page = await newPage({ lang });
    const r = await page.goto('/verify/LBL-999999');
    assert.equal(r.status(), 404);
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-verdict'), 'not_found');
    await expectText(page.locator('[data-verdict]'), NOT_FOUND[lang]);
    await checkTranslations(page, lang);
    await shot(page, `verify-unknown-${lang}`);
  }
});

// The four role journeys of issue 7, through the pages only, in one server, each building
// on the one before:
//
// 1. the enterprise (简体中文) uploads the battery example, computes it, reads the result,
//    its study report (page and PDF), applies for certification and makes the product
//    public;
// 2. the certification body (繁體中文) takes the application from its queue, reviews the
//    documents, has the platform recompute the footprint, approves and issues the label;
// 3. the public (English; a phone for the label) finds the product in the registry, reads
//    its value, grade and certificate, sees the label and verifies it, opens the
//    certificate PDF;
// 4. the registry operator (简体中文) tries to compute the category's benchmark (one
//    certified product is too few for the PCR), publishes policy values instead, and
//    the public category page shows them.
//
// Each step saves a screenshot (artifacts/journey-…png) and asserts what the page shows.
// Expected words are written out here from the catalog by hand; expected numbers come
// from the example file and from the API's record of the same footprint, formatted by
// the pages' rules (lib/journey.mjs).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BATTERY_PCR,
  ROLES,
  checkNoHorizontalScroll,
  checkTranslations,
  expectPath,
  expectText,
  login,
  newPage,
  setup,
  shot,
  test,
} from '../lib/index.mjs';
import { EXAMPLES_DIR, REPO_ROOT } from '../lib/paths.mjs';
import {
  acceptDialogs,
  apiJson,
  clickAndLoad,
  expectPdf,
  fixed,
  pct,
  reportValue,
  shown,
  sig,
  workspaceTotal,
} from '../lib/journey.mjs';

setup();

const EXAMPLE = path.join(EXAMPLES_DIR, 'lfp-battery-pack.toml');
// examples/lfp-battery-pack.toml states its result: 78.75 kg CO2e per kWh.
const EXAMPLE_TOTAL = 78.75;
// Its [product] name: the pages show the English name (LocalisedName::display).
const PRODUCT_NAME = 'LFP battery pack';
// The PCR's minimum sample for a computed benchmark (crates/trust/data/pcrs/battery-pack.toml).
const PCR_MIN_SAMPLE = Number(
  /^min_sample\s*=\s*(\d+)/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'crates/trust/data/pcrs/battery-pack.toml'), 'utf8'))[1],
);
const CERTIFIER_ORG = ROLES.certifier.org;

// What one journey leaves for the next.
const state = {};

const shotName = (journey, n, step) => `journey-${journey}-${String(n).padStart(2, '0')}-${step}`;

// ---------------------------------------------------------------------------------
// 1. The enterprise, in 简体中文

// Phrases from crates/server/locales/workspace.toml, zh-Hans, by hand.
const WS = {
  newProduct: '新建产品',
  done: '已完成',
  queued: '排队中',
  running: '计算中',
  byStage: '按生命周期阶段',
  stages: {
    'raw-material-acquisition': '原材料获取',
    production: '生产',
    distribution: '分销',
    use: '使用',
    'end-of-life': '生命末期',
  },
  submitted: '已提交',
  isPublic: '已公开',
};
// crates/report/src/strings.rs, zh-Hans: the report's title.
const REPORT_TITLE_ZH = '产品碳足迹研究报告';

test('1 · the enterprise uploads the battery example, computes it and applies for certification (zh-Hans)', async () => {
  const J = 'enterprise';
  const page = await newPage({ lang: 'zh-Hans' });
  const dialogs = acceptDialogs(page);

  // Sign in through the form.
  await page.goto('/login');
  await shot(page, shotName(J, 1, 'login'));
  await login(page, 'enterprise');
  expectPath(page, '/app');
  await expectText(page.locator('header .who'), ROLES.enterprise.email);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 2, 'dashboard'));

  // A new product from the example file, through the file input.
  await clickAndLoad(page, page.locator('nav.no-print a[href="/app/products/new"]'));
  expectPath(page, '/app/products/new');
  await expectText(page.locator('main h1'), WS.newProduct);
  await page.locator('#file').setInputFiles(EXAMPLE);
  await shot(page, shotName(J, 3, 'upload-form'));
  await clickAndLoad(page, page.getByTestId('upload-submit'), { url: /\/app\/products\/\d+$/ });
  const productId = Number(/\/app\/products\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
  await expectText(page.getByTestId('product-name'), PRODUCT_NAME);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 4, 'product'));

  // Compute; the job's page refreshes itself and leads on to the footprint.
  await clickAndLoad(page, page.getByTestId('compute'), { url: /\/app\/(jobs|footprints)\/\d+$/ });
  if (new URL(page.url()).pathname.startsWith('/app/jobs/')) {
    // Caught while it runs (a fast machine may be done before the page is shown); the
    // page reloads itself every two seconds, so read where it is and what it says at once.
    const seen = await page
      .evaluate(() => ({
        path: location.pathname,
        status: document.querySelector('[data-testid=footprint-status]')?.textContent.trim() ?? null,
        refreshes: document.querySelector('[data-refresh-seconds]') !== null,
      }))
      .catch(() => null);
    if (seen?.path.startsWith('/app/jobs/') && seen.refreshes) {
      assert.ok([WS.queued, WS.running].includes(seen.status), `job status shown: ${seen.status}`);
    }
    await shot(page, shotName(J, 5, 'calculating'));
  }
  // Until the footprint's page, unless the job's page says the calculation failed.
  let computed = false;
  const failed = page
    .waitForSelector('[data-testid=footprint-status].bad', { timeout: 150_000 })
    .then(async () => (computed ? null : `the calculation failed: ${await page.locator('main').innerText().catch(() => '')}`))
    .catch(() => null);
  await Promise.race([
    page.waitForURL(/\/app\/footprints\/\d+$/, { timeout: 150_000 }),
    failed.then((problem) => problem && assert.fail(problem)),
  ]);
  computed = true;
  const footprintId = Number(/\/app\/footprints\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
  await expectText(page.getByTestId('footprint-status'), WS.done);

  // The total shown is the stored footprint's (read from the API with the same session),
  // written as the workspace writes totals; and it is the example's stated result.
  const api = await apiJson(page, `/footprints/${footprintId}`);
  assert.equal(api.product_id, productId);
  assert.ok(Math.abs(api.total - EXAMPLE_TOTAL) < 0.005, `the API's total ${api.total}, the example states ${EXAMPLE_TOTAL}`);
  assert.equal(await shown(page.getByTestId('footprint-total')), workspaceTotal(api.total));
  assert.equal(workspaceTotal(api.total), '78.75');
  await expectText(page.getByTestId('fingerprint'), api.fingerprint);

  // The breakdown by life-cycle stage: every stage of the result, named and valued.
  const stageCard = page.locator('section.card', { has: page.locator('h2', { hasText: WS.byStage }) });
  await expectText(stageCard.locator('h2'), WS.byStage);
  const stages = api.result.by_stage;
  assert.ok(stages.length >= 2, `the example has several stages: ${JSON.stringify(stages)}`);
  assert.equal(await stageCard.locator('.bars .bar-row').count(), stages.length, 'one bar per stage');
  const rows = stageCard.locator('table tbody tr');
  assert.equal(await rows.count(), stages.length, 'one table row per stage');
  for (const [i, st] of stages.entries()) {
    const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(cells, [WS.stages[st.stage], sig(st.value), pct(st.share)], `stage row ${i + 1} (${st.stage})`);
  }
  const stageSum = stages.reduce((a, s) => a + s.value, 0);
  assert.ok(Math.abs(stageSum - api.total) < 1e-6, `the stages add up to the total: ${stageSum} vs ${api.total}`);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 6, 'result'));

  // The study report as a page…
  const pdfHref = await page.getByTestId('report-pdf').getAttribute('href');
  await clickAndLoad(page, page.getByTestId('report-html'), { url: /\/report$/ });
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
  await expectText(page.locator('h1').first(), REPORT_TITLE_ZH);
  await expectText(page.locator('main'), PRODUCT_NAME);
  await expectText(page.locator('main'), reportValue(api.total, 'zh-Hans'));
  await shot(page, shotName(J, 7, 'study-report'));
  await page.goBack();
  expectPath(page, `/app/footprints/${footprintId}`);
  // …and as a PDF.
  assert.equal(pdfHref, `/app/footprints/${footprintId}/report.pdf`);
  await expectPdf(page, pdfHref);

  // Apply for certification to the seeded body, under the product's PCR.
  await clickAndLoad(page, page.getByTestId('apply-link'), { url: /\/app\/applications\/new\?/ });
  await expectText(page.locator('main'), workspaceTotal(api.total));
  assert.equal(await page.locator('.notice.bad[role=alert]').count(), 0, 'the PCR check blocks nothing');
  // The model's own PCR is chosen already.
  assert.equal(await page.locator('#pcr').inputValue(), BATTERY_PCR);
  await page.locator('#body').selectOption({ label: CERTIFIER_ORG });
  await page.locator('#pcr').selectOption(BATTERY_PCR);
  const bom = 'Bill of materials, LFP pack, 2024';
  const bomSha = crypto.createHash('sha256').update(bom).digest('hex');
  await page.locator('#documents').fill(`${bomSha}  bill-of-materials-2024.xlsx\n`);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 8, 'apply'));
  await clickAndLoad(page, page.getByTestId('apply-submit'), { url: /\/app\/applications\/[^/?]+$/ });
  const applicationId = decodeURIComponent(/\/app\/applications\/([^/?]+)$/.exec(new URL(page.url()).pathname)[1]);
  await expectText(page.getByTestId('application-status'), WS.submitted);
  const summary = page.locator('main dl.kv').first();
  await expectText(summary, CERTIFIER_ORG);
  await expectText(summary, BATTERY_PCR);
  await expectText(summary, api.fingerprint);
  await expectText(page.locator('main'), bomSha);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 9, 'application-submitted'));

  // Make the product public (the registry then shows its stages).
  await page.goto('/app/disclosure');
  const row = page.locator('tr', { has: page.locator(`a[href="/app/products/${productId}"]`) });
  await clickAndLoad(page, row.locator('button[type=submit]'));
  assert.equal(dialogs.length, 1, `one confirmation asked: ${JSON.stringify(dialogs)}`);
  await expectText(page.locator('tr', { has: page.locator(`a[href="/app/products/${productId}"]`) }).getByTestId('disclosure-state'), WS.isPublic);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 10, 'disclosed'));

  Object.assign(state, { productId, footprintId, applicationId, total: api.total, fingerprint: api.fingerprint, stages });
});

// ---------------------------------------------------------------------------------
// 2. The certification body, in 繁體中文

// crates/server/locales/desk.toml, zh-Hant, by hand.
const DESK = {
  submitted: '已提交',
  underReview: '審核中',
  approved: '已批准',
  valid: '有效',
  doneStart: '已受理，文件審核開始。',
  doneReview: '文件審核已完成。',
  doneVerification: '已請求平台複算。',
  doneApprove: '已批准，證書已簽發並寫入透明日誌。',
  doneLabel: '碳標識已頒發、簽名並寫入透明日誌。',
  blockerReview: '文件審核尚未完成。',
  blockerNotVerified: '足跡尚未經平台複算核驗。',
  blockerVisit: '尚未記錄現場檢查。',
  matchStart: '指紋一致：平台於',
  matchEnd: '複算得到與申請相同的結果指紋，足跡已核驗。',
  approvable: '批准條件均已滿足：批准後將以本機構金鑰簽發證書。',
  noGrade: '無等級（尚無基準值）',
};

test('2 · the certification body reviews, recomputes, approves and issues the label (zh-Hant)', async () => {
  assert.ok(state.applicationId, 'journey 1 left an application');
  const J = 'certifier';
  const page = await newPage({ lang: 'zh-Hant', role: 'certifier' });
  const dialogs = acceptDialogs(page);
  expectPath(page, '/desk/certification');

  // The queue lists the application, submitted.
  const queued = page.locator(`tr[data-application="${state.applicationId}"]`);
  await expectText(queued, PRODUCT_NAME);
  await expectText(queued, ROLES.enterprise.org);
  await expectText(queued.getByTestId('queue-status'), DESK.submitted);
  assert.equal(await queued.getByTestId('queue-status').getAttribute('data-status'), 'submitted');
  await checkTranslations(page, 'zh-Hant');
  await shot(page, shotName(J, 1, 'queue'));

  await clickAndLoad(page, queued.locator(`a[href="/desk/certification/applications/${state.applicationId}"]`));
  const status = page.getByTestId('application-status');
  await expectText(status, DESK.submitted);
  // What the enterprise applied with: its total and fingerprint.
  assert.equal(await shown(page.getByTestId('review-fingerprint')), state.fingerprint);
  assert.ok((await shown(page.getByTestId('review-total'))).length > 0);
  await checkTranslations(page, 'zh-Hant');
  await shot(page, shotName(J, 2, 'application'));

  // Accept it: the document review starts.
  await clickAndLoad(page, page.getByTestId('start-review'));
  await expectText(page.getByTestId('desk-notice'), DESK.doneStart);
  await expectText(status, DESK.underReview);
  assert.equal(await status.getAttribute('data-status'), 'under_review');
  // Approval waits for the review and the recomputation.
  const blockers = page.getByTestId('approval-blockers');
  await expectText(blockers, DESK.blockerReview);
  await expectText(blockers, DESK.blockerNotVerified);
  await shot(page, shotName(J, 3, 'under-review'));

  // Complete the document review.
  await page.locator('#review-note').fill('物料清單與電錶紀錄已核對');
  await clickAndLoad(page, page.getByTestId('complete-review'));
  await expectText(page.getByTestId('desk-notice'), DESK.doneReview);
  assert.equal(await blockers.getByText(DESK.blockerReview).count(), 0, 'the review is no longer a blocker');
  await shot(page, shotName(J, 4, 'documents-reviewed'));

  // Have the platform recompute; the page refreshes itself until the verdict is in.
  await clickAndLoad(page, page.getByTestId('recompute'));
  await expectText(page.getByTestId('desk-notice'), DESK.doneVerification).catch(() => {
    // The verdict may already be in and the page refreshed without the notice.
  });
  await shot(page, shotName(J, 5, 'recomputing'));
  await page.waitForSelector('[data-testid=fingerprint-verdict][data-verdict=match], [data-testid=fingerprint-verdict][data-verdict=mismatch], [data-testid=fingerprint-verdict][data-verdict=failed]', {
    timeout: 150_000,
  });
  const verdict = page.getByTestId('fingerprint-verdict');
  assert.equal(await verdict.getAttribute('data-verdict'), 'match', `verdict: ${await shown(verdict)}`);
  const verdictText = await shown(verdict);
  assert.ok(verdictText.startsWith(DESK.matchStart) && verdictText.includes(DESK.matchEnd), verdictText);
  assert.equal(await shown(page.getByTestId('fingerprint-applied')), state.fingerprint);
  assert.equal(await shown(page.getByTestId('fingerprint-recomputed')), state.fingerprint);
  await checkTranslations(page, 'zh-Hant');
  await shot(page, shotName(J, 6, 'fingerprint-match'));

  // An on-site visit, if this body's rules ask for one before approval.
  if ((await page.getByTestId('approval-blockers').count()) > 0 && (await blockers.getByText(DESK.blockerVisit).count()) > 0) {
    await page.locator('#visit-date').fill(new Date().toISOString().slice(0, 10));
    await page.locator('#visit-site').fill('佛山電池包廠');
    await page.locator('#visit-auditor').fill('陳審核員');
    await clickAndLoad(page, page.locator('form:has(#visit-date) button[type=submit]'));
  }
  await expectText(page.getByTestId('approval-ready'), DESK.approvable);

  // Approve: the certificate, valid.
  await clickAndLoad(page, page.getByTestId('approve'));
  assert.equal(dialogs.length, 1, `approval asks for confirmation: ${JSON.stringify(dialogs)}`);
  await expectText(page.getByTestId('desk-notice'), DESK.doneApprove);
  await expectText(status, DESK.approved);
  const certificateId = await shown(page.getByTestId('certificate-id'));
  assert.match(certificateId, /^CERT-\d{6}$/);
  await expectText(page.getByTestId('certificate-status'), DESK.valid);
  assert.equal(await page.getByTestId('certificate-status').getAttribute('data-status'), 'valid');
  assert.equal(await page.getByTestId('certificate-pdf').getAttribute('href'), `/registry/certificates/${certificateId}.pdf`);
  await checkTranslations(page, 'zh-Hant');
  await shot(page, shotName(J, 7, 'approved'));

  // Issue the carbon label.
  await clickAndLoad(page, page.getByTestId('issue-label'));
  await expectText(page.getByTestId('desk-notice'), DESK.doneLabel);
  const labelLink = page.getByTestId('label-id');
  assert.equal(await labelLink.count(), 1);
  const labelId = await shown(labelLink);
  assert.match(labelId, /^LBL-\d{6}$/);
  const labelRow = page.locator('tr', { has: labelLink });
  await expectText(labelRow, `${sig(state.total)} kg`);
  await expectText(labelRow, DESK.noGrade);
  await checkTranslations(page, 'zh-Hant');
  await shot(page, shotName(J, 8, 'label-issued'));

  // The registry's record of the label: this certificate, this product, this value.
  const { label } = await apiJson(page, `/labels/${encodeURIComponent(labelId)}`);
  assert.equal(label.certificate_id, certificateId);
  assert.equal(label.product_id, state.productId);
  assert.equal(label.statement.value, state.total);
  // The certificate as a PDF, from the desk's link.
  await expectPdf(page, await page.getByTestId('certificate-pdf').getAttribute('href'));

  Object.assign(state, { certificateId, labelId });
});

// ---------------------------------------------------------------------------------
// 3. The public, in English (the label and its verification on a phone)

// crates/server/locales/registry.toml and verify_page.rs, en, by hand.
const PUBLIC = {
  notGraded: 'Not graded',
  notGradedWhy: 'Not graded: the category had no benchmark when the label was issued.',
  certificateValid: 'Certificate valid',
  verified: 'Verified: the label is authentic and its certificate is in force.',
  verifyValid: 'Valid: the label is authentic and its certificate is in force.',
  summary: 'Certified products found: 1',
};

test('3 · the public finds the product, reads its label and verifies it (en, phone)', async () => {
  assert.ok(state.labelId, 'journey 2 issued a label');
  const J = 'public';
  const productPath = `/registry/products/${state.productId}`;

  // Search by name on a computer.
  const desk = await newPage({ lang: 'en' });
  await desk.goto('/registry');
  await desk.locator('#f-q').fill(PRODUCT_NAME);
  await clickAndLoad(desk, desk.locator('form[role=search] button[type=submit]'), { url: /\/registry\?/ });
  await expectText(desk.getByTestId('search-summary'), PUBLIC.summary);
  const hit = desk.locator(`[data-testid=search-result][data-product-id="${state.productId}"]`);
  await expectText(hit, PRODUCT_NAME);
  await expectText(hit, ROLES.enterprise.org);
  await expectText(hit, `${sig(state.total)} kg`);
  await expectText(hit, PUBLIC.notGraded);
  await expectText(hit, state.labelId);
  await expectText(hit, PUBLIC.certificateValid);
  await checkTranslations(desk, 'en');
  await shot(desk, shotName(J, 1, 'search'));

  // The product's page.
  await clickAndLoad(desk, hit.locator(`a[href="${productPath}"]`));
  await checkProductPage(desk);
  await checkTranslations(desk, 'en');
  await shot(desk, shotName(J, 2, 'product'));
  const certificatePdf = desk.locator(`a[href="/registry/certificates/${state.certificateId}.pdf"]`);

  // The same page on a phone: the label image loads; the verification.
  const phone = await newPage({ lang: 'en', phone: true });
  await phone.goto(productPath);
  await checkProductPage(phone);
  const img = phone.getByTestId('label-image');
  await img.scrollIntoViewIfNeeded();
  await phone.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 15_000 });
  assert.ok((await img.evaluate((el) => el.naturalWidth)) > 0, 'the label image loaded');
  assert.match(await img.getAttribute('alt'), new RegExp(state.labelId));
  await checkNoHorizontalScroll(phone);
  await checkTranslations(phone, 'en');
  await shot(phone, shotName(J, 3, 'product-phone'));

  await clickAndLoad(phone, phone.locator(`a[href^="/verify/${state.labelId}"]`).first(), { url: /\/verify\// });
  const v = phone.locator('[data-verdict]');
  assert.equal(await v.getAttribute('data-verdict'), 'valid');
  await expectText(v, PUBLIC.verifyValid);
  await expectText(phone.locator('dl'), state.certificateId);
  await expectText(phone.locator('dl'), CERTIFIER_ORG);
  assert.equal(Number(await phone.locator('dd[data-value]').getAttribute('data-value')), state.total);
  await checkNoHorizontalScroll(phone);
  await checkTranslations(phone, 'en');
  await shot(phone, shotName(J, 4, 'verify-phone'));

  // The certificate as a PDF, from the product's page: the public may download it…
  await expectPdf(desk, `/registry/certificates/${state.certificateId}.pdf`);
  // …and the page links to it.
  assert.equal(
    await certificatePdf.count(),
    1,
    `${productPath} links to no /registry/certificates/${state.certificateId}.pdf (templates/web/registry/product.html shows the certificate without its PDF)`,
  );
  await expectPdf(desk, await certificatePdf.getAttribute('href'));
});

/** The public product page: value, grade (none yet), certificate valid, the label verified. */
async function checkProductPage(page) {
  await expectText(page.getByTestId('product-name'), PRODUCT_NAME);
  const value = page.getByTestId('product-value');
  assert.equal(await shown(value), sig(state.total));
  assert.equal(Number(await value.getAttribute('data-value')), state.total);
  await expectText(page.getByTestId('product-unit'), 'kg CO2e / 1 kWh');
  // Not graded: no benchmark existed when the label was issued.
  await expectText(page.getByTestId('product-grade'), PUBLIC.notGraded);
  await expectText(page.locator('main'), PUBLIC.notGradedWhy);
  await expectText(page.getByTestId('certificate-status'), PUBLIC.certificateValid);
  assert.equal(await page.getByTestId('certificate-status').getAttribute('data-status'), 'valid');
  await expectText(page.getByTestId('certificate-id'), state.certificateId);
  await expectText(page.getByTestId('label-id'), state.labelId);
  assert.equal(await page.getByTestId('label-verdict').getAttribute('data-verdict'), 'valid');
  await expectText(page.getByTestId('label-verdict'), PUBLIC.verified);
  // Disclosed by the enterprise: the stages are shown, each with its value.
  const stages = page.getByTestId('product-stages');
  assert.equal(await stages.locator('.bar-row').count(), state.stages.length);
  for (const st of state.stages) await expectText(stages, sig(st.value));
}

// ---------------------------------------------------------------------------------
// 4. The registry operator, in 简体中文

// crates/server/locales/desk.toml and registry.toml, zh-Hans, by hand.
const REG = {
  benchTitle: '类别基准值（默认值、平均值、先进值）',
  donePolicy: '政策基准值已发布。',
  none: '尚未发布基准值。',
  refusedStart: '未执行，未做任何更改（',
  policySource: '由政策文件规定：',
};
// Policy values (kg CO2e per kWh): advanced ≤ average ≤ default, no rounding ties in
// either page's format.
const POLICY = {
  period: '2025',
  default: 120,
  average: 95.5,
  advanced: 62.4,
  source: '湾区动力电池碳足迹分级指引（试行）第 3 条',
  licence: 'CC BY 4.0',
};

test('4 · the registry operator publishes the category benchmark; the public category page shows it (zh-Hans)', async () => {
  assert.ok(state.labelId, 'journey 2 certified the product');
  const J = 'registry';
  const page = await newPage({ lang: 'zh-Hans', role: 'registry' });
  expectPath(page, '/desk/registry');
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 1, 'desk'));

  await clickAndLoad(page, page.locator('a[href="/desk/registry/benchmarks"]').first());
  await expectText(page.locator('main h1'), REG.benchTitle);
  const card = page.locator(`section[data-pcr="${BATTERY_PCR}"]`);
  await expectText(card.getByTestId('benchmark-none'), REG.none);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 2, 'benchmarks'));

  // Computed from certified footprints: one certified product is fewer than the PCR's
  // minimum sample, and the refusal says so.
  await page.locator('#computed-pcr').selectOption(BATTERY_PCR);
  await page.locator('#computed-period').fill('2024');
  const refused = await clickAndLoad(page, page.locator('[data-testid=form-computed] button[type=submit]'));
  assert.equal(refused.status(), 422);
  const notice = page.getByTestId('desk-notice');
  const message = await shown(notice);
  assert.ok(message.startsWith(REG.refusedStart), message);
  // It names the sample found (1) and the PCR's minimum (whatever language it is in).
  const numbers = (message.match(/\d+/g) ?? []).map(Number);
  assert.ok(numbers.includes(1) && numbers.includes(PCR_MIN_SAMPLE), `the refusal names the sample size (1) and the minimum (${PCR_MIN_SAMPLE}): ${message}`);
  await expectText(notice, BATTERY_PCR);
  assert.equal(await card.getByTestId('benchmark-none').count(), 1, 'nothing was published');
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 3, 'computed-refused'));

  // Policy values instead.
  const form = page.getByTestId('form-policy');
  await page.locator('#policy-pcr').selectOption(BATTERY_PCR);
  await page.locator('#policy-period').fill(POLICY.period);
  await page.locator('#policy-default').fill(String(POLICY.default));
  await page.locator('#policy-average').fill(String(POLICY.average));
  await page.locator('#policy-advanced').fill(String(POLICY.advanced));
  await page.locator('#policy-source').fill(POLICY.source);
  await page.locator('#policy-licence').fill(POLICY.licence);
  await shot(page, shotName(J, 4, 'policy-form'));
  await clickAndLoad(page, form.locator('button[type=submit]'), { url: /\/desk\/registry\/benchmarks\?done=/ });
  await expectText(page.getByTestId('desk-notice'), REG.donePolicy);
  // The desk shows them with two decimals.
  for (const k of ['default', 'average', 'advanced']) {
    const el = card.getByTestId(`benchmark-${k}`);
    assert.equal(await shown(el), fixed(POLICY[k], 2), `desk ${k}`);
    assert.equal(Number(await el.getAttribute('data-value')), POLICY[k]);
  }
  await expectText(card, `${POLICY.period} v1`);
  await expectText(card, POLICY.source);
  await expectText(card, POLICY.licence);
  await checkTranslations(page, 'zh-Hans');
  await shot(page, shotName(J, 5, 'policy-published'));

  // The public category page of the PCR: the same three values, three significant digits.
  const visitor = await newPage({ lang: 'zh-Hans' });
  await visitor.goto(`/registry/categories/${encodeURIComponent(BATTERY_PCR)}`);
  for (const k of ['default', 'average', 'advanced']) {
    const el = visitor.getByTestId(`benchmark-${k}`);
    assert.equal(await shown(el), sig(POLICY[k]), `category ${k}`);
    assert.equal(Number(await el.getAttribute('data-value')), POLICY[k]);
  }
  await expectText(visitor.getByTestId('benchmark-source'), REG.policySource);
  await expectText(visitor.getByTestId('benchmark-source'), POLICY.source);
  // The certified product is ranked in its category.
  await expectText(visitor.locator(`[data-testid=ranking-row][data-product-id="${state.productId}"]`), sig(state.total));
  await checkTranslations(visitor, 'zh-Hans');
  await shot(visitor, shotName(J, 6, 'category-public'));
});

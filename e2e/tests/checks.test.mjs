// The checkers themselves, on pages written here with known problems planted: a checker
// that never fails would let every page pass. No server needed.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  accessibilityProblems,
  browser,
  closeBrowser,
  horizontalOverflow,
  loadCatalog,
  pageText,
  parsePhraseLine,
  translationProblems,
} from '../lib/index.mjs';

after(closeBrowser);

async function snapshot(html) {
  const b = await browser();
  const page = await b.newPage();
  try {
    await page.setContent(html);
    return { text: await pageText(page), a11y: await accessibilityProblems(page), overflow: await horizontalOverflow(page) };
  } finally {
    await page.close();
  }
}

// A small catalog written out here, so the expectations don't depend on today's phrases.
const CATALOG = new Map(
  [
    ['nav.login', '登录', '登入', 'Sign in'],
    ['nav.registry', '认证产品', '認證產品', 'Certified products'],
    ['site.api', '开放接口（OpenAPI）', '開放介面（OpenAPI）', 'Open API (OpenAPI)'],
    ['common.back', '返回', '返回', 'Go back'],
    ['common.per', '每', '每', 'per'],
    ['registry.found', '找到 {count} 个产品', '找到 {count} 個產品', '{count} products found'],
    ['unit.kgco2e', 'kg CO₂e', 'kg CO₂e', 'kg CO₂e'],
    ['registry.footprint', '产品碳足迹', '產品碳足跡', 'Product carbon footprint'],
    ['registry.percentile', '第 {p} 百分位数', '第 {p} 百分位數', 'the {p}th percentile'],
  ].map(([k, hans, hant, en]) => [k, { 'zh-Hans': hans, 'zh-Hant': hant, en }]),
);

const page = (lang, body) => `<!doctype html><html lang="${lang}"><head><title>t</title></head><body>${body}</body></html>`;

test('the catalog line reader takes basic and literal strings with escapes', () => {
  const line = String.raw`"a.b_c-1" = { zh-Hans = "引\"号\u4E2D", zh-Hant = '字面\n', en = "tab\there" } # note`;
  assert.deepEqual(parsePhraseLine(line), {
    key: 'a.b_c-1',
    values: { 'zh-Hans': '引"号中', 'zh-Hant': '字面\\n', en: 'tab\there' },
  });
  assert.throws(() => parsePhraseLine('"a.b" = { en = "open'), /not closed/);
  assert.throws(() => parsePhraseLine('a.b = { en = "x" }'), /in quotes/);
});

test('the real catalog is read: every key has three languages', () => {
  const catalog = loadCatalog();
  // common.toml's first phrase, as written there.
  assert.deepEqual(
    { ...catalog.get('site.name'), file: undefined, line: undefined },
    { 'zh-Hans': '足迹 Zuji', 'zh-Hant': '足跡 Zuji', en: 'Zuji', file: undefined, line: undefined },
  );
  assert.ok(catalog.size >= 50, `only ${catalog.size} phrases read`);
});

test('a clean page in each language has no translation problem', async () => {
  const hans = await snapshot(
    page('zh-Hans', '<a href="/login">登录</a> <p>找到 12 个产品</p> <p>开放接口（OpenAPI）</p> <p>3.5 kg CO₂e</p>'),
  );
  assert.deepEqual(translationProblems(hans.text, 'zh-Hans', { catalog: CATALOG }), []);
  const en = await snapshot(page('en', '<a href="/login">Sign in</a> <p>12 products found</p>'));
  assert.deepEqual(translationProblems(en.text, 'en', { catalog: CATALOG }), []);
});

test('raw keys, other-language phrases and a wrong html lang are found', async () => {
  const s = await snapshot(
    page(
      'zh-Hant',
      `<h1>nav.registry</h1>
       <p title="registry.search_hint">登录</p>
       <p>Sign in</p>
       <button aria-label="Certified products">x</button>
       <p>找到 3 个产品</p>`,
    ),
  );
  const problems = translationProblems(s.text, 'zh-Hant', { catalog: CATALOG });
  const has = (re) => assert.ok(problems.some((p) => re.test(p)), `no problem matching ${re} in:\n${problems.join('\n')}`);
  has(/catalog key "nav\.registry" shown raw \(text of <h1>\)/);
  has(/"registry\.search_hint" looks like a catalog key the catalog lacks \(title of <p>\)/);
  has(/zh-Hans phrase "登录" \(nav\.login\) on a zh-Hant page/);
  has(/en phrase "Sign in" \(nav\.login\) on a zh-Hant page/);
  has(/en phrase "Certified products" \(nav\.registry\) on a zh-Hant page \(aria-label of <button>\)/);
  // A phrase with a placeholder is found whatever fills it.
  has(/zh-Hans phrase "找到 \{count\} 个产品" \(registry\.found\)/);
  assert.equal(problems.length, 6, problems.join('\n'));

  const wrongLang = await snapshot(page('en', '<p>Sign in</p>'));
  assert.deepEqual(translationProblems(wrongLang.text, 'zh-Hans', { catalog: CATALOG }), [
    '<html lang="en">, expected "zh-Hans"',
    'en phrase "Sign in" (nav.login) on a zh-Hans page (text of <p>): …Sign in…',
  ]);
});

test('data, the language switcher, hosts and e-mail addresses are not translation problems', async () => {
  const s = await snapshot(
    page(
      'zh-Hans',
      `<nav><a lang="zh-Hant" href="?lang=zh-Hant">繁體中文</a> <a lang="en" href="?lang=en">Sign in</a></nav>
       <h1 translate="no">Certified products Ltd</h1>
       <p>admin@nav.login.example · https://registry.example.org/a · site.api.pdf</p>
       <code>nav.other</code>
       <p>Pearl River Certification 珠江认证</p>`,
    ),
  );
  const problems = translationProblems(s.text, 'zh-Hans', { catalog: CATALOG });
  // Raw keys are looked for even in data: nav.other is in <code> but still a key shape.
  assert.deepEqual(problems, ['"nav.other" looks like a catalog key the catalog lacks (text of <code>)']);
});

test('a phrase counts where it stands on its own, not inside a longer name or title', async () => {
  const s = await snapshot(
    page(
      'zh-Hant',
      `<ul><li>GB/T 24067-2024 温室气体 产品碳足迹 量化要求和指南</li>
       <li>Greenhouse gases — Product carbon footprint of things</li>
       <li>My Product carbon footprint</li></ul>
       <table><tr><th>产品碳足迹</th><td>产品碳足迹：78.8 kg</td></tr></table>
       <p>Product carbon footprint (kg)</p>
       <p>(90th percentile)</p><p>第 90 百分位数</p>`,
    ),
  );
  assert.deepEqual(translationProblems(s.text, 'zh-Hant', { catalog: CATALOG }), [
    'zh-Hans phrase "产品碳足迹" (registry.footprint) on a zh-Hant page (text of <th>): …产品碳足迹…',
    'en phrase "Product carbon footprint" (registry.footprint) on a zh-Hant page (text of <p>): …Product carbon footprint (kg)…',
    // The whole phrase, filled in: "the 90th percentile" would be one, "(90th percentile)" is not.
    'zh-Hans phrase "第 {p} 百分位数" (registry.percentile) on a zh-Hant page (text of <p>): …第 90 百分位数…',
  ]);
});

test('accessibility problems are found', async () => {
  const s = await snapshot(
    page(
      'en',
      `<h2>no h1 first</h2><h4>skips h3</h4>
       <input id="q" name="q"><label for="e">E-mail</label><input id="e">
       <a href="/x"></a><button><svg aria-hidden="true"></svg></button>
       <img src="a.png"><svg><rect width="1" height="1"/></svg><svg><title>Chart</title></svg>
       <table><tr><td>1</td></tr></table><table><tr><th>h</th></tr></table>
       <p id="d"></p><p id="d"></p>
       <svg aria-hidden="true"><rect id="bar-0"/></svg><svg aria-hidden="true"><rect id="bar-0"/></svg>`,
    ),
  );
  assert.deepEqual(s.a11y, [
    'form field <input#q> has no <label for> (nor aria-label)',
    '<a> has no text or accessible name',
    '<button> has no text or accessible name',
    'image <img> (a.png) has no alt',
    'SVG <svg> has no <title> or aria-label (or aria-hidden="true" if decorative)',
    'table <table> has no <th>',
    'the page has no <h1>',
    'heading <h4> "skips h3" skips a level after <h2>',
    'id "d" is used 2 times',
  ]);
});

test('a link cut away by an ancestor with overflow: hidden is found', async () => {
  const s = await snapshot(
    page(
      'en',
      `<h1>t</h1><div style="height:10px;overflow:hidden"><p style="margin:0;height:10px">x</p><a href="/a">Hidden</a></div>
       <div style="overflow-x:auto;width:50px"><a href="/b" style="white-space:nowrap">Scrolls sideways, fine</a></div>`,
    ),
  );
  assert.deepEqual(s.a11y, ['<a> "Hidden" is hidden by the overflow of <div>']);
});

test('a page wider than the phone is found', async () => {
  const b = await browser();
  const ctx = await b.newContext({ viewport: { width: 375, height: 740 } });
  try {
    const p = await ctx.newPage();
    await p.setContent(page('en', '<div style="width:500px" class="wide">x</div>'));
    const o = await horizontalOverflow(p);
    assert.equal(o.viewport, 375);
    assert.ok(o.scrollWidth >= 500, JSON.stringify(o));
    assert.ok(o.widest.some((w) => w.startsWith('<div.wide> reaches')), JSON.stringify(o));
  } finally {
    await ctx.close();
  }
});

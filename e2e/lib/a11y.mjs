// Accessibility checks that hold on every page (issue 7: keyboard navigable, labelled
// form fields; the web brief: buttons are buttons, tables have headers, headings in
// order, images and SVG have text alternatives, 375 px wide without sideways scrolling).

import assert from 'node:assert/strict';

/** The accessibility problems of the page as it is now, as strings; `[]` if none. */
export async function accessibilityProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const describe = (el) => {
      let d = el.tagName.toLowerCase();
      if (el.id) d += `#${el.id}`;
      else if (el.getAttribute('name')) d += `[name=${el.getAttribute('name')}]`;
      else if (el.dataset && el.dataset.testid) d += `[data-testid=${el.dataset.testid}]`;
      else if (typeof el.className === 'string' && el.className.trim()) d += `.${el.className.trim().split(/\s+/).join('.')}`;
      return `<${d}>`;
    };
    const named = (el) =>
      (el.getAttribute('aria-label') || '').trim() ||
      (el.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent.trim())
        .filter(Boolean)
        .join(' ') ||
      (el.getAttribute('title') || '').trim();

    // Form fields have a label.
    for (const el of document.querySelectorAll('input, select, textarea')) {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
      if ((el.labels && el.labels.length > 0) || named(el)) continue;
      problems.push(`form field ${describe(el)} has no <label for> (nor aria-label)`);
    }
    // Buttons and links say what they do.
    for (const el of document.querySelectorAll('button, a[href], input[type=submit], input[type=button]')) {
      // textContent: a button in a closed <details> has no innerText but still a name.
      const text = (el.textContent || el.value || '').trim();
      const img = [...el.querySelectorAll('img[alt], svg[aria-label]')].some(
        (i) => (i.getAttribute('alt') || i.getAttribute('aria-label') || '').trim(),
      );
      if (text || img || named(el)) continue;
      if (el.closest('[aria-hidden=true]')) continue;
      problems.push(`${describe(el)} has no text or accessible name`);
    }
    // What takes keyboard focus can be seen: not cut away by an ancestor's overflow
    // (a clipped header hides the navigation from everyone, and the focus from keyboard users).
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let visible = { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
      let clipper = null;
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const cs = getComputedStyle(a);
        const clipsX = ['hidden', 'clip'].includes(cs.overflowX);
        const clipsY = ['hidden', 'clip'].includes(cs.overflowY);
        if (!clipsX && !clipsY) continue;
        const r = a.getBoundingClientRect();
        const before = (visible.right - visible.left) * (visible.bottom - visible.top);
        if (clipsX) visible = { ...visible, left: Math.max(visible.left, r.left), right: Math.min(visible.right, r.right) };
        if (clipsY) visible = { ...visible, top: Math.max(visible.top, r.top), bottom: Math.min(visible.bottom, r.bottom) };
        const after = Math.max(0, visible.right - visible.left) * Math.max(0, visible.bottom - visible.top);
        if (after < before && !clipper) clipper = a;
      }
      const shown = Math.max(0, visible.right - visible.left) * Math.max(0, visible.bottom - visible.top);
      if (shown < 0.75 * box.width * box.height) {
        problems.push(
          `${describe(el)} "${(el.textContent || el.value || '').trim().slice(0, 40)}" is ${shown === 0 ? 'hidden' : 'partly cut off'} ` +
            `by the overflow of ${clipper ? describe(clipper) : 'an ancestor'}`,
        );
      }
    }
    // Images have text alternatives; SVG drawings have a title or a label.
    for (const el of document.querySelectorAll('img:not([alt])')) {
      problems.push(`image ${describe(el)} (${el.getAttribute('src')}) has no alt`);
    }
    for (const el of document.querySelectorAll('svg')) {
      if (el.parentElement && el.parentElement.closest('svg')) continue;
      if (el.closest('[aria-hidden=true]') || ['presentation', 'none'].includes(el.getAttribute('role'))) continue;
      const title = el.querySelector(':scope > title');
      if ((title && title.textContent.trim()) || named(el)) continue;
      problems.push(`SVG ${describe(el)} has no <title> or aria-label (or aria-hidden="true" if decorative)`);
    }
    // Data tables have header cells.
    for (const el of document.querySelectorAll('table')) {
      if (el.getAttribute('role') === 'presentation') continue;
      if (!el.querySelector('th')) problems.push(`table ${describe(el)} has no <th>`);
    }
    // One h1 to start, then no level skipped.
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => !h.closest('[hidden]'));
    if (!headings.some((h) => h.tagName === 'H1')) problems.push('the page has no <h1>');
    let level = 0;
    for (const h of headings) {
      const l = Number(h.tagName[1]);
      if (level > 0 && l > level + 1) {
        problems.push(`heading <${h.tagName.toLowerCase()}> "${h.textContent.trim().slice(0, 60)}" skips a level after <h${level}>`);
      }
      level = l;
    }
    // Ids are unique where it matters: in the page (labels, skip links and ARIA point at
    // them), and in a drawing when something refers to them (ids inside separate SVG
    // charts, like bar-0, only name their parts).
    const referenced = new Set();
    for (const el of document.querySelectorAll('label[for]')) referenced.add(el.htmlFor);
    for (const a of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns']) {
      for (const el of document.querySelectorAll(`[${a}]`)) el.getAttribute(a).split(/\s+/).forEach((id) => referenced.add(id));
    }
    for (const el of document.querySelectorAll('[href^="#"]')) referenced.add(el.getAttribute('href').slice(1));
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) {
      if (el.closest('svg') && !referenced.has(el.id)) continue;
      seen.set(el.id, (seen.get(el.id) || 0) + 1);
    }
    for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
    // The language is declared.
    if (!document.documentElement.getAttribute('lang')) problems.push('<html> has no lang');
    return problems;
  });
}

/** Asserts the page has none of `accessibilityProblems`; the failure lists them all. */
export async function checkAccessibility(page) {
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) {
    assert.fail(`${page.url()}: ${problems.length} accessibility problem(s):\n  - ${problems.join('\n  - ')}`);
  }
}

/** The page's width in CSS pixels and the viewport's: `scrollWidth` ≤ `viewport` means no sideways scrolling. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    widest: [...document.querySelectorAll('body *')]
      .map((el) => ({ el, right: el.getBoundingClientRect().right }))
      .filter(({ right }) => right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map(({ el, right }) => `<${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}> reaches ${Math.round(right)} px`),
  }));
}

/** Asserts the page fits its viewport's width (no horizontal scrolling). */
export async function checkNoHorizontalScroll(page) {
  const o = await horizontalOverflow(page);
  assert.ok(
    o.scrollWidth <= o.viewport,
    `${page.url()}: the page is ${o.scrollWidth} px wide on a ${o.viewport} px screen (scrolls sideways); ${o.widest.join('; ')}`,
  );
}

/**
 * Presses Tab `count` times and returns what got focus each time: [{ tag, text, href,
 * className, testid }] (null: nothing). Call it right after loading the page to start
 * from the top, as a keyboard user does.
 */
export async function tabOrder(page, count) {
  const order = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        return {
          tag: el.tagName.toLowerCase(),
          text: (el.innerText || el.value || '').trim(),
          href: el.getAttribute('href'),
          className: typeof el.className === 'string' ? el.className : '',
          testid: el.dataset ? el.dataset.testid ?? null : null,
        };
      }),
    );
  }
  return order;
}

// Every page reachable by links, in the three languages: from the home page as the
// public (with the demo data and a labelled product, so the registry has something to
// show), and from each role's home signed in. No 5xx, no translation or accessibility
// problem, no script error.

import { certifiedLabel, crawlAndCheck, newPage, setup, ROLES, test } from '../lib/index.mjs';

const env = setup({ demo: true }, (server) => certifiedLabel({ server }));

// Every page the site links to exists: a link answering 4xx is a failure.
const BROKEN_LINKS = 'fail';

test('the public pages, in three languages', async () => {
  const page = await newPage();
  const { pages } = await crawlAndCheck(page, ['/', '/login', env.prepared.verifyPath], { max: 60, brokenLinks: BROKEN_LINKS });
  console.log(`crawled ${pages.length} public page(s)`);
});

for (const role of Object.keys(ROLES)) {
  test(`the ${role}'s pages, signed in, in three languages`, async () => {
    const page = await newPage({ role });
    const { pages } = await crawlAndCheck(page, [ROLES[role].home], { max: 40, brokenLinks: BROKEN_LINKS });
    console.log(`crawled ${pages.length} page(s) as ${role}`);
  });
}

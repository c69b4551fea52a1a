'use strict';
// Clicks through Cairn's web interface in headless chromium (playwright-core, the system's
// chromium) against a running server that test/e2e/web.sh started and filled. Prints one
// "ok   - ..." or "FAIL - ..." line per check; web.sh counts them.
// Environment: CAIRN_URL, CAIRN_USER, CAIRN_PASSWORD, E2E_TMP (files prepared there, screenshots
// written there), CHROMIUM (the browser's path).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {chromium} = require('playwright-core');

const URL0 = process.env.CAIRN_URL;
const USER = process.env.CAIRN_USER;
const PASSWORD = process.env.CAIRN_PASSWORD;
const TMP = process.env.E2E_TMP;
const XSS = '<img src=x onerror=alert(1)>.txt';
const {check, failed} = require('./checks');
function sha(file) { return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'); }
async function shot(page, name) { await page.screenshot({path: path.join(TMP, 'web-' + name + '.png'), fullPage: false}); }
// Basic-authenticated reads, to check what the server holds, outside the browser.
async function serverBytes(p) {
  const r = await fetch(URL0 + p.split('/').map(encodeURIComponent).join('/'), {
    headers: {Authorization: 'Basic ' + Buffer.from(USER + ':' + PASSWORD).toString('base64')},
  });
  return r.ok ? Buffer.from(await r.arrayBuffer()) : null;
}
function row(page, name) { return page.locator('#rows tr', {has: page.locator('td.name a', {hasText: name})}); }

(async () => {
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox']});
  const context = await browser.newContext({acceptDownloads: true, viewport: {width: 1200, height: 800}});
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss().catch(() => {}); });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.setDefaultTimeout(20000);

  try {
    await check('a browser that is not logged in gets the login page, not a Basic dialog', async () => {
      await page.goto(URL0 + '/');
      await page.waitForURL(/\/\.cairn\/web\/login\?next=%2F$/);
      await page.locator('#name').waitFor();
      await shot(page, 'login');
    });

    await check('a wrong password is refused with a message', async () => {
      await page.fill('#name', USER);
      await page.fill('#password', 'wrong-' + PASSWORD);
      await page.click('#submit');
      await page.locator('#error', {hasText: 'Wrong name or password'}).waitFor();
      return page.url().includes('/.cairn/web/login');
    });

    await check('the right password logs in and lands on the folder asked for', async () => {
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
      await page.waitForURL(URL0 + '/');
      await row(page, 'hello.txt').waitFor();
      const cookies = await context.cookies();
      const c = cookies.find((x) => x.name === 'cairn_session');
      if (!c || !c.httpOnly || c.sameSite !== 'Strict') throw new Error('cookie ' + JSON.stringify(c));
      await shot(page, 'folder');
    });

    await check('browse: a folder opens from its link, with breadcrumbs back home', async () => {
      await page.click('#rows a:text-is("docs/")');
      await page.waitForURL(URL0 + '/docs/');
      await row(page, 'inside.txt').waitFor();
      await page.locator('#crumbs a[aria-current="page"]', {hasText: 'docs'}).waitFor();
      await page.click('#crumbs a:text-is("Home")');
      await page.waitForURL(URL0 + '/');
      await row(page, 'hello.txt').waitFor();
    });

    await check('sort by size: the largest file last, then first; folders stay on top', async () => {
      const files = async () => (await page.locator('#rows td.name a').allTextContents()).filter((n) => !n.endsWith('/'));
      await page.click('th[data-key="size"] button');
      const up = await files();
      await page.click('th[data-key="size"] button');
      const down = await files();
      const sorted = await page.locator('th[data-key="size"]').getAttribute('aria-sort');
      await page.click('th[data-key="name"] button');
      if (up.at(-1) !== 'large.bin' || down[0] !== 'large.bin' || sorted !== 'descending') {
        throw new Error(JSON.stringify({up, down, sorted}));
      }
    });

    await check('another client\'s change appears without reloading the page (the event stream)', async () => {
      const r = await fetch(URL0 + '/live.txt', {method: 'PUT', body: 'made elsewhere\n',
        headers: {Authorization: 'Basic ' + Buffer.from(USER + ':' + PASSWORD).toString('base64')}});
      if (r.status !== 201) throw new Error('PUT answered ' + r.status);
      await row(page, 'live.txt').waitFor({timeout: 15000});
    });

    await check('a name with markup is shown as text and runs nothing', async () => {
      const link = page.locator('#rows td.name a', {hasText: XSS});
      await link.waitFor();
      const text = await link.textContent();
      const imgs = await page.locator('img').count();
      if (text !== XSS) throw new Error('shown as ' + text);
      if (imgs !== 0 || dialogs !== 0) throw new Error(imgs + ' img elements, ' + dialogs + ' dialogs');
    });

    await check('an upload over an existing name replaces it only when asked', async () => {
      const dir = path.join(TMP, 'web-same');
      fs.mkdirSync(dir, {recursive: true});
      fs.writeFileSync(path.join(dir, 'same.txt'), 'replaced through the page\n');
      const before = String(await serverBytes('/same.txt'));
      await page.setInputFiles('#picker', path.join(dir, 'same.txt'));
      await page.locator('#statustext', {hasText: 'exists here'}).waitFor();
      if (String(await serverBytes('/same.txt')) !== before) throw new Error('replaced unasked');
      await page.click('button[aria-label="Replace same.txt"]');
      await page.locator('#statustext', {hasText: 'Replaced same.txt'}).waitFor();
      return String(await serverBytes('/same.txt')) === 'replaced through the page\n';
    });

    await check('upload of a 50 MiB file with the progress bar observed rising', async () => {
      await page.evaluate(() => {
        window.__progress = [];
        const bar = document.getElementById('overall');
        new MutationObserver(() => window.__progress.push(Number(bar.value))).observe(bar, {attributes: true});
      });
      const big = path.join(TMP, 'web-big.bin');
      await page.setInputFiles('#picker', big);
      await row(page, 'web-big.bin').waitFor({timeout: 120000});
      const seen = await page.evaluate(() => window.__progress);
      const between = [...new Set(seen.filter((v) => v > 0 && v < 100))];
      const rising = seen.every((v, i) => i === 0 || v >= seen[i - 1]);
      if (between.length < 2 || !rising || seen.at(-1) !== 100) throw new Error('progress values ' + JSON.stringify(seen));
      const held = await serverBytes('/web-big.bin');
      if (!held || crypto.createHash('sha256').update(held).digest('hex') !== sha(big)) throw new Error('server bytes differ');
      await shot(page, 'uploaded');
      return between.length + ' distinct values between 0 and 100';
    });

    await check('upload by drag and drop', async () => {
      const data = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['dropped bytes\n'], 'dropped.txt', {type: 'text/plain'}));
        return dt;
      });
      await page.dispatchEvent('#drop', 'dragover', {dataTransfer: data});
      await page.dispatchEvent('#drop', 'drop', {dataTransfer: data});
      await row(page, 'dropped.txt').waitFor();
      return String(await serverBytes('/dropped.txt')) === 'dropped bytes\n';
    });

    await check('download of a file gives its bytes', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rows a:text-is("hello.txt")')]);
      const saved = path.join(TMP, 'web-downloaded.txt');
      await download.saveAs(saved);
      return fs.readFileSync(saved).equals(fs.readFileSync(path.join(TMP, 'web-hello.txt')));
    });

    await check('a folder downloads as a ZIP with its files', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.click('a[aria-label="Download docs as a ZIP file"]')]);
      const saved = path.join(TMP, 'web-docs.zip');
      await download.saveAs(saved);
      const listing = require('child_process').execFileSync('python3', ['-c',
        'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(sorted(z.namelist())); print(z.read("docs/inside.txt").decode())', saved]).toString();
      if (!listing.includes("'docs/inside.txt'") || !listing.includes('hello from the e2e test')) throw new Error(listing);
      return download.suggestedFilename() === 'docs.zip';
    });

    await check('new folder', async () => {
      await page.click('#newfolder');
      await page.fill('#askname', 'made in the browser');
      await page.click('#askok');
      await row(page, 'made in the browser/').waitFor();
      const r = await fetch(URL0 + '/made%20in%20the%20browser/', {method: 'PROPFIND', headers: {Depth: '0',
        Authorization: 'Basic ' + Buffer.from(USER + ':' + PASSWORD).toString('base64')}});
      return r.status === 207;
    });

    await check('rename, by keyboard', async () => {
      await page.locator('button[aria-label="Rename hello.txt"]').focus();
      await page.keyboard.press('Enter');
      await page.fill('#askname', 'renamed.txt');
      await page.keyboard.press('Enter');
      await row(page, 'renamed.txt').waitFor();
      if (await row(page, 'hello.txt').count() !== 0) throw new Error('the old name is still listed');
      return (await serverBytes('/hello.txt')) === null && (await serverBytes('/renamed.txt')) !== null;
    });

    await check('delete moves to the trash, and Undo brings it back', async () => {
      await page.click('button[aria-label="Delete renamed.txt"]');
      await page.locator('#statustext', {hasText: 'Moved renamed.txt to the trash'}).waitFor();
      await row(page, 'renamed.txt').waitFor({state: 'detached'});
      if ((await serverBytes('/renamed.txt')) !== null) throw new Error('still on the server');
      await page.click('#undo');
      await row(page, 'renamed.txt').waitFor();
      await page.locator('#undo').waitFor({state: 'hidden'});
      return (await serverBytes('/renamed.txt')).equals(fs.readFileSync(path.join(TMP, 'web-hello.txt')));
    });

    await check('version history lists every version; an old one downloads and restores with its bytes', async () => {
      await page.click('button[aria-label="Versions of versioned.txt"]');
      await page.locator('#history:not([hidden])').waitFor();
      const versions = page.locator('#versions tr');
      await versions.nth(1).waitFor();
      if (await versions.count() !== 2) throw new Error(await versions.count() + ' versions');
      const author = await versions.nth(1).locator('td').nth(2).textContent();
      if (author !== USER) throw new Error('author ' + author);
      await shot(page, 'history');
      const [download] = await Promise.all([page.waitForEvent('download'), versions.nth(1).locator('a', {hasText: 'Download'}).click()]);
      const saved = path.join(TMP, 'web-old-version.txt');
      await download.saveAs(saved);
      if (fs.readFileSync(saved, 'utf8') !== 'first version\n') throw new Error('downloaded ' + fs.readFileSync(saved, 'utf8'));
      await versions.nth(1).locator('button', {hasText: 'Restore'}).click();
      await page.locator('#statustext', {hasText: 'Restored the version'}).waitFor();
      await page.locator('#versions tr').nth(2).waitFor();
      return String(await serverBytes('/versioned.txt')) === 'first version\n';
    });

    await check('the trash lists what was deleted here and restores it', async () => {
      await page.click('#closehistory');
      await page.click('#showtrash');
      const restore = page.locator('button[aria-label="Restore /gone.txt"]').first();
      await restore.waitFor();
      await shot(page, 'trash');
      await restore.click();
      await row(page, 'gone.txt').waitFor();
      return String(await serverBytes('/gone.txt')) === 'deleted before the test\n';
    });

    await check('a cookie request without the CSRF header is refused 403', async () => {
      const r = await page.request.post(URL0 + '/.cairn/api/v1/mkdir', {data: {path: '/csrf-attempt'}});
      const body = await r.json();
      if (r.status() !== 403 || body.error !== 'forbidden') throw new Error(r.status() + ' ' + JSON.stringify(body));
      return (await serverBytes('/csrf-attempt/')) === null;
    });

    await check('a folder of 10,000 files opens with one page of rows in the DOM, and pages on', async () => {
      const t0 = Date.now();
      await page.goto(URL0 + '/many/');
      await page.locator('#pageinfo', {hasText: '1–200 of 10000'}).waitFor({timeout: 60000});
      const ms = Date.now() - t0;
      const rows = await page.locator('#rows tr').count();
      if (rows !== 200) throw new Error(rows + ' rows in the DOM');
      await page.click('#next');
      await page.locator('#pageinfo', {hasText: '201–400 of 10000'}).waitFor();
      fs.writeFileSync(path.join(TMP, 'web-load-10000.txt'), String(ms));
      return 'loaded in ' + ms + ' ms';
    });

    await check('at phone width nothing scrolls sideways and every control is labelled', async () => {
      await page.setViewportSize({width: 390, height: 844});
      await page.goto(URL0 + '/');
      await row(page, 'renamed.txt').waitFor();
      await shot(page, 'phone');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll('button, input, a'))
        .filter((e) => e.offsetParent !== null || e.id === 'picker')
        .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || (e.id && document.querySelector('label[for="' + e.id + '"]'))))
        .length);
      if (wide > 390 || unlabelled > 0) throw new Error('scroll width ' + wide + ', ' + unlabelled + ' unlabelled controls');
      await page.setViewportSize({width: 1200, height: 800});
    });

    await check('log out ends the session: the API refuses the old cookie and the folder asks to log in', async () => {
      const before = (await context.cookies()).find((x) => x.name === 'cairn_session');
      await page.click('#logout');
      await page.waitForURL(/\/\.cairn\/web\/login/);
      // The old cookie, sent again as an attacker who kept it would: revoked in the store.
      const replay = await fetch(URL0 + '/.cairn/web/session', {headers: {Cookie: 'cairn_session=' + before.value}});
      if (replay.status !== 401) throw new Error('old cookie answered ' + replay.status);
      await page.goto(URL0 + '/docs/');
      await page.waitForURL(/\/\.cairn\/web\/login\?next=%2Fdocs%2F$/);
    });

    await check('the login page follows no link to another site (next=/<tab>/example.com)', async () => {
      await page.goto(URL0 + '/.cairn/web/login?next=%2F%09%2Fexample.com%2F');
      await page.fill('#name', USER);
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
      await page.waitForURL(URL0 + '/');
      await row(page, 'renamed.txt').waitFor();
      return new URL(page.url()).origin === URL0;
    });

    await check('nor a path that the URL parser turns into //host (next=/.//evil.example/x)', async () => {
      const mark = pageErrors.length;
      await page.click('#logout');
      await page.waitForURL(/\/\.cairn\/web\/login/);
      await page.goto(URL0 + '/.cairn/web/login?next=' + encodeURIComponent('/.//evil.example/x'));
      await page.fill('#name', USER);
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
      await page.waitForURL((u) => !u.pathname.startsWith('/.cairn/web/login'));
      const origin = new URL(page.url()).origin;
      if (origin !== URL0) throw new Error('landed on ' + page.url());
      pageErrors.splice(mark); // the landing is this server's 404 for //evil.example/x, as it should be
      await page.goto(URL0 + '/');
    });

    await check('the Nextcloud app\'s Login Flow v2: the grant page names the app, and the app gets a working app password', async () => {
      const agent = 'Mozilla/5.0 (X11; Linux) mirall/3.7.3 (Nextcloud, debian)';
      const start = await (await fetch(URL0 + '/index.php/login/v2', {method: 'POST', headers: {'User-Agent': agent}})).json();
      const poll = () => fetch(start.poll.endpoint, {method: 'POST', body: 'token=' + encodeURIComponent(start.poll.token),
        headers: {'Content-Type': 'application/x-www-form-urlencoded'}});
      if ((await poll()).status !== 404) throw new Error('answered before the grant');
      await page.goto(start.login);
      await page.locator('#agent', {hasText: 'mirall/3.7.3'}).waitFor();
      await shot(page, 'grant');
      await page.click('#grant');
      await page.locator('#status', {hasText: 'Access granted'}).waitFor();
      const answer = await poll();
      if (answer.status !== 200) throw new Error('poll answered ' + answer.status);
      const c = await answer.json();
      const dav = await fetch(URL0 + '/remote.php/dav/files/' + c.loginName + '/', {method: 'PROPFIND',
        headers: {Depth: '0', Authorization: 'Basic ' + Buffer.from(c.loginName + ':' + c.appPassword).toString('base64')}});
      await page.goto(URL0 + '/');
      return c.loginName === USER && dav.status === 207 && (await poll()).status === 404;
    });

    await check('no dialog fired and the page logged no error', async () => {
      const real = pageErrors.filter((e) => !/status of (40[13]|412)/.test(e));
      if (dialogs !== 0 || real.length) throw new Error(dialogs + ' dialogs; ' + real.join(' | '));
    });
  } finally {
    await browser.close();
  }
  process.exit(failed() ? 1 : 0);
})().catch((e) => {
  console.log('FAIL - the browser test stopped: ' + e.message.split('\n')[0]);
  process.exit(1);
});

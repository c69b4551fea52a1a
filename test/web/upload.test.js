'use strict';
// Folder uploads, resumable uploads in parts and upload-only links, in headless chromium against
// the server test/e2e/web.sh started: a folder chosen with the folder picker (webkitdirectory) and
// one dropped arrive whole with per-file and overall progress; a 50 MiB upload in parts resumes
// after its connection is cut, and after a reload of the page once the file is picked again; an
// upload-only link opened in a fresh browser context takes files
// and shows nothing. One "ok   - " or "FAIL - " line per check.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {chromium} = require('playwright-core');

const URL0 = process.env.CAIRN_URL;
const ADMIN = 'Basic ' + Buffer.from(process.env.CAIRN_USER + ':' + process.env.CAIRN_PASSWORD).toString('base64');
const TMP = process.env.E2E_TMP;
const USER = 'ulla';
const PASSWORD = 'ulla-password-1';
const AUTH = 'Basic ' + Buffer.from(USER + ':' + PASSWORD).toString('base64');
const {check, failed} = require('./checks');
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
async function shot(page, name) { await page.screenshot({path: path.join(TMP, 'web-' + name + '.png')}); }
function row(page, name) { return page.locator('#rows tr', {has: page.locator('td.name a', {hasText: name})}); }
/** The bytes the server holds at p for ulla, or null. */
async function held(p) {
  const r = await fetch(URL0 + p.split('/').map(encodeURIComponent).join('/'), {headers: {Authorization: AUTH}});
  return r.ok ? Buffer.from(await r.arrayBuffer()) : null;
}
async function kindOf(p) {
  const r = await fetch(URL0 + '/.cairn/api/v1/entry?path=' + encodeURIComponent(p), {headers: {Authorization: AUTH}});
  return r.ok ? (await r.json()).kind : 'status ' + r.status;
}

(async () => {
  const r = await fetch(URL0 + '/.cairn/admin/users', {method: 'POST', headers: {Authorization: ADMIN, 'Content-Type': 'application/json'},
    body: JSON.stringify({name: USER, password: PASSWORD})});
  if (r.status !== 201) throw new Error('creating ' + USER + ': ' + r.status);
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox']});
  const context = await browser.newContext({viewport: {width: 1200, height: 800}});
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The one connection the resumable check cuts on purpose is logged by chromium; nothing else may be.
  page.on('console', (m) => { if (m.type() === 'error' && !/ERR_CONNECTION_RESET/.test(m.text())) errors.push(m.text()); });
  try {
    await page.goto(URL0 + '/.cairn/web/login');
    await page.fill('#name', USER);
    await page.fill('#password', PASSWORD);
    await page.click('#submit');
    await page.waitForURL(URL0 + '/');
    await page.locator('#rows td', {hasText: 'This folder is empty.'}).waitFor();

    await check('a folder chosen with the folder picker arrives whole: its subfolders made, every file with its bytes, a bar per file', async () => {
      const root = path.join(TMP, 'web-tree');
      const files = {'tree/a.txt': Buffer.from('a\n'), 'tree/sub/b.bin': crypto.randomBytes(300 * 1024),
        'tree/sub/deeper/c <i>.txt': Buffer.from('c\n')};
      for (const [rel, bytes] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), {recursive: true});
        fs.writeFileSync(path.join(root, rel), bytes);
      }
      await page.setInputFiles('#folderpicker', path.join(root, 'tree'));
      await page.locator('#statustext', {hasText: 'Uploaded 3 files with their folders.'}).waitFor();
      await row(page, 'tree/').waitFor();
      for (const [rel, bytes] of Object.entries(files)) {
        const got = await held('/' + rel);
        if (!got || sha(got) !== sha(bytes)) throw new Error(rel + ' differs');
      }
      const bars = await page.locator('#uploadlist progress').evaluateAll((ps) => ps.map((p) => p.value === p.max));
      const overall = await page.locator('#overall').evaluate((p) => p.value);
      if (bars.length !== 3 || !bars.every(Boolean) || overall !== 100) throw new Error('bars ' + bars + ', overall ' + overall);
      await shot(page, 'folder-upload');
    });

    await check('a folder dropped (File System entries as chromium hands them over) arrives whole, its empty folder too', async () => {
      // A synthetic drop cannot carry a real directory; the entries the page walks are built here
      // with the same interface (isFile/isDirectory, createReader().readEntries, file()), and the
      // reader hands out its children in two batches, as chromium's does for large folders.
      await page.evaluate(() => {
        const file = (name, text) => ({isFile: true, isDirectory: false, name,
          file: (ok) => ok(new File([text], name))});
        const dir = (name, children) => ({isFile: false, isDirectory: true, name, createReader: () => {
          const batches = [children.slice(0, 1), children.slice(1), []];
          return {readEntries: (ok) => ok(batches.shift() || [])};
        }});
        const top = dir('dropped', [file('x.txt', 'x\n'), dir('empty', []), dir('inner', [file('y.txt', 'y\n')])]);
        const ev = new Event('drop', {bubbles: true, cancelable: true});
        Object.defineProperty(ev, 'dataTransfer', {value: {items: [{webkitGetAsEntry: () => top}], files: []}});
        document.getElementById('drop').dispatchEvent(ev);
      });
      await page.locator('#statustext', {hasText: 'Uploaded 2 files with their folders.'}).waitFor();
      const x = String(await held('/dropped/x.txt'));
      const y = String(await held('/dropped/inner/y.txt'));
      const empty = await kindOf('/dropped/empty');
      if (x !== 'x\n' || y !== 'y\n' || empty !== 'folder') throw new Error([x, y, empty].join(' | '));
    });

    await check('files dropped without folders still upload as before', async () => {
      const data = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['loose\n'], 'loose.txt', {type: 'text/plain'}));
        return dt;
      });
      await page.dispatchEvent('#drop', 'drop', {dataTransfer: data});
      await row(page, 'loose.txt').waitFor();
      return String(await held('/loose.txt')) === 'loose\n';
    });

    await check('a 50 MiB upload in parts whose connection drops part-way resumes: parts stored are not sent again, the bytes read back have its sha256, progress rises', async () => {
      const file = path.join(TMP, 'web-resume.bin');
      const bytes = crypto.randomBytes(50 << 20);
      fs.writeFileSync(file, bytes);
      const puts = {};
      let cut = null;
      await page.route('**/.cairn/api/v1/chunks/*', (route) => {
        const req = route.request();
        if (req.method() !== 'PUT') return route.continue();
        const hash = req.url().split('/').pop();
        puts[hash] = (puts[hash] || 0) + 1;
        if (cut === null && Object.keys(puts).length === 5) { // the fifth part's connection is cut
          cut = hash;
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      await page.evaluate(() => {
        window.__progress = [];
        const bar = document.getElementById('overall');
        new MutationObserver(() => window.__progress.push(Number(bar.value))).observe(bar, {attributes: true});
      });
      const t0 = Date.now();
      await page.setInputFiles('#picker', file);
      await row(page, 'web-resume.bin').waitFor({timeout: 120000});
      await page.locator('#statustext', {hasText: 'Uploaded 1 file.'}).waitFor();
      const took = Date.now() - t0;
      await page.unroute('**/.cairn/api/v1/chunks/*');
      const got = await held('/web-resume.bin');
      if (!got || sha(got) !== sha(bytes)) throw new Error('the bytes read back differ');
      const parts = Object.keys(puts);
      const again = parts.filter((h) => puts[h] > 1);
      if (cut === null || again.length !== 1 || again[0] !== cut || puts[cut] !== 2) {
        throw new Error('sent more than once: ' + JSON.stringify(again.map((h) => [h.slice(0, 8), puts[h]])));
      }
      const seen = await page.evaluate(() => window.__progress);
      const between = [...new Set(seen.filter((v) => v > 0 && v < 100))];
      if (between.length < 2 || seen.at(-1) !== 100) throw new Error('progress ' + JSON.stringify(seen));
      return parts.length + ' parts, one cut and sent again; ' + between.length + ' progress values; ' + took + ' ms';
    });

    await check('a 50 MiB upload in parts cut short by a reload: the page offers it again, the same file picked goes on without the parts the server holds, the bytes read back have its sha256', async () => {
      const file = path.join(TMP, 'web-reload.bin');
      const bytes = crypto.randomBytes(50 << 20);
      fs.writeFileSync(file, bytes);
      const before = new Set(); // parts the server stored before the reload
      const after = []; // parts sent after it
      let resumed = false; // set once the reloaded page offers the upload again
      let sixStored;
      const six = new Promise((resolve) => { sixStored = resolve; });
      await page.route('**/.cairn/api/v1/chunks/*', async (route) => {
        const req = route.request();
        if (req.method() !== 'PUT') return route.continue();
        const hash = req.url().split('/').pop();
        if (resumed) {
          after.push(hash);
          return route.continue();
        }
        if (before.size >= 6) return; // the seventh part is held, and the reload cuts it
        // Sent on here and answered once stored, so the count is known before the page sends the next.
        const response = await route.fetch();
        if (response.ok()) before.add(hash);
        await route.fulfill({response});
        if (before.size === 6) sixStored();
      });
      await page.setInputFiles('#picker', file);
      await six;
      await page.reload();
      const offer = page.locator('#unfinishedlist li', {hasText: 'web-reload.bin (50.0 MiB) into / did not finish.'});
      await offer.waitFor();
      resumed = true;
      await shot(page, 'unfinished-upload');
      const chooser = page.waitForEvent('filechooser');
      await offer.locator('button', {hasText: 'Resume'}).click();
      await (await chooser).setFiles(file);
      await page.locator('#statustext', {hasText: 'Uploaded 1 file. 24.0 MiB of it was on the server already and not sent again.'})
        .waitFor({timeout: 120000});
      await page.unroute('**/.cairn/api/v1/chunks/*');
      const got = await held('/web-reload.bin');
      if (!got || sha(got) !== sha(bytes)) throw new Error('the bytes read back differ');
      const parts = Math.ceil(bytes.length / (4 << 20));
      if (after.length !== parts - 6 || after.some((h) => before.has(h))) {
        throw new Error(after.length + ' parts sent after the reload, of ' + parts + '; again: ' + after.filter((h) => before.has(h)).length);
      }
      await page.locator('#unfinished').waitFor({state: 'hidden'});
      const left = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join(''));
      if (left.includes('web-reload.bin')) throw new Error('still remembered: ' + left);
      return (parts - 6) + ' of ' + parts + ' parts sent after the reload';
    });

    await check('an upload-only link made in the Share dialog: a fresh browser uploads into the folder, sees nothing there, replaces nothing', async () => {
      for (const [p, body] of [['/inbox', null], ['/inbox/private-plan.txt', 'the owner\'s own\n']]) {
        const r = await fetch(URL0 + p, {method: body === null ? 'MKCOL' : 'PUT', headers: {Authorization: AUTH}, body: body || undefined});
        if (r.status !== 201) throw new Error(p + ': ' + r.status);
      }
      await page.reload();
      await row(page, 'inbox/').locator('button', {hasText: 'Share'}).click();
      await page.selectOption('#sharemode', 'drop');
      await page.click('#makeshare');
      await page.locator('#sharedone').waitFor();
      const url = await page.locator('#shareurl').inputValue();
      await page.click('#closeshare');
      const stranger = await browser.newContext();
      const visitor = await stranger.newPage();
      visitor.setDefaultTimeout(30000);
      // The one 403 expected is the probe of list below.
      visitor.on('console', (m) => { if (m.type() === 'error' && !/status of 403/.test(m.text())) errors.push('visitor: ' + m.text()); });
      await visitor.goto(url);
      await visitor.locator('#drop-title', {hasText: 'Upload files to inbox'}).waitFor();
      const text = await visitor.locator('body').innerText();
      if (text.includes('private-plan') || !(await visitor.locator('#folder').isHidden())) throw new Error('the folder shows: ' + text);
      const listed = await visitor.evaluate(async () => (await fetch(location.pathname + '/list?path=/')).status);
      const big = crypto.randomBytes(5 << 20 | 12345);
      const plan = path.join(TMP, 'web-drop', 'private-plan.txt');
      const bigFile = path.join(TMP, 'web-drop', 'scan.bin');
      fs.mkdirSync(path.dirname(plan), {recursive: true});
      fs.writeFileSync(plan, 'from a visitor\n');
      fs.writeFileSync(bigFile, big);
      await visitor.setInputFiles('#droppicker', [plan, bigFile]);
      await visitor.locator('#dropstatus', {hasText: 'Uploaded 2 files.'}).waitFor();
      await shot(visitor, 'drop-link');
      await stranger.close();
      const mine = String(await held('/inbox/private-plan.txt'));
      const theirs = String(await held('/inbox/private-plan (2).txt'));
      const scan = await held('/inbox/scan.bin');
      if (listed !== 403 || mine !== 'the owner\'s own\n' || theirs !== 'from a visitor\n' || !scan || sha(scan) !== sha(big)) {
        throw new Error([listed, mine, theirs, scan && scan.length].join(' | '));
      }
    });
  } catch (e) {
    console.log('FAIL - the upload test stopped: ' + e.message.split('\n')[0]);
    process.exitCode = 1;
  }
  await check('the page logged no error', () => { if (errors.length) throw new Error(errors.join(' | ')); });
  await check('the upload test ran to its end', () => true);
  await browser.close();
  if (failed()) process.exitCode = 1;
})();

'use strict';
// Uploads into the folder shown: files from the picker or dropped, and whole folders (the folder
// picker, webkitdirectory, or a folder dropped): the folders are made first (POST mkdir), then
// every file is sent with a progress bar of its own and one for all. A file is a WebDAV PUT (XHR,
// for its upload progress); a large one goes in parts (chunks.js) so that a dropped connection
// resumes where it stopped, and one cut short by a reload of the page is offered again: picking
// the same file goes on without sending again what the server holds. Tells app.js what happened
// by the events cairn:say and cairn:changed.
(function () {
  const API = '/.cairn/api/v1/';
  const MAX_FILES = 100000; // one upload of a folder; beyond it the person is told to split it
  const $ = (id) => document.getElementById(id);
  const {who, el, button} = window.CairnPage;
  let csrf = '';

  function currentFolder() {
    const parts = location.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    return '/' + parts.join('/');
  }
  function join(dir, name) {
    return dir === '/' ? '/' + name : dir + '/' + name;
  }
  function davUrl(path) {
    return path.split('/').map(encodeURIComponent).join('/');
  }
  function say(text) {
    document.dispatchEvent(new CustomEvent('cairn:say', {detail: {text}}));
  }
  function changed() {
    document.dispatchEvent(new CustomEvent('cairn:changed'));
  }
  function toLogin() {
    location.assign('/.cairn/web/login?next=' + encodeURIComponent(location.pathname));
  }

  // A WebDAV PUT. Without `replace`, only a new name is written (If-None-Match: *): a file of the
  // same name is not replaced unasked; the upload list offers to.
  function put(path, file, onProgress, replace) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('PUT', davUrl(path));
      x.setRequestHeader('X-Cairn-CSRF', csrf);
      if (!replace) x.setRequestHeader('If-None-Match', '*');
      x.upload.addEventListener('progress', (ev) => { if (ev.lengthComputable) onProgress(ev.loaded); });
      x.addEventListener('load', () => {
        if (x.status === 401) { toLogin(); reject(new Error('not logged in')); }
        else if (x.status === 412 && !replace) reject(Object.assign(new Error(file.name + ' exists'), {exists: true}));
        else if (x.status >= 200 && x.status < 300) resolve();
        else reject(new Error(file.name + ': the server answered ' + x.status + ' ' + x.responseText.trim()));
      });
      x.addEventListener('error', () => reject(new Error(file.name + ': the connection failed')));
      x.send(file);
    });
  }

  // A large file in parts when chunks.js can (it needs the browser's SHA-256), else one PUT; the
  // bytes the server held already (0 for a PUT). An upload in parts is remembered until it ends,
  // so that after a reload the person can pick the file again and go on.
  async function send(path, file, onProgress, replace) {
    const parts = window.CairnChunks;
    if (!parts || !parts.suits(file)) {
      await put(path, file, onProgress, replace);
      return 0;
    }
    remember(path, file);
    try {
      const held = await parts.upload(path, file, onProgress, replace, csrf);
      forget(path);
      return held;
    } catch (e) {
      if (e.exists) { // refused, not interrupted: Replace is offered in the upload list instead
        forget(path);
      } else { // given up after its retries: offered to go on, as after a reload
        running.delete(path);
        showUnfinished();
      }
      throw e;
    }
  }

  // ---- uploads in parts that did not finish, across a reload of the page ----
  // A page cannot keep a File across a reload: it keeps the upload's path, the file's name, size
  // and date in localStorage (this browser, per user, for a day, 20 at most) and offers to go on
  // when the same file is picked again; the server still holds the parts sent within the hour.
  const KEEP_MS = 24 * 3600 * 1000;
  let unfinishedKey = null;
  const running = new Set(); // the paths this page is uploading in parts now
  function unfinished() {
    try {
      const all = JSON.parse(localStorage.getItem(unfinishedKey) || '[]');
      return Array.isArray(all) ? all.filter((u) => u && typeof u.path === 'string' && Date.now() - u.at < KEEP_MS) : [];
    } catch (e) {
      return [];
    }
  }
  function keep(all) {
    try {
      localStorage.setItem(unfinishedKey, JSON.stringify(all.slice(-20)));
    } catch (e) { /* storage refused (private mode, full): no resume after a reload */ }
  }
  // Not shown while it runs: the list is of what a reload or a failure cut short.
  function remember(path, file) {
    running.add(path);
    keep(unfinished().filter((u) => u.path !== path)
      .concat([{path, name: file.name, size: file.size, lastModified: file.lastModified, at: Date.now()}]));
  }
  function forget(path) {
    running.delete(path);
    keep(unfinished().filter((u) => u.path !== path));
    showUnfinished();
  }
  const mib = (n) => (n / 1048576).toFixed(1) + ' MiB';
  const folderOf = (path) => path.substring(0, path.lastIndexOf('/')) || '/';

  function showUnfinished() {
    const all = unfinished().filter((u) => !running.has(u.path));
    $('unfinished').hidden = all.length === 0;
    $('unfinishedlist').replaceChildren(...all.map((u) => {
      const li = el('li', u.name + ' (' + mib(u.size) + ') into ' + folderOf(u.path) + ' did not finish. ');
      li.append(button('Resume', 'Resume ' + u.name, () => $('resumepicker').click()), ' ',
        button('Forget', 'Forget ' + u.name, () => forget(u.path)));
      return li;
    }));
  }

  // The file picked to go on with an unfinished upload: the one of the same name, size and date.
  function resume(file) {
    const u = unfinished().find((x) => x.name === file.name && x.size === file.size && x.lastModified === file.lastModified);
    if (!u) {
      say(file.name + ' is not the file of an unfinished upload: its name, size or date differ.');
      return;
    }
    upload([{file, rel: u.path.substring(u.path.lastIndexOf('/') + 1)}], [], folderOf(u.path));
  }

  // A Replace button beside an upload refused because the name exists; the old content stays
  // in the file's history.
  function offerReplace(bar, path, file) {
    const b = button('Replace', 'Replace ' + file.name, async () => {
      b.disabled = true;
      try {
        await send(path, file, (n) => { bar.value = n; }, true);
        bar.value = bar.max;
        b.remove();
        say('Replaced ' + file.name + '; the old content is in its versions.');
        changed();
      } catch (e) { b.disabled = false; say('Failed: ' + e.message); }
    });
    bar.parentNode.append(b);
  }

  // Makes each folder of `dirs` (paths relative to `base`) that does not exist, parents first.
  async function mkdirs(base, dirs) {
    const sorted = Array.from(new Set(dirs)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    for (const d of sorted) {
      const r = await fetch(API + 'mkdir', {method: 'POST', credentials: 'same-origin',
        headers: {'X-Cairn-CSRF': csrf, 'Content-Type': 'application/json'}, body: JSON.stringify({path: join(base, d)})});
      if (r.status === 401) { toLogin(); throw new Error('not logged in'); }
      if (!r.ok && r.status !== 409 && r.status !== 405) {
        const j = await r.json().catch(() => ({}));
        throw new Error('folder ' + d + ': ' + (j.message || 'the server answered ' + r.status));
      }
    }
  }

  // items: [{file, rel}] where rel is the path below `folder` (by default the folder shown: "a/b/c.txt"
  // or "c.txt"); emptyDirs: folders to make that hold no file (a dropped folder's empty ones).
  async function upload(items, emptyDirs, folder = currentFolder()) {
    if (!items.length && !(emptyDirs || []).length) return;
    if (items.length > MAX_FILES) { say('That is more than ' + MAX_FILES + ' files: upload it in parts.'); return; }
    const dirs = (emptyDirs || []).slice();
    items.forEach(({rel}) => {
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
    });
    try {
      await mkdirs(folder, dirs);
    } catch (e) { say('Failed: ' + e.message); return; }
    const list = $('uploadlist');
    const total = items.reduce((s, it) => s + it.file.size, 0) || 1;
    let done = 0;
    $('uploads').hidden = false;
    const bars = items.map(({file, rel}) => {
      const li = el('li');
      const p = el('progress');
      p.max = Math.max(1, file.size);
      p.value = 0;
      p.setAttribute('aria-label', 'Upload of ' + rel);
      li.append(el('span', rel + ' '), p);
      list.append(li);
      return p;
    });
    let ok = 0;
    let held = 0;
    for (let i = 0; i < items.length; i++) {
      const {file, rel} = items[i];
      const path = join(folder, rel);
      try {
        held += await send(path, file, (n) => {
          bars[i].value = n;
          $('overall').value = Math.round(100 * (done + n) / total);
        });
        bars[i].value = bars[i].max;
        ok++;
      } catch (e) {
        if (!e.exists) { say('Failed: ' + e.message); } else {
          offerReplace(bars[i], path, file);
          say(rel + ' exists here: not replaced. Use Replace in the upload list to overwrite it.');
        }
      }
      done += file.size;
      $('overall').value = Math.round(100 * done / total);
    }
    if (ok === items.length) {
      say('Uploaded ' + ok + (ok === 1 ? ' file' : ' files') + (dirs.length ? ' with their folders.' : '.')
        + (held > 0 ? ' ' + mib(held) + ' of it was on the server already and not sent again.' : ''));
    }
    changed();
  }

  // ---- what a drop holds: files, and folders walked through the File System Entry API ----
  function readEntries(reader) {
    return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
  }
  function fileOf(entry) {
    return new Promise((resolve, reject) => entry.file(resolve, reject));
  }
  async function walk(entry, prefix, out) {
    if (out.length > MAX_FILES) return;
    if (entry.isFile) {
      out.push({file: await fileOf(entry), rel: prefix + entry.name});
    } else if (entry.isDirectory) {
      out.push({dir: prefix + entry.name});
      const reader = entry.createReader();
      for (let i = 0; i < MAX_FILES; i++) { // readEntries answers a batch at a time, then []
        const batch = await readEntries(reader);
        if (!batch.length) break;
        for (const child of batch) await walk(child, prefix + entry.name + '/', out);
      }
    }
  }
  async function dropped(dt) {
    const entries = Array.from(dt.items || []).map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
    if (!entries.length) return Array.from(dt.files).map((file) => ({file, rel: file.name}));
    const out = [];
    for (const e of entries) await walk(e, '', out);
    return out;
  }

  async function start() {
    const session = await who();
    csrf = session.csrf || '';
    unfinishedKey = 'cairn.unfinished.' + (session.user || '');
    showUnfinished();
    $('resumepicker').addEventListener('change', () => {
      const file = $('resumepicker').files[0];
      $('resumepicker').value = '';
      if (file) resume(file);
    });
    $('picker').addEventListener('change', () => {
      const files = Array.from($('picker').files);
      $('picker').value = '';
      upload(files.map((file) => ({file, rel: file.name})));
    });
    $('folderpicker').addEventListener('change', () => {
      const files = Array.from($('folderpicker').files);
      $('folderpicker').value = '';
      upload(files.map((file) => ({file, rel: file.webkitRelativePath || file.name})));
    });
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('dropping'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('dropping'));
    drop.addEventListener('drop', async (e) => {
      e.preventDefault();
      drop.classList.remove('dropping');
      const all = await dropped(e.dataTransfer); // read at once: the drop's data lives only now
      upload(all.filter((x) => x.file), all.filter((x) => x.dir).map((x) => x.dir));
    });
  }

  start();
})();

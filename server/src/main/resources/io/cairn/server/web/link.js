// The page of a share link, opened without an account. Names reach the DOM only through
// textContent. Uses the link's own routes: info, unlock, list, file (LinkPages); an upload-only
// link is drop.js's.
'use strict';
(function () {
  const base = location.pathname.replace(/\/+$/, '');
  const $ = (id) => document.getElementById(id);
  let folder = '/';
  let after = null;

  function fail(message) {
    $('error').textContent = message;
  }

  async function call(path, options) {
    const r = await fetch(base + path, Object.assign({ credentials: 'same-origin' }, options || {}));
    let body = {};
    try { body = await r.json(); } catch (e) { body = {}; }
    return { status: r.status, body: body };
  }

  function size(n) {
    if (n === null || n === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function fileUrl(path) {
    return base + '/file?path=' + encodeURIComponent(path);
  }

  function join(dir, name) {
    return dir === '/' ? '/' + name : dir + '/' + name;
  }

  async function start() {
    fail('');
    const info = await call('/info');
    if (info.status === 401 && info.body.error === 'password_required') {
      $('unlock').hidden = false;
      $('password').focus();
      return;
    }
    if (info.status !== 200) {
      fail(info.body.message || 'This link is not available.');
      return;
    }
    $('unlock').hidden = true;
    document.title = info.body.name + ' · Cairn';
    if (info.body.mode === 'drop') { // drop.js takes it from here: nothing of the folder is listed
      document.dispatchEvent(new CustomEvent('cairn:drop', {detail: {name: info.body.name}}));
      return;
    }
    if (info.body.kind === 'file') {
      $('file').hidden = false;
      $('file-name').textContent = info.body.name;
      $('file-size').textContent = size(info.body.size);
      $('file-download').href = fileUrl('/');
      return;
    }
    $('folder').hidden = false;
    window.addEventListener('hashchange', () => open(fromHash(), info.body.name));
    open(fromHash(), info.body.name);
  }

  function fromHash() {
    const h = decodeURIComponent(location.hash.replace(/^#/, ''));
    return h.startsWith('/') ? h : '/';
  }

  function crumbs(path, rootName) {
    const ol = $('crumbs');
    ol.replaceChildren();
    const parts = path === '/' ? [] : path.slice(1).split('/');
    const add = (label, target) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.textContent = label;
      a.href = '#' + encodeURIComponent(target);
      li.append(a);
      ol.append(li);
    };
    add(rootName, '/');
    let at = '';
    for (const p of parts) {
      at += '/' + p;
      add(p, at);
    }
  }

  async function open(path, rootName) {
    folder = path;
    after = null;
    $('rows').replaceChildren();
    crumbs(path, rootName);
    await page();
  }

  async function page() {
    fail('');
    const q = '/list?path=' + encodeURIComponent(folder) + (after ? '&after=' + encodeURIComponent(after) : '');
    const r = await call(q);
    if (r.status !== 200) {
      fail(r.body.message || 'Cannot list this folder.');
      return;
    }
    for (const e of r.body.entries) {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      name.className = 'name';
      const a = document.createElement('a');
      a.textContent = e.name;
      const path = join(folder, e.name);
      if (e.kind === 'folder') {
        a.href = '#' + encodeURIComponent(path);
      } else {
        a.href = fileUrl(path);
        a.setAttribute('download', '');
      }
      name.append(a);
      const s = document.createElement('td');
      s.className = 'num';
      s.textContent = e.kind === 'folder' ? '' : size(e.size);
      const m = document.createElement('td');
      m.className = 'wide';
      m.textContent = e.mtime ? new Date(e.mtime).toLocaleString() : '';
      tr.append(name, s, m);
      $('rows').append(tr);
      after = e.name;
    }
    $('empty').hidden = $('rows').children.length > 0;
    $('more').hidden = !r.body.has_more;
  }

  $('more').addEventListener('click', page);
  $('unlock').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await call('/unlock', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Cairn-CSRF': 'link' },
      body: JSON.stringify({ password: $('password').value })
    });
    if (r.status === 200) {
      $('password').value = '';
      start();
    } else {
      fail(r.body.message || 'Wrong password.');
    }
  });
  // After every deferred script ran: drop.js must listen before a drop link's cairn:drop is sent
  // (link.js used to start at once, and a fast info answer could beat drop.js's listener).
  document.addEventListener('DOMContentLoaded', start);
})();

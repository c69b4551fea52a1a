'use strict';
// Cairn's web interface: one folder at a time, through the documented sync API (docs/api.md);
// uploads are upload.js's. Every name is user input: it only ever reaches the page as textContent.
(function () {
  const API = '/.cairn/api/v1/';
  const PAGE = 200; // rows in the DOM at once, however large the folder
  const $ = (id) => document.getElementById(id);
  let csrf = '';
  let entries = [];
  let sortKey = 'name';
  let sortUp = true;
  let page = 0;
  let undo = null;

  // ---- paths and URLs ----
  function currentFolder() {
    const parts = location.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    return '/' + parts.join('/');
  }
  function nameOf(path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
  function join(dir, name) {
    return dir === '/' ? '/' + name : dir + '/' + name;
  }
  function davUrl(path) {
    return path.split('/').map(encodeURIComponent).join('/');
  }
  function contentUrl(path, version) {
    return API + 'content?path=' + encodeURIComponent(path) + (version ? '&version=' + version : '');
  }
  function toLogin() {
    location.assign('/.cairn/web/login?next=' + encodeURIComponent(location.pathname));
  }

  // ---- the API ----
  async function api(method, route, body) {
    const r = await fetch(API + route, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {'X-Cairn-CSRF': csrf} : {'X-Cairn-CSRF': csrf, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 401) {
      toLogin();
      throw new Error('not logged in');
    }
    const json = await r.json().catch(() => ({}));
    if (!r.ok) {
      throw new Error(json.message || ('the server answered ' + r.status));
    }
    return json;
  }

  // ---- formatting ----
  function size(n) {
    if (n === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }
  function when(ms) {
    return ms ? new Date(ms).toLocaleString() : '';
  }
  const {el, button} = window.CairnPage; // page.js, loaded first
  function say(text, undoAction) {
    $('statustext').textContent = text;
    undo = undoAction || null;
    $('undo').hidden = !undo;
  }
  function failed(e) {
    say('Failed: ' + e.message);
  }

  // ---- the folder ----
  function crumbs() {
    const ol = $('crumbs');
    ol.replaceChildren();
    const folder = currentFolder();
    const parts = folder === '/' ? [] : folder.substring(1).split('/');
    const home = el('li');
    const a = el('a', 'Home');
    a.href = '/';
    home.append(a);
    ol.append(home);
    let path = '';
    parts.forEach((p, i) => {
      path += '/' + p;
      const li = el('li');
      const link = el('a', p);
      link.href = davUrl(path) + '/';
      if (i === parts.length - 1) link.setAttribute('aria-current', 'page');
      li.append(link);
      ol.append(li);
    });
    document.title = (folder === '/' ? 'Home' : nameOf(folder)) + ' · Cairn';
  }

  async function load() {
    const folder = currentFolder();
    const all = [];
    let after = null;
    for (let i = 0; i < 1000; i++) { // at most 10 million entries
      const q = 'list?path=' + encodeURIComponent(folder) + '&limit=10000' + (after ? '&after=' + encodeURIComponent(after) : '');
      const r = await api('GET', q);
      all.push(...r.entries);
      if (!r.after) break;
      after = r.after;
    }
    entries = all;
    sort();
    render();
  }

  function sort() {
    const dir = sortUp ? 1 : -1;
    const byName = (a, b) => nameOf(a.path).localeCompare(nameOf(b.path));
    entries.sort((a, b) => {
      if ((a.kind === 'folder') !== (b.kind === 'folder')) return a.kind === 'folder' ? -1 : 1;
      let d = 0;
      if (sortKey === 'size') d = (a.size || 0) - (b.size || 0);
      else if (sortKey === 'mtime') d = (a.mtime || 0) - (b.mtime || 0);
      else if (sortKey === 'author') d = (a.author || '').localeCompare(b.author || '');
      return (d || byName(a, b)) * dir;
    });
    document.querySelectorAll('th[data-key]').forEach((th) => {
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortUp ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  function render() {
    const pages = Math.max(1, Math.ceil(entries.length / PAGE));
    page = Math.min(page, pages - 1);
    const rows = entries.slice(page * PAGE, page * PAGE + PAGE).map(row);
    $('rows').replaceChildren(...rows);
    if (entries.length === 0) {
      const tr = el('tr');
      const td = el('td', 'This folder is empty.');
      td.colSpan = 5;
      tr.append(td);
      $('rows').append(tr);
    }
    $('pageinfo').textContent = entries.length === 0 ? '' :
      (page * PAGE + 1) + '–' + Math.min(entries.length, page * PAGE + PAGE) + ' of ' + entries.length;
    $('prev').disabled = page === 0;
    $('next').disabled = page >= pages - 1;
  }

  function row(e) {
    const name = nameOf(e.path);
    const folder = e.kind === 'folder';
    const tr = el('tr');
    const cell = el('td', undefined, 'name');
    const link = el('a', name + (folder ? '/' : ''));
    if (folder) {
      link.href = davUrl(e.path) + '/';
    } else {
      link.href = contentUrl(e.path);
      link.download = name;
    }
    cell.append(link);
    // Who made the commit the entry's version names (the listing's author); a share's root has none.
    tr.append(cell, el('td', folder ? '' : size(e.size), 'num'), el('td', when(e.mtime), 'wide'),
      el('td', e.author || '', 'wide author'));
    const actions = el('td', undefined, 'actions');
    if (!folder) {
      actions.append(button('Versions', 'Versions of ' + name, () => history(e.path)));
    } else {
      const zip = el('a', 'ZIP');
      zip.href = API + 'zip?path=' + encodeURIComponent(e.path);
      zip.download = name + '.zip';
      zip.setAttribute('aria-label', 'Download ' + name + ' as a ZIP file');
      actions.append(zip);
    }
    // shares.js makes the link: the event carries the path and whether it is a folder.
    actions.append(button('Share', 'Share ' + name, () => document.dispatchEvent(new CustomEvent('cairn:share', {detail: {path: e.path, folder}}))));
    actions.append(button('Rename', 'Rename ' + name, () => rename(e)));
    if (!e.share) {
      actions.append(button('Delete', 'Delete ' + name, () => remove(e)));
    }
    tr.append(actions);
    return tr;
  }

  // ---- asking for a name ----
  async function ask(label, value) {
    const name = await window.CairnPage.prompt(label, value);
    if (name && (name.includes('/') || name === '.' || name === '..')) {
      say('A name cannot contain "/" nor be "." or "..".');
      return null;
    }
    return name;
  }

  // ---- actions ----
  async function newFolder() {
    const name = await ask('Name of the new folder');
    if (!name) return;
    try {
      await api('POST', 'mkdir', {path: join(currentFolder(), name)});
      say('Created folder ' + name + '.');
      await load();
    } catch (e) { failed(e); }
  }

  async function rename(e) {
    const old = nameOf(e.path);
    const name = await ask('New name of ' + old, old);
    if (!name || name === old) return;
    try {
      await api('POST', 'move', {from: e.path, to: join(currentFolder(), name), base: e.version});
      say('Renamed ' + old + ' to ' + name + '.');
      await load();
    } catch (err) { failed(err); }
  }

  async function remove(e) {
    const name = nameOf(e.path);
    try {
      const r = await api('POST', 'delete', {path: e.path, base: e.version});
      say('Moved ' + name + ' to the trash.', async () => {
        try {
          await api('POST', 'trash/restore', {path: e.path, version: r.version});
          say('Restored ' + name + '.');
          await load();
        } catch (err) { failed(err); }
      });
      await load();
    } catch (err) { failed(err); }
  }

  async function history(path) {
    try {
      const r = await api('GET', 'history?path=' + encodeURIComponent(path) + '&limit=1000');
      $('historytitle').textContent = 'Versions of ' + nameOf(path);
      $('versions').replaceChildren(...r.versions.map((v, i) => {
        const tr = el('tr');
        const acts = el('td', undefined, 'actions');
        if (v.kind === 'file' && v.expired) {
          acts.append(el('span', 'expired'));
        } else if (v.kind === 'file' && v.damaged) {
          // a chunk of it is recorded lost or corrupt (fsck --repair, the scrub): nothing to download
          acts.append(el('span', 'damaged: its content was lost; ask an administrator'));
        } else if (v.kind === 'file') {
          const a = el('a', 'Download');
          a.href = contentUrl(path, v.version);
          a.download = nameOf(path);
          a.setAttribute('aria-label', 'Download the version of ' + when(v.at));
          acts.append(a);
          if (i > 0) {
            acts.append(button('Restore', 'Restore the version of ' + when(v.at), async () => {
              try {
                await api('POST', 'restore', {path, version: v.version});
                say('Restored the version of ' + when(v.at) + ' of ' + nameOf(path) + '.');
                await load();
                await history(path);
              } catch (err) { failed(err); }
            }));
          }
        }
        tr.append(el('td', when(v.at)), el('td', v.kind === 'file' ? size(v.size) : v.kind, 'num'), el('td', v.author || ''), acts);
        return tr;
      }));
      $('history').hidden = false;
      $('closehistory').focus();
    } catch (err) { failed(err); }
  }

  async function trash() {
    try {
      const r = await api('GET', 'trash?path=' + encodeURIComponent(currentFolder()) + '&limit=1000');
      $('trashrows').replaceChildren(...r.trash.map((t) => {
        const tr = el('tr');
        const acts = el('td', undefined, 'actions');
        acts.append(button('Restore', 'Restore ' + t.path, async () => {
          try {
            await api('POST', 'trash/restore', {path: t.path, version: t.version});
            say('Restored ' + t.path + '.');
            await load();
            await trash();
          } catch (err) { failed(err); }
        }));
        tr.append(el('td', t.path), el('td', when(t.deleted_at)), el('td', t.deleted_by || ''), acts);
        return tr;
      }));
      $('emptytrash').disabled = r.trash.length === 0;
      if (r.trash.length === 0) {
        const tr = el('tr');
        const td = el('td', 'Nothing was deleted here.');
        td.colSpan = 4;
        tr.append(td);
        $('trashrows').append(tr);
      }
      $('trash').hidden = false;
      $('closetrash').focus();
    } catch (err) { failed(err); }
  }

  // Empties the trash at or below this folder (POST trash/empty) once the person has confirmed it.
  async function emptyTrash() {
    const n = $('trashrows').querySelectorAll('tr button').length;
    const folder = currentFolder();
    const where = folder === '/' ? 'your trash' : 'the trash of ' + folder;
    if (!await window.CairnPage.confirm('Delete the ' + n + (n === 1 ? ' item' : ' items') + ' in ' + where +
        ' for good? They can no longer be restored.', 'Empty trash')) return;
    try {
      const r = await api('POST', 'trash/empty', {path: folder});
      say('Emptied ' + where + ': ' + r.emptied + (r.emptied === 1 ? ' item.' : ' items.'));
      await trash();
    } catch (err) { failed(err); }
  }

  // ---- live refresh: the change stream (GET events, SSE); a change in this folder reloads it ----
  function parentOf(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.substring(0, i);
  }
  function follow() {
    const folder = currentFolder();
    let timer = null;
    const stream = new EventSource(API + 'events');
    stream.addEventListener('change', (ev) => {
      let c;
      try { c = JSON.parse(ev.data); } catch (e) { return; }
      const touched = [c.path, c.from].filter((p) => typeof p === 'string');
      if (touched.some((p) => parentOf(p) === folder || folder.startsWith(p + '/') || p === folder)) {
        clearTimeout(timer);
        timer = setTimeout(() => load().catch(failed), 300); // one reload for a burst of changes
      }
    });
    stream.addEventListener('reset', () => location.reload());
    // A stream that fails may be a blip (EventSource retries) or a session that ended (logout in
    // another tab, expiry): ask, and leave for the login page in the second case.
    stream.addEventListener('error', () => {
      fetch(API + 'server', {credentials: 'same-origin', headers: {'X-Cairn-CSRF': csrf}})
        .then((r) => { if (r.status === 401) { stream.close(); toLogin(); } })
        .catch(() => {});
    });
  }

  // ---- wiring ----
  function wire() {
    $('logout').addEventListener('click', async () => {
      await fetch('/.cairn/web/logout', {method: 'POST', credentials: 'same-origin', headers: {'X-Cairn-CSRF': csrf}});
      location.assign('/.cairn/web/login');
    });
    $('newfolder').addEventListener('click', newFolder);
    $('showtrash').addEventListener('click', trash);
    $('closehistory').addEventListener('click', () => { $('history').hidden = true; });
    $('closetrash').addEventListener('click', () => { $('trash').hidden = true; });
    $('emptytrash').addEventListener('click', emptyTrash);
    $('undo').addEventListener('click', () => { if (undo) undo(); });
    $('prev').addEventListener('click', () => { page--; render(); });
    $('next').addEventListener('click', () => { page++; render(); });
    // upload.js uploads; it tells what happened and when the folder changed by these events.
    document.addEventListener('cairn:say', (ev) => say(ev.detail.text));
    document.addEventListener('cairn:changed', () => load().catch(failed));
    document.querySelectorAll('th[data-key] button').forEach((b) => b.addEventListener('click', () => {
      const key = b.parentElement.dataset.key;
      sortUp = key === sortKey ? !sortUp : true;
      sortKey = key;
      page = 0;
      sort();
      render();
    }));
  }

  async function start() {
    const r = await fetch('/.cairn/web/session', {credentials: 'same-origin', headers: {'X-Cairn-CSRF': ''}});
    if (r.status === 401) { toLogin(); return; }
    const s = await r.json();
    csrf = s.csrf || '';
    $('user').textContent = s.user;
    wire();
    crumbs();
    try { await load(); } catch (e) { failed(e); }
    follow();
  }

  start();
})();

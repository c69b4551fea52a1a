'use strict';
// The Administration panel, for admins only (the link shows when GET /.cairn/web/session says
// "admin"; the admin API answers 403 to anyone else whatever the page shows): users (create,
// quota, password reset, disable and enable), shared folders and their grants, and the server's
// status. Every call is the admin API on the main port (AdminApi, docs/operations.md) with the
// session cookie and its CSRF header; every name reaches the page as text only.
(function () {
  const ADMIN = '/.cairn/admin/';
  const $ = (id) => document.getElementById(id);
  const {who, call, el, button, confirm, prompt} = window.CairnPage;
  let users = [];

  function say(text) {
    $('adminstatus').textContent = text;
  }
  async function act(what, fn) {
    try {
      await fn();
      say(what);
    } catch (e) {
      say('Failed: ' + e.message);
    }
  }

  function size(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }
  // "10G", "500 MiB", "1.5T", "none" or "" (no quota: -1); null when it is no size.
  function parseSize(text) {
    if (text === '' || /^none$/i.test(text)) return -1;
    const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text);
    if (!m) return null;
    return Math.round(Number(m[1]) * Math.pow(1024, ' KMGT'.indexOf(m[2].toUpperCase() || ' ')));
  }

  // ---- users ----
  async function loadUsers() {
    users = (await call('GET', ADMIN + 'users')).users;
    const me = (await who()).user;
    $('userrows').replaceChildren(...users.map((u) => {
      const tr = el('tr');
      const acts = el('td', undefined, 'actions');
      const path = ADMIN + 'users/' + encodeURIComponent(u.name);
      acts.append(button('Quota', 'Set the quota of ' + u.name, async () => {
        const text = await prompt('Quota of ' + u.name + ' (e.g. 10G or 500M; empty for none)',
          u.quotaBytes < 0 ? '' : size(u.quotaBytes).replace(' ', ''));
        if (text === null) return;
        const bytes = parseSize(text);
        if (bytes === null) { say('"' + text + '" is not a size: write e.g. 10G, 500M or none.'); return; }
        await act('Set the quota of ' + u.name + ' to ' + (bytes < 0 ? 'none' : size(bytes)) + '.', async () => {
          await call('PUT', path + '/quota', {bytes});
          await loadUsers();
        });
      }));
      acts.append(button('Reset password', 'Reset the password of ' + u.name, async () => {
        const password = await prompt('New password of ' + u.name + ' (at least 8 characters)', '', 'password');
        if (password === null || password === '') return;
        await act('Set a new password for ' + u.name + '; their browsers were logged out.', () =>
          call('PUT', path + '/password', {password}));
      }));
      if (u.name !== me) {
        const disable = !u.disabled;
        acts.append(button(disable ? 'Disable' : 'Enable', (disable ? 'Disable ' : 'Enable ') + u.name, async () => {
          if (disable && !await confirm('Disable ' + u.name + '? They can no longer log in, and their tokens stop ' +
              'working, until you enable them again. Their files stay.', 'Disable')) return;
          await act((disable ? 'Disabled ' : 'Enabled ') + u.name + '.', async () => {
            await call('PUT', path + '/disabled', {disabled: disable});
            await loadUsers();
          });
        }));
      }
      tr.append(el('td', u.name), el('td', u.admin ? 'admin' : 'user'),
        el('td', u.quotaBytes < 0 ? 'none' : size(u.quotaBytes), 'num'), el('td', u.disabled ? 'disabled' : 'active'), acts);
      return tr;
    }));
    $('grantuser').replaceChildren(...users.map((u) => { const o = el('option', u.name); o.value = u.name; return o; }));
  }

  async function createUser(ev) {
    ev.preventDefault();
    const name = $('newusername').value.trim();
    await act('Created user ' + name + '.', async () => {
      await call('POST', ADMIN + 'users', {name, password: $('newuserpassword').value, admin: $('newuseradmin').checked});
      $('userform').reset();
      await loadUsers();
    });
  }

  // ---- shared folders ----
  async function loadNamespaces() {
    const spaces = (await call('GET', ADMIN + 'namespaces')).namespaces;
    $('nsrows').replaceChildren(...spaces.map((n) => {
      const tr = el('tr');
      const holders = el('td');
      if (n.grants.length === 0) holders.append(el('span', 'nobody yet', 'hint'));
      const acts = el('td', undefined, 'actions');
      n.grants.forEach((g) => {
        holders.append(el('span', g.user + ' (' + (g.access === 'write' ? 'read and write' : 'read only') + ') '));
        acts.append(button('Revoke ' + g.user, 'Revoke the access of ' + g.user + ' to ' + n.name, () =>
          act('Revoked the access of ' + g.user + ' to ' + n.name + '.', async () => {
            await call('DELETE', ADMIN + 'namespaces/' + encodeURIComponent(n.name) + '/grants/' + encodeURIComponent(g.user));
            await loadNamespaces();
          })));
      });
      tr.append(el('td', n.name), holders, acts);
      return tr;
    }));
    if (spaces.length === 0) {
      const tr = el('tr');
      const td = el('td', 'No shared folder yet.');
      td.colSpan = 3;
      tr.append(td);
      $('nsrows').append(tr);
    }
    $('grantns').replaceChildren(...spaces.map((n) => { const o = el('option', n.name); o.value = n.name; return o; }));
  }

  async function createNamespace(ev) {
    ev.preventDefault();
    const name = $('newns').value.trim();
    await act('Created the shared folder ' + name + '.', async () => {
      await call('POST', ADMIN + 'namespaces', {name});
      $('nsform').reset();
      await loadNamespaces();
    });
  }

  async function grant(ev) {
    ev.preventDefault();
    const ns = $('grantns').value;
    const user = $('grantuser').value;
    const access = $('grantaccess').value;
    await act('Gave ' + user + ' ' + (access === 'write' ? 'read and write' : 'read-only') + ' access to ' + ns +
        ': it is the folder /' + ns + ' of their home.', async () => {
      await call('PUT', ADMIN + 'namespaces/' + encodeURIComponent(ns) + '/grants/' + encodeURIComponent(user), {access});
      await loadNamespaces();
    });
  }

  // ---- the server ----
  // A run the journal recorded (any node's, or a command's): when, its result, how long it took,
  // and its own one-line account.
  function lastRun(r, none) {
    if (!r) return none;
    return new Date(r.lastRunAt).toLocaleString() + ': ' + r.result + ', took ' + (r.tookMillis / 1000).toFixed(1) + ' s'
      + (r.summary ? ' (' + r.summary + ')' : '');
  }

  // The background scrub's pass (ADR 0016), the last one or the one under way.
  function scrubPass(p) {
    if (!p) return 'none yet';
    const started = new Date(p.passStartedAt).toLocaleString();
    const found = p.checkedChunks + ' chunks (' + size(p.checkedBytes) + ') checked, ' + p.damagedChunks + ' damaged';
    return p.passEndedAt === null ? 'under way since ' + started + ': ' + found + ' so far'
      : started + ': ' + found + ', took ' + ((p.passEndedAt - p.passStartedAt) / 1000).toFixed(1) + ' s';
  }

  async function loadStatus() {
    const s = await call('GET', ADMIN + 'status');
    const facts = [
      ['Version', s.version],
      ['Journal', s.backends.journal],
      ['Chunks', s.backends.chunks],
      ['Cluster', s.clustered ? s.members.length + ' members: ' + s.members.join(', ') : 'single node'],
      ['Disk', s.disk ? size(s.disk.freeBytes) + ' free of ' + size(s.disk.sizeBytes) : 'not on local disk'],
      ['Last gc run', lastRun(s.gc, 'none recorded yet')],
      ['Last fsck', lastRun(s.fsck, 'none recorded: run cairn fsck')],
      ['Scrub', scrubPass(s.scrub)],
    ];
    $('serverfacts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  }

  async function show() {
    say('');
    try {
      await Promise.all([loadUsers(), loadNamespaces(), loadStatus()]);
      $('admin').hidden = false;
      $('closeadmin').focus();
    } catch (e) {
      $('admin').hidden = false;
      say('Failed: ' + e.message);
    }
  }

  async function start() {
    const s = await who();
    if (!s.admin) return; // no link; the API would answer 403 anyway
    $('showadmin').hidden = false;
    $('showadmin').addEventListener('click', show);
    $('closeadmin').addEventListener('click', () => { $('admin').hidden = true; });
    $('userform').addEventListener('submit', createUser);
    $('nsform').addEventListener('submit', createNamespace);
    $('grantform').addEventListener('submit', grant);
  }

  start();
})();

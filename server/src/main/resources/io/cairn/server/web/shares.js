'use strict';
// Share links in the web interface: the Share dialog (a row's "Share" sends the event
// 'cairn:share' with its path) and the Shares panel (list and revoke). Uses the sync API's
// shares routes (docs/api.md) through page.js; every path reaches the page as textContent.
(function () {
  const API = '/.cairn/api/v1/';
  const $ = (id) => document.getElementById(id);
  const {call, el, button, copy} = window.CairnPage;
  const api = (method, route, body) => call(method, API + route, body);
  let sharing = null;

  function open(path, folder) {
    sharing = path;
    // An upload-only ("drop") link opens a folder; a file is only ever shared to be read.
    $('sharemode').value = 'read';
    $('sharemode').hidden = !folder;
    $('sharemodelabel').hidden = !folder;
    $('sharetitle').textContent = 'Share ' + path.substring(path.lastIndexOf('/') + 1);
    $('sharesettings').hidden = false;
    $('makeshare').hidden = false;
    $('sharedone').hidden = true;
    $('shareerror').textContent = '';
    $('sharepassword').value = '';
    $('copyshare').textContent = 'Copy';
    $('sharedialog').showModal();
  }

  async function make() {
    const request = {path: sharing, mode: $('sharemode').value};
    const seconds = $('shareexpiry').value;
    if (seconds) request.expires_at = Date.now() + 1000 * Number(seconds);
    if ($('sharepassword').value) request.password = $('sharepassword').value;
    try {
      const link = await api('POST', 'shares', request);
      $('shareurl').value = location.origin + link.url;
      $('sharesettings').hidden = true;
      $('makeshare').hidden = true;
      $('sharedone').hidden = false;
      $('shareurl').focus();
      $('shareurl').select();
      if (!$('shares').hidden) await list();
    } catch (e) {
      $('shareerror').textContent = 'Failed: ' + e.message;
    }
  }

  async function list() {
    const r = await api('GET', 'shares');
    const rows = r.shares.map((s) => {
      const tr = el('tr');
      const expired = s.expires_at !== null && s.expires_at <= Date.now();
      const expires = s.expires_at === null ? 'never' : new Date(s.expires_at).toLocaleString() + (expired ? ' (expired)' : '');
      const acts = el('td');
      acts.append(button('Revoke', 'Revoke the link to ' + (s.path || 'a file no longer here'), async () => {
        try {
          await api('DELETE', 'shares/' + encodeURIComponent(s.id));
          await list();
        } catch (e) { $('sharerows').append(el('tr', 'Failed: ' + e.message)); }
      }));
      tr.append(el('td', (s.path || '(no longer in your files)') + (s.mode === 'drop' ? ' (upload only)' : '')),
        el('td', expires), el('td', s.password ? 'yes' : 'no'),
        el('td', String(s.downloads)), acts);
      tr.querySelectorAll('td')[3].className = 'num';
      return tr;
    });
    if (rows.length === 0) {
      const tr = el('tr');
      const td = el('td', 'You have no share links. Use "Share" on a file or folder.');
      td.colSpan = 5;
      tr.append(td);
      rows.push(tr);
    }
    $('sharerows').replaceChildren(...rows);
  }

  document.addEventListener('cairn:share', (ev) => open(ev.detail.path, ev.detail.folder));
  $('makeshare').addEventListener('click', make);
  $('copyshare').addEventListener('click', () => copy($('shareurl'), $('copyshare')));
  $('showshares').addEventListener('click', async () => {
    try {
      await list();
      $('shares').hidden = false;
      $('closeshares').focus();
    } catch (e) { $('statustext').textContent = 'Failed: ' + e.message; }
  });
  $('closeshares').addEventListener('click', () => { $('shares').hidden = true; });
})();

'use strict';
// The Settings panel: storage used (WebDAV's RFC 4331 quota properties of the home), the
// password and app tokens (the admin API's self-service routes, docs/operations.md). A new
// token's secret is shown once, then only its name and expiry.
(function () {
  const ADMIN = '/.cairn/admin/';
  const $ = (id) => document.getElementById(id);
  const {who, call, el, button, copy} = window.CairnPage;
  let me = null;
  let csrf = '';

  async function session() {
    const s = await who();
    me = s.user;
    csrf = s.csrf || '';
  }

  async function admin(method, route, body) {
    await session();
    return call(method, ADMIN + 'users/' + encodeURIComponent(me) + route, body);
  }

  function say(text) {
    $('settingsstatus').textContent = text;
  }

  function size(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  async function quota() {
    const body = '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>' +
      '<quota-used-bytes/><quota-available-bytes/></prop></propfind>';
    const r = await fetch('/', {method: 'PROPFIND', credentials: 'same-origin',
      headers: {'Depth': '0', 'Content-Type': 'application/xml', 'X-Cairn-CSRF': csrf}, body});
    const xml = new DOMParser().parseFromString(await r.text(), 'application/xml');
    const value = (name) => {
      const n = xml.getElementsByTagNameNS('DAV:', name)[0];
      return n && n.textContent.trim() !== '' ? Number(n.textContent) : null;
    };
    const used = value('quota-used-bytes');
    const available = value('quota-available-bytes');
    if (used === null) {
      $('quotatext').textContent = 'not known';
      return;
    }
    const total = available === null ? null : used + available;
    $('quotabar').max = total || Math.max(used, 1);
    $('quotabar').value = used;
    $('quotatext').textContent = size(used) + ' used by your files' + (available === null ? '' : ', ' + size(available) + ' available');
  }

  async function tokens() {
    const r = await admin('GET', '/tokens');
    const rows = r.tokens.map((t) => {
      const tr = el('tr');
      const acts = el('td');
      acts.append(button('Revoke', 'Revoke the token ' + t.name, async () => {
        try {
          await admin('DELETE', '/tokens/' + encodeURIComponent(t.id));
          say('Revoked the token ' + t.name + '.');
          await tokens();
        } catch (e) { say('Failed: ' + e.message); }
      }));
      tr.append(el('td', t.name), el('td', t.id), el('td', new Date(t.expiresAt).toLocaleString()), acts);
      return tr;
    });
    $('tokenrows').replaceChildren(...rows);
  }

  async function createToken(ev) {
    ev.preventDefault();
    try {
      const days = Number($('tokendays').value);
      const t = await admin('POST', '/tokens', {name: $('tokenname').value.trim(), expiresInSeconds: days * 86400});
      $('tokensecret').value = t.token;
      $('newtoken').hidden = false;
      $('copytoken').textContent = 'Copy';
      $('tokenname').value = '';
      say('Created the token ' + t.name + '. Copy it now: it is not shown again.');
      await tokens();
      $('tokensecret').focus();
      $('tokensecret').select();
    } catch (e) { say('Failed: ' + e.message); }
  }

  async function changePassword(ev) {
    ev.preventDefault();
    if ($('newpassword').value !== $('newpassword2').value) {
      say('The two passwords differ.');
      return;
    }
    try {
      await admin('PUT', '/password', {password: $('newpassword').value});
      $('newpassword').value = '';
      $('newpassword2').value = '';
      say('Your password is changed.');
    } catch (e) {
      if (/LDAP/.test(e.message)) {
        $('ldapnote').hidden = false;
        $('passwordform').hidden = true;
      }
      say('Failed: ' + e.message);
    }
  }

  $('showsettings').addEventListener('click', async () => {
    try {
      await session();
      $('newtoken').hidden = true;
      $('tokensecret').value = '';
      await Promise.all([quota(), tokens()]);
      $('settings').hidden = false;
      $('closesettings').focus();
    } catch (e) { $('statustext').textContent = 'Failed: ' + e.message; }
  });
  $('closesettings').addEventListener('click', () => {
    $('settings').hidden = true;
    $('tokensecret').value = '';
    $('newtoken').hidden = true;
  });
  $('tokenform').addEventListener('submit', createToken);
  $('passwordform').addEventListener('submit', changePassword);
  $('copytoken').addEventListener('click', () => copy($('tokensecret'), $('copytoken')));
})();

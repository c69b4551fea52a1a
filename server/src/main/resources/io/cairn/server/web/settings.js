'use strict';
// The Settings panel: storage used (live files, versions and trash of the home), the
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

  // The admin API's GET users/ME/quota: live files, earlier versions and trash as three segments
  // of one bar, scaled to the quota (or to the total when there is none).
  async function quota() {
    const q = await admin('GET', '/quota');
    const limit = q.quotaBytes >= 0 ? q.quotaBytes : null;
    const scale = Math.max(limit || 0, q.totalBytes, 1);
    const parts = {live: q.liveBytes, versions: q.versionBytes, trash: q.trashBytes};
    for (const [kind, bytes] of Object.entries(parts)) {
      $('quota' + kind).style.width = (100 * bytes / scale).toFixed(2) + '%';
      $('quotabar').dataset[kind] = String(bytes);
    }
    let text = size(q.liveBytes) + ' used by your files, ' + size(q.versionBytes) + ' by earlier versions, ' +
      size(q.trashBytes) + ' in the trash';
    if (limit !== null) {
      text += '; ' + size(q.countedBytes) + ' of your ' + size(limit) + ' quota' +
        (q.countsHistory ? ' (versions and trash count)' : ' (only your files count)');
    }
    $('quotatext').textContent = text;
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

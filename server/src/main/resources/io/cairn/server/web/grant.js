'use strict';
// Nextcloud's Login Flow v2 in the browser: log in to Cairn if needed, show which app asks, and
// grant it an app password (POST .../grant with the session's CSRF header). Text only, never HTML.
(function () {
  const $ = (id) => document.getElementById(id);
  const grantUrl = location.pathname.replace(/\/$/, '') + '/grant';

  async function main() {
    const s = await fetch('/.cairn/web/session', {credentials: 'same-origin', headers: {'X-Cairn-CSRF': 'ask'}});
    if (s.status === 401) {
      location.assign('/.cairn/web/login?next=' + encodeURIComponent(location.pathname));
      return;
    }
    const session = await s.json();
    const info = await fetch(grantUrl, {credentials: 'same-origin', headers: {'X-Cairn-CSRF': session.csrf}});
    const body = await info.json().catch(() => ({}));
    if (!info.ok) {
      $('error').textContent = body.message || ('the server answered ' + info.status);
      return;
    }
    $('user').textContent = body.user;
    $('agent').textContent = body.agent;
    $('ask').hidden = false;
    $('grant').addEventListener('click', async () => {
      $('grant').disabled = true;
      const r = await fetch(grantUrl, {method: 'POST', credentials: 'same-origin', headers: {'X-Cairn-CSRF': session.csrf}});
      const answer = await r.json().catch(() => ({}));
      if (r.ok) {
        $('ask').hidden = true;
        $('status').textContent = 'Access granted. You can close this window and go back to the app.';
      } else {
        $('grant').disabled = false;
        $('error').textContent = answer.message || ('the server answered ' + r.status);
      }
    });
  }
  main().catch((e) => { $('error').textContent = e.message; });
})();

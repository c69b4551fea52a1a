'use strict';
// The login form: POST /.cairn/web/login, then back to the page the browser asked for.
(function () {
  const form = document.getElementById('login');
  const error = document.getElementById('error');

  // Only a path of this server: never another origin (//host, /\host, /<tab>/host) from a
  // crafted link. The browser's own URL parser decides, as it will when the page goes there.
  function next() {
    const n = new URLSearchParams(location.search).get('next');
    if (!n || !n.startsWith('/')) return '/';
    try {
      const u = new URL(n, location.origin);
      // The whole URL, not its path: a path such as //evil.example/x (from /.//evil.example/x
      // after the parser's clean-up) would be read as another host by location.assign.
      return u.origin === location.origin ? u.href : '/';
    } catch (e) {
      return '/';
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const button = document.getElementById('submit');
    button.disabled = true;
    try {
      const r = await fetch('/.cairn/web/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-Cairn-CSRF': 'login'},
        body: JSON.stringify({name: form.name.value, password: form.password.value}),
      });
      if (r.ok) {
        location.assign(next());
        return;
      }
      const body = await r.json().catch(() => ({}));
      if (r.status === 401) {
        error.textContent = 'Wrong name or password.';
      } else if (r.status === 429) {
        error.textContent = 'Too many failed logins: try again in ' + (r.headers.get('Retry-After') || 'a few') + ' seconds.';
      } else {
        error.textContent = body.message || ('The server answered ' + r.status + '.');
      }
      form.password.select();
    } catch (e) {
      error.textContent = 'The server cannot be reached.';
    } finally {
      button.disabled = false;
    }
  });
})();

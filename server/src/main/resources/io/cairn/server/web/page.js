'use strict';
// What the screens (app.js, shares.js, settings.js, link.js) share, as window.CairnPage: the
// session (user and CSRF token), JSON calls that fail with the server's message, elements built
// with text only (every name is user input), copying a field to the clipboard, a yes-or-no
// question and a question for one value.
window.CairnPage = (function () {
  let session = null;

  async function who() {
    if (session === null) {
      const r = await fetch('/.cairn/web/session', {credentials: 'same-origin', headers: {'X-Cairn-CSRF': ''}});
      session = r.ok ? await r.json() : {user: null, csrf: ''};
    }
    return session;
  }

  async function call(method, url, body) {
    const headers = {'X-Cairn-CSRF': (await who()).csrf || ''};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, {method, credentials: 'same-origin', headers,
      body: body === undefined ? undefined : JSON.stringify(body)});
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(json.message || ('the server answered ' + r.status));
    return json;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function button(text, label, action) {
    const b = el('button', text);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.addEventListener('click', action);
    return b;
  }

  function copy(input, trigger) {
    input.select();
    const done = () => { trigger.textContent = 'Copied'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, () => { document.execCommand('copy'); done(); });
    } else {
      document.execCommand('copy');
      done();
    }
  }

  // Asks a yes-or-no question in the page's <dialog id="confirm">; resolves true for OK. Cancel
  // has the focus, so Enter does not destroy anything unasked.
  function confirm(text, okLabel) {
    return new Promise((resolve) => {
      const d = document.getElementById('confirm');
      document.getElementById('confirmtext').textContent = text;
      document.getElementById('confirmok').textContent = okLabel || 'OK';
      d.addEventListener('close', () => resolve(d.returnValue === 'ok'), {once: true});
      d.returnValue = '';
      d.showModal();
    });
  }

  // Asks for one value in the page's <dialog id="ask">; resolves it (trimmed, but for a password)
  // or null when cancelled.
  function prompt(label, value, type) {
    return new Promise((resolve) => {
      const d = document.getElementById('ask');
      const input = document.getElementById('askname');
      document.getElementById('asklabel').textContent = label;
      input.type = type || 'text';
      input.value = value || '';
      d.addEventListener('close', () => {
        resolve(d.returnValue !== 'ok' ? null : input.type === 'password' ? input.value : input.value.trim());
      }, {once: true});
      d.returnValue = '';
      d.showModal();
      input.select();
    });
  }

  return {who, call, el, button, copy, confirm, prompt};
})();

'use strict';
// The page of an upload-only ("drop") link, after link.js learnt the link's mode: a visitor picks
// or drops files, and each goes in parts through the link's drop routes (LinkDrops): POST drop,
// PUT drop/ID/part/N (4 MiB each, a part whose connection failed is sent again; a 429 or 503 waits
// its Retry-After), POST drop/ID/done. Nothing of the folder is shown, and the answers name no
// file. Names reach the page as textContent only.
(function () {
  const base = location.pathname.replace(/\/+$/, '');
  const PART = 4 << 20;
  const TRIES = 5; // per part; between them 1, 2, 4, 8 s
  const $ = (id) => document.getElementById(id);
  const headers = {'X-Cairn-CSRF': 'link'};

  function say(text) { $('dropstatus').textContent = text; }
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // The seconds a 429 or 503 asks to wait (Retry-After), at most a minute; null for any other answer.
  function retryAfter(status, header) {
    if (status !== 429 && status !== 503) return null;
    const s = parseInt(header || '', 10);
    return Math.min(60, Number.isFinite(s) && s > 0 ? s : 5);
  }

  async function post(path, body) {
    for (let tries = 1; ; tries++) {
      const r = await fetch(base + path, {method: 'POST', credentials: 'same-origin',
        headers: Object.assign({'Content-Type': 'application/json'}, headers), body: JSON.stringify(body || {})});
      const j = await r.json().catch(() => ({}));
      const later = retryAfter(r.status, r.headers.get('Retry-After'));
      if (later !== null && tries < TRIES) { // the server is busy or counting begins: wait as told
        say('Waiting ' + later + ' s: ' + (j.message || 'the server is busy'));
        await wait(later * 1000);
        continue;
      }
      if (!r.ok) throw new Error(j.message || ('the server answered ' + r.status));
      return j;
    }
  }

  function putPart(path, blob, onProgress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('PUT', base + path);
      x.setRequestHeader('X-Cairn-CSRF', headers['X-Cairn-CSRF']);
      x.upload.addEventListener('progress', (ev) => { if (ev.lengthComputable) onProgress(ev.loaded); });
      x.addEventListener('load', () => (x.status >= 200 && x.status < 300 ? resolve()
        : reject(Object.assign(new Error('the server answered ' + x.status), {retry: x.status >= 500 || x.status === 429,
          after: retryAfter(x.status, x.getResponseHeader('Retry-After'))}))));
      x.addEventListener('error', () => reject(Object.assign(new Error('the connection failed'), {retry: true})));
      x.send(blob);
    });
  }

  async function send(file, bar) {
    const id = (await post('/drop')).upload;
    const path = '/drop/' + encodeURIComponent(id);
    for (let at = 0, n = 0; at < file.size; at += PART, n++) {
      for (let tries = 1; ; tries++) {
        try {
          await putPart(path + '/part/' + n, file.slice(at, at + PART), (k) => { bar.value = at + k; });
          break;
        } catch (e) {
          if (!e.retry || tries >= TRIES) throw e;
          await wait(e.after ? e.after * 1000 : 1000 * 2 ** (tries - 1));
        }
      }
      bar.value = Math.min(file.size, at + PART);
    }
    await post(path + '/done', {name: file.name, size: file.size});
    bar.value = bar.max;
  }

  async function upload(files) {
    let ok = 0;
    for (const file of files) {
      const li = document.createElement('li');
      const bar = document.createElement('progress');
      bar.max = Math.max(1, file.size);
      bar.value = 0;
      bar.setAttribute('aria-label', 'Upload of ' + file.name);
      const label = document.createElement('span');
      label.textContent = file.name + ' ';
      li.append(label, bar);
      $('droplist').append(li);
      try {
        await send(file, bar);
        ok++;
      } catch (e) {
        say('Failed: ' + file.name + ': ' + e.message);
      }
    }
    if (ok === files.length) say('Uploaded ' + ok + (ok === 1 ? ' file.' : ' files.'));
  }

  document.addEventListener('cairn:drop', (ev) => {
    $('dropbox').hidden = false;
    $('drop-title').textContent = 'Upload files to ' + ev.detail.name;
    $('droppicker').addEventListener('change', () => {
      const files = Array.from($('droppicker').files);
      $('droppicker').value = '';
      upload(files);
    });
    const zone = document.body;
    zone.addEventListener('dragover', (e) => { e.preventDefault(); $('dropzone').classList.add('dropping'); });
    zone.addEventListener('dragleave', () => $('dropzone').classList.remove('dropping'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      $('dropzone').classList.remove('dropping');
      upload(Array.from(e.dataTransfer.files));
    });
  });
})();

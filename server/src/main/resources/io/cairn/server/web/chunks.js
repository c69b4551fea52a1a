'use strict';
// Large files in parts through the sync API's chunk routes (docs/api.md), the way cairn sync
// sends them, as window.CairnChunks for upload.js: the file is cut into parts of the server's
// largest chunk (GET server: chunker.max), each hashed (SHA-256, crypto.subtle, which browsers
// give only to secure contexts: HTTPS or this machine); POST chunks/missing names the parts the
// server lacks, each is sent with PUT chunks/{hash}, and one POST commit names them all, so the
// file appears whole or not at all. When a connection drops, the upload waits and asks again which
// parts are missing: parts already stored are never sent again, and it goes on from there. After
// a reload of the page the same holds once the person picks the file again (upload.js remembers
// what did not finish): the server counts the uploader's parts as present for an hour.
window.CairnChunks = (function () {
  const API = '/.cairn/api/v1/';
  const MIN_SIZE = 8 << 20; // smaller files go in one PUT
  const TRIES = 6; // rounds of sending; between them 1, 2, 4, 8, 16 s
  let partSize = null;

  function suits(file) {
    return file.size >= MIN_SIZE && window.isSecureContext && !!(window.crypto && crypto.subtle);
  }

  async function json(method, route, body, csrf) {
    const r = await fetch(API + route, {method, credentials: 'same-origin',
      headers: {'X-Cairn-CSRF': csrf, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body)});
    const j = await r.json().catch(() => ({}));
    if (!r.ok) {
      throw Object.assign(new Error(j.message || ('the server answered ' + r.status)),
        {status: r.status, code: j.error, retry: r.status >= 500 || r.status === 429});
    }
    return j;
  }

  async function sizeOfParts(csrf) {
    if (partSize === null) partSize = (await json('GET', 'server', undefined, csrf)).chunker.max;
    return partSize;
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function cut(file, part) {
    const blocks = [];
    for (let at = 0; at < file.size; at += part) {
      const slice = file.slice(at, Math.min(file.size, at + part));
      blocks.push({hash: hex(await crypto.subtle.digest('SHA-256', await slice.arrayBuffer())), size: slice.size, at});
    }
    return blocks;
  }

  function putPart(file, block, csrf, onProgress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('PUT', API + 'chunks/' + block.hash);
      x.setRequestHeader('X-Cairn-CSRF', csrf);
      x.setRequestHeader('Content-Type', 'application/octet-stream');
      x.upload.addEventListener('progress', (ev) => { if (ev.lengthComputable) onProgress(ev.loaded); });
      x.addEventListener('load', () => {
        if (x.status >= 200 && x.status < 300) resolve();
        else reject(Object.assign(new Error(file.name + ': the server answered ' + x.status),
          {status: x.status, retry: x.status >= 500 || x.status === 429}));
      });
      x.addEventListener('error', () => reject(Object.assign(new Error(file.name + ': the connection failed'), {retry: true})));
      x.send(file.slice(block.at, block.at + block.size));
    });
  }

  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Sends the parts the server lacks, round after round until none is missing (or TRIES rounds);
  // answers the bytes the server held already when it was first asked.
  async function sendMissing(file, blocks, csrf, onProgress) {
    const unique = [...new Map(blocks.map((b) => [b.hash, b])).values()];
    let held = null;
    for (let round = 1; ; round++) {
      try {
        const missing = new Set((await json('POST', 'chunks/missing', {hashes: unique.map((b) => b.hash)}, csrf)).missing);
        let stored = blocks.filter((b) => !missing.has(b.hash)).reduce((s, b) => s + b.size, 0);
        if (held === null) held = stored;
        onProgress(stored);
        for (const b of unique.filter((u) => missing.has(u.hash))) {
          await putPart(file, b, csrf, (n) => onProgress(stored + n));
          stored += blocks.filter((x) => x.hash === b.hash).reduce((s, x) => s + x.size, 0);
          onProgress(stored);
        }
        return held;
      } catch (e) {
        if (!e.retry || round >= TRIES) throw e;
        await wait(500 * 2 ** round);
      }
    }
  }

  // Uploads `file` to `path` in parts; answers the bytes the server held already (parts sent before
  // a reload, within the hour); rejects with {exists: true} when the name is taken and `replace`
  // is not set, as upload.js's PUT does.
  async function upload(path, file, onProgress, replace, csrf) {
    const blocks = await cut(file, await sizeOfParts(csrf));
    const commit = {path, size: file.size, mtime: file.lastModified || undefined, base: null,
      on_conflict: replace ? 'overwrite' : 'fail', blocklist: blocks.map((b) => ({hash: b.hash, size: b.size}))};
    let held = null;
    for (let attempt = 0; attempt < 2; attempt++) { // a part claimed too long ago counts as missing again
      const had = await sendMissing(file, blocks, csrf, onProgress);
      if (held === null) held = had;
      try {
        await json('POST', 'commit', commit, csrf);
        onProgress(file.size);
        return held;
      } catch (e) {
        if (e.status === 412 && !replace) throw Object.assign(new Error(file.name + ' exists'), {exists: true});
        if (e.code !== 'missing_chunks' || attempt > 0) throw e;
      }
    }
  }

  return {suits, upload};
})();

// The service worker: keeps this build's application files for offline use.
// build.py places it at the site root (so its scope is the whole site) and
// writes the build's version below; a new build therefore means a new
// service worker, a new cache, and the old cache deleted once it takes over.
//
// Install stores every file of the manifest outside the model folder, each
// checked against its sha256. Requests are answered from that cache, the
// network being used only for what is not in it (the model files, which the
// Python worker keeps in a cache of its own; see storage.js).

import {
  APP_CACHE_PREFIX,
  MODEL_CACHE_PREFIX,
  describeStorageError,
  isOurs,
  sha256Hex,
} from "./static/storage.js";

const VERSION = "__BUILD_VERSION__";
const APP_CACHE = APP_CACHE_PREFIX + VERSION;
const site = new URL("./", self.location.href);

// Hashes of this build's files by URL, and the URLs already checked since
// this service worker started.
let expected = null;
const verified = new Set();

self.addEventListener("install", (event) => {
  event.waitUntil(
    precache().catch(async (error) => {
      await caches.delete(APP_CACHE);
      await tell({ type: "install-failed", message: describeStorageError(error) });
      throw error;
    }),
  );
});

// A new build waits until the page asks it to take over: the page does so
// before it loads anything, so no page ever runs files of two builds.
self.addEventListener("message", (event) => {
  if (event.data === "take-over") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(removeOtherVersions().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== site.origin || !["GET", "HEAD"].includes(event.request.method)) {
    return;
  }
  event.respondWith(answer(event.request));
});

async function readManifest() {
  const response = await fetch(new URL("manifest.json", site), { cache: "no-store" });
  if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  const manifest = JSON.parse(new TextDecoder().decode(bytes));
  if (manifest.version !== VERSION) {
    throw new Error(`manifest.json is version ${manifest.version}, not ${VERSION}`);
  }
  return { manifest, bytes };
}

function appFiles(manifest) {
  return manifest.files.filter(({ path }) => !path.startsWith(manifest.runtime.models));
}

async function precache() {
  const { manifest, bytes } = await readManifest();
  const cache = await caches.open(APP_CACHE);
  const files = appFiles(manifest);
  let done = 0;
  for (const { path, sha256 } of files) {
    const url = new URL(path, site).href;
    await cache.put(url, await download(url, sha256));
    await tell({ type: "precache", done: ++done, total: files.length });
  }
  await cache.put(new URL("manifest.json", site).href, jsonResponse(bytes));
}

async function download(url, sha256) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  if ((await sha256Hex(bytes)) !== sha256) {
    throw new Error(`${url} does not match the build's manifest`);
  }
  return new Response(bytes, { headers: response.headers });
}

const jsonResponse = (bytes) =>
  new Response(bytes, { headers: { "Content-Type": "application/json" } });

async function removeOtherVersions() {
  const { runtime } = await (await caches.match(new URL("manifest.json", site).href,
    { cacheName: APP_CACHE })).json();
  const keep = new Set([APP_CACHE, MODEL_CACHE_PREFIX + runtime.model_version]);
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => isOurs(name) && !keep.has(name)).map((n) => caches.delete(n)),
  );
}

async function answer(request) {
  const cache = await caches.open(APP_CACHE);
  // A request's URL keeps its #fragment, which the page uses for its state.
  const address = new URL(request.url);
  address.hash = "";
  if (request.mode === "navigate" && address.pathname.endsWith("/")) {
    address.pathname += "index.html";
  }
  const url = address.href;
  const stored = await cache.match(url, { ignoreMethod: true, ignoreSearch: true });
  if (!stored) return fetch(request);
  const good = await checked(cache, url, stored);
  if (good === null) return damaged(url);
  if (request.method !== "HEAD") return good;
  return new Response(null, { status: good.status, headers: good.headers });
}

// A stored file is checked once per service-worker start; a damaged copy is
// fetched again, and if that fails the request fails with a clear reason.
// The stored response itself is what is served, untouched (the check reads
// a second copy): Chromium reuses compiled wasm only for responses that come
// straight from Cache Storage.
async function checked(cache, url, stored) {
  if (verified.has(url)) return stored;
  const sha256 = (await hashes()).get(url);
  const bytes = await (await cache.match(url)).arrayBuffer();
  if (sha256 === undefined || (await sha256Hex(bytes)) === sha256) {
    verified.add(url);
    return stored;
  }
  try {
    const fresh = await download(url, sha256);
    await cache.put(url, fresh.clone());
    verified.add(url);
    return fresh;
  } catch {
    return null;
  }
}

async function hashes() {
  if (expected === null) {
    const stored = await caches.match(new URL("manifest.json", site).href,
      { cacheName: APP_CACHE });
    const manifest = await stored.json();
    expected = new Map(
      manifest.files.map(({ path, sha256 }) => [new URL(path, site).href, sha256]),
    );
  }
  return expected;
}

function damaged(url) {
  const path = url.slice(site.href.length);
  return new Response(
    `The stored copy of ${path} is damaged and the network is unavailable.`,
    { status: 503, headers: { "Content-Type": "text/plain" } },
  );
}

async function tell(message) {
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  for (const client of clients) client.postMessage({ ...message, version: VERSION });
}

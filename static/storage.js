// What the page keeps in the browser's Cache Storage, shared by the page,
// the Python worker and the service worker.
//
// Two kinds of cache, each named after what it holds so that a new build
// never mixes with an old one:
//   sentsim-app-<build version>   the page, scripts, Pyodide, wheels, wasm
//   sentsim-model-<model hash>    the model files (Transformers.js fills it)
// Every stored file is checked against the sha256 in the build's manifest.

export const APP_CACHE_PREFIX = "sentsim-app-";
export const MODEL_CACHE_PREFIX = "sentsim-model-";

export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

export const isOurs = (name) =>
  name.startsWith(APP_CACHE_PREFIX) || name.startsWith(MODEL_CACHE_PREFIX);

// A cache for Transformers.js (env.customCache) that only hands back and only
// keeps files whose bytes match the manifest. `expected` maps URL to sha256.
// `notify(kind, detail)` hears of a damaged stored copy ("damaged", the URL;
// it is dropped and fetched again), of a download that differs from the
// manifest ("mismatch", the URL) and of storage failures ("storage-failed").
export async function openModelCache(name, expected, notify) {
  let cache = null;
  try {
    cache = await caches.open(name);
  } catch (error) {
    notify("storage-failed", describeStorageError(error));
  }
  return {
    async match(key) {
      const stored = await cache?.match(key);
      if (!stored) return undefined;
      const bytes = await stored.arrayBuffer();
      if ((await sha256Hex(bytes)) === expected.get(String(key))) {
        return new Response(bytes, { headers: stored.headers });
      }
      await cache.delete(key);
      notify("damaged", String(key));
      return undefined;
    },
    async put(key, response) {
      const bytes = await response.arrayBuffer();
      if ((await sha256Hex(bytes)) !== expected.get(String(key))) {
        notify("mismatch", String(key));
        return;
      }
      try {
        if (!cache) throw new Error("Cache Storage is unavailable");
        await cache.put(key, new Response(bytes, { headers: response.headers }));
      } catch (error) {
        notify("storage-failed", describeStorageError(error));
      }
    },
  };
}

export function describeStorageError(error) {
  return `${error?.name ?? "Error"}: ${error?.message ?? error}`;
}

// Which of the manifest's files are stored: {missing: [paths], bytes, files}.
export async function checkStored(manifest, siteURL) {
  const app = await caches.open(APP_CACHE_PREFIX + manifest.version);
  const model = await caches.open(MODEL_CACHE_PREFIX + manifest.runtime.model_version);
  const missing = [];
  let bytes = 0;
  for (const { path, size } of manifest.files) {
    const cache = path.startsWith(manifest.runtime.models) ? model : app;
    if (await cache.match(new URL(path, siteURL).href)) bytes += size;
    else missing.push(path);
  }
  return { missing, bytes, files: manifest.files.length };
}

// Remove every cache of ours and the service worker; return bytes freed.
export async function clearStored() {
  let bytes = 0;
  for (const name of (await caches.keys()).filter(isOurs)) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      bytes += (await (await cache.match(request)).blob()).size;
    }
    await caches.delete(name);
  }
  const registrations = await navigator.serviceWorker?.getRegistrations();
  await Promise.all((registrations ?? []).map((r) => r.unregister()));
  return bytes;
}

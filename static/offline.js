// The page's side of offline use: registering the service worker before
// Python boots, taking up a new build whole, and reporting what is stored.

import { checkStored, clearStored } from "./storage.js";

const site = new URL("../", import.meta.url);
const serviceWorkers = navigator.serviceWorker;
const UPDATE_WAIT_MS = 3000;
const CLAIM_WAIT_MS = 10000;
export const BYPASSED =
  "this load bypassed the stored files (a hard reload?); reload normally to use them.";

// Resolves or rejects as `promise` does, or rejects after `ms`.
const within = (ms, promise) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(reject, ms, new Error("timed out"))),
  ]);

/**
 * Make sure this build's files are stored and served by the service worker.
 * Resolves with null when they are, or with a sentence saying why offline
 * use is unavailable; the page then works for this visit from the network.
 * When a new build has just been stored, reloads so the page runs it whole.
 */
export async function prepareOffline(onStage) {
  if (!serviceWorkers) return "this browser has no service workers.";
  const failure = listenForInstallFailure();
  try {
    const wasControlled = Boolean(serviceWorkers.controller);
    const registration = await serviceWorkers.register(new URL("sw.js", site), {
      type: "module",
    });
    // A return visit asks for a newer build first: offline that fails at
    // once, and a server too slow to answer does not hold the page up (the
    // check goes on, and the next visit gets what it finds). On a first
    // visit the install under way is the newest; update() would only wait.
    if (wasControlled) await within(UPDATE_WAIT_MS, registration.update()).catch(() => {});
    const incoming = registration.installing ?? registration.waiting;
    if (!incoming) {
      // A hard reload (Shift+Reload) bypasses the service worker for this
      // load; the page then works from the network, and says so.
      return serviceWorkers.controller ? null : BYPASSED;
    }
    onStage(wasControlled ? "Updating to the new version…" : "Storing the app for offline use…");
    if (wasControlled) {
      if ((await settled(incoming, "installed")) === "redundant") {
        return `storing the new version failed (${await reason(failure)}).`;
      }
      incoming.postMessage("take-over");
      await settled(incoming, "activated");
      location.reload();
      return new Promise(() => {}); // the reload replaces this page
    }
    if ((await settled(incoming, "activated")) === "redundant") {
      return `storing files failed (${await reason(failure)}).`;
    }
    return (await within(CLAIM_WAIT_MS, controlled()).catch(() => false)) === false
      ? BYPASSED
      : null;
  } catch (error) {
    return `the service worker could not start (${error.message}).`;
  }
}

// The service worker tells its clients why an install failed.
function listenForInstallFailure() {
  const told = new Promise((resolve) =>
    serviceWorkers.addEventListener("message", ({ data }) => {
      if (data?.type === "install-failed") resolve(data.message);
    }),
  );
  serviceWorkers.startMessages();
  return told;
}

// The message may trail the state change, or never come if the script
// itself failed; a second is plenty for one that was sent.
const reason = (told) => within(1000, told).catch(() => "no reason given");

// Resolves with the worker's state once it reaches `wanted` (or a later
// state), or "redundant" if it fails.
const ORDER = ["installing", "installed", "activating", "activated"];

function settled(worker, wanted) {
  return new Promise((resolve) => {
    const check = () => {
      const reached = ORDER.indexOf(worker.state) >= ORDER.indexOf(wanted);
      if (reached || worker.state === "redundant") {
        worker.removeEventListener("statechange", check);
        resolve(worker.state);
      }
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

function controlled() {
  if (serviceWorkers.controller) return Promise.resolve(true);
  return new Promise((resolve) =>
    serviceWorkers.addEventListener("controllerchange", () => resolve(true), {
      once: true,
    }),
  );
}

/** Listen to the service worker's progress while it stores files. */
export function onPrecacheProgress(callback) {
  serviceWorkers?.addEventListener("message", ({ data }) => {
    if (data?.type === "precache") callback(data.done, data.total);
  });
}

/** {missing: [paths], bytes, files} for this build, from Cache Storage. */
export async function storedStatus() {
  const manifest = await (await fetch(new URL("manifest.json", site))).json();
  return checkStored(manifest, site);
}

export { clearStored };

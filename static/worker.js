import { MODEL_CACHE_PREFIX, openModelCache, sha256Hex } from "./storage.js";

// The module worker that runs Python. It boots Pyodide, installs the bridge,
// loads the model through the Python package in py/, then answers requests.
// The message shapes are documented once, in client.js.

const site = new URL("../", import.meta.url);
const REBUILD = "Rebuild the site with `python3 build.py`, then reload the page.";

let pyodide = null;
let bridge = null;
let hashes = new Map(); // site path -> sha256, from the manifest

const post = (message) => self.postMessage(message);
const siteURL = (path) => new URL(path, site).href;
const relative = (url) => (url.startsWith(site.href) ? url.slice(site.href.length) : url);

async function boot() {
  const { runtime, files } = await stage("Reading the build manifest…", readManifest);
  hashes = new Map(files.map(({ path, sha256 }) => [path, sha256]));
  await stage("Loading the Python runtime…", () => startPython(runtime));
  await stage("Installing Python packages…", () => installPackages(runtime));
  await stage("Loading the page's Python code…", () => importApp(runtime));
  const info = await stage("Loading the model…", () => loadModel(runtime, files));
  post({ type: "ready", info });
}

async function stage(text, work) {
  post({ type: "stage", text });
  console.debug(`[worker] ${text}`);
  try {
    return await work();
  } catch (error) {
    error.stage = text;
    throw error;
  }
}

async function fetchFromSite(path, options) {
  const response = await fetch(siteURL(path), options);
  if (!response.ok) {
    throw new SiteError(`${path} is missing from the site (HTTP ${response.status}).`);
  }
  return response;
}

async function readManifest() {
  return (await fetchFromSite("manifest.json")).json();
}

// A file the next step needs must be there, or its failure names it.
const requireOnSite = (...paths) =>
  Promise.all(paths.map((path) => fetchFromSite(path, { method: "HEAD" })));

async function requireIntact(path) {
  const bytes = await (await fetchFromSite(path)).arrayBuffer();
  if ((await sha256Hex(bytes)) !== hashes.get(path)) {
    throw new SiteError(`${path} on the site does not match the build's manifest.`);
  }
}

async function startPython(runtime) {
  // loadPyodide() never settles when pyodide.asm.wasm fails to load
  // (pyodide/pyodide#6296), so its core files are checked alongside: a bad
  // one ends the wait with its name.
  const intact = Promise.all(
    runtime.pyodide_core.map((name) => requireIntact(`${runtime.pyodide}${name}`)),
  );
  const { loadPyodide } = await import(siteURL(`${runtime.pyodide}pyodide.mjs`));
  const loading = loadPyodide({
    indexURL: siteURL(runtime.pyodide),
    lockFileURL: siteURL(`${runtime.pyodide}pyodide-lock.json`),
  });
  [, pyodide] = await Promise.all([intact, loading]);
}

async function installPackages(runtime) {
  const failures = [];
  await pyodide.loadPackage(runtime.packages, {
    messageCallback: (text) => console.debug(`[pyodide] ${text}`),
    errorCallback: (text) => failures.push(text),
  });
  if (failures.length > 0) throw new SiteError(failures.join("\n"));
  await requireOnSite(runtime.bridge_wheel);
  const micropip = pyodide.pyimport("micropip");
  await micropip.install(siteURL(runtime.bridge_wheel));
}

// Copy py/ into Pyodide's file system, then import the bridge module.
async function importApp(runtime) {
  const home = "/home/pyodide/app";
  for (const path of runtime.python) {
    const source = await (await fetchFromSite(path)).text();
    const target = `${home}/${path.replace(/^py\//, "")}`;
    pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
    pyodide.FS.writeFile(target, source);
  }
  pyodide.pyimport("sys").path.insert(0, home);
  pyodide.pyimport("importlib").invalidate_caches();
  bridge = pyodide.pyimport("sentsim.bridge");
}

// Sizes come from the manifest: without a Content-Length header,
// Transformers.js reports the bytes read so far as the total.
async function loadModel(runtime, files) {
  const folder = `${runtime.models}${runtime.model}/`;
  const modelFiles = files.filter(({ path }) => path.startsWith(folder));
  const sizes = new Map(modelFiles.map(({ path, size }) => [path, size]));
  await requireOnSite(
    ...runtime.wasm_files.map((name) => runtime.wasm + name),
    runtime.transformers,
  );
  const mismatched = [];
  const cache = await openModelCache(
    MODEL_CACHE_PREFIX + runtime.model_version,
    new Map(modelFiles.map(({ path, sha256 }) => [siteURL(path), sha256])),
    (kind, url) => {
      if (kind === "mismatch") mismatched.push(relative(url));
      else post({ type: "notice", kind, detail: relative(url) });
    },
  );
  // Every model file is announced with its size up front, so the overall
  // bar knows its total from the start.
  for (const { path, size } of modelFiles) {
    post({ type: "progress", status: "initiate", file: path.slice(folder.length), loaded: 0, total: size });
  }
  const onProgress = ({ status, file, loaded }) =>
    post({ type: "progress", status, file, loaded, total: sizes.get(folder + file) ?? 0 });
  let result;
  try {
    result = await bridge.load(
      siteURL(runtime.transformers),
      siteURL(runtime.wasm),
      siteURL(runtime.models),
      runtime.model,
      runtime.max_tokens,
      cache,
      onProgress,
    );
  } finally {
    // Transformers.js uses a download even when the cache refuses to keep
    // it, so a file that differs from the manifest is named, whether the
    // model then loaded or failed.
    if (mismatched.length > 0) {
      throw new SiteError(
        `${mismatched.join(", ")} on the site does not match the build's manifest.`,
      );
    }
  }
  return { engine: result.engine, maxSentences: result.max_sentences };
}

class SiteError extends Error {}

// Errors cross to the page as plain data: what failed, and what to do.
function describe(error) {
  const text = String(error?.message ?? error);
  const missing = text.match(/not found locally at "([^"]+)"/);
  if (missing) {
    return {
      stage: error.stage,
      message: `The model file ${relative(missing[1])} is missing from the site.`,
      hint: REBUILD,
      detail: text,
    };
  }
  const stage = error?.stage ?? null;
  return {
    stage,
    message: stage ? `${stage.replace("…", "")} failed: ${lastLine(text)}` : lastLine(text),
    hint: stage ? REBUILD : "Reload the page to try again.",
    detail: text,
  };
}

// Python tracebacks end with the line that names the exception.
function lastLine(text) {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1];
}

// Entry points the page may call: (args, run) where run reports progress
// and says whether the page has cancelled the request.
const methods = {
  compare: ([texts]) => bridge.compare(texts),
  countTokens: ([texts]) => bridge.count_tokens(texts),
  embed: ([texts]) => bridge.embed(texts),
  analyze: ([request], run) => bridge.analyze(request, run.progress, run.cancelled),
  export: ([kind, withEmbeddings]) => bridge.export(kind, withEmbeddings),
  readFile: ([name, text]) => bridge.read_file(name, text),
};
const running = new Map(); // request id -> {cancelled}

self.onmessage = async ({ data }) => {
  if (data?.type === "cancel") {
    if (running.has(data.id)) running.get(data.id).cancelled = true;
    return;
  }
  if (data?.type !== "request") return;
  const state = { cancelled: false };
  running.set(data.id, state);
  const run = {
    progress: (done, total) => post({ type: "run-progress", id: data.id, done, total }),
    cancelled: () => state.cancelled,
  };
  try {
    if (bridge === null) throw new Error("The model is still loading.");
    const result = await methods[data.method](data.args, run);
    post({ type: "reply", id: data.id, result });
  } catch (error) {
    post({ type: "error", id: data.id, error: describe(error) });
  } finally {
    running.delete(data.id);
  }
};

self.addEventListener("unhandledrejection", (event) => {
  post({ type: "error", error: describe(event.reason) });
});

boot().catch((error) => post({ type: "error", error: describe(error) }));

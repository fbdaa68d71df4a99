// What the user sees: boot progress, the modes, the compare form and its
// result. All Python work goes through PythonWorker (client.js); the list
// modes live in lists.js.

import { PythonWorker } from "./client.js";
import { ListModes } from "./lists.js";
import {
  BYPASSED,
  clearStored,
  onPrecacheProgress,
  prepareOffline,
  storedStatus,
} from "./offline.js";

const $ = (id) => document.getElementById(id);
const form = $("compare-form");
const button = $("compare");
const fields = [$("text-a"), $("text-b")];
const downloads = new Map(); // file name -> {loaded, total}
const showStage = (text) => ($("stage").textContent = text);
let storageProblem = null; // why offline use is unavailable, if it is
window.sentsimStarted = true; // index.html reports scripts that never ran

// Controls that work before Python is ready come first: the offline step
// below may take a while.
$("clear-stored").addEventListener("click", clearStoredFiles);
for (const tab of document.querySelectorAll(".modes [role=tab]")) {
  tab.addEventListener("click", () => setMode(tab.dataset.mode));
}
onPrecacheProgress((done, total) =>
  showStage(`Storing the app for offline use… (${done} of ${total} files)`),
);
storageProblem = await prepareOffline(showStage);
if (storageProblem) showOfflineStatus();

const python = new PythonWorker({
  onStage: showStage,
  onProgress: showProgress,
  onReady: enableCompare,
  onNotice: showNotice,
  onFailure: showFailure,
});

// One run at a time: while Python works on one, every run button waits.
const runs = {
  ready: false,
  broken: false,
  busy: false,
  begin() {
    this.busy = true;
    this.update();
  },
  end() {
    this.busy = false;
    this.update();
    if (linkWaiting) {
      linkWaiting = false;
      if (readFragment()) runMode();
    }
  },
  update() {
    const why = this.broken
      ? "Unavailable: see the message above."
      : !this.ready
        ? "Waiting for the model to load…"
        : this.busy
          ? "Working… (one run at a time)"
          : "";
    for (const [control, note] of [
      [button, $("compare-why")],
      [$("run"), $("run-why")],
    ]) {
      control.disabled = why !== "";
      note.textContent = why;
    }
    // The mode stays put while a run is in flight, so its result lands
    // under its own tab.
    for (const tab of document.querySelectorAll(".modes [role=tab]")) {
      tab.disabled = this.busy;
    }
  },
};
const lists = new ListModes(python, runs);
const MODES = ["pair", "rank", "matrix", "duplicates", "groups"];
// Links longer than this fail to open in some browsers; beyond it the link
// keeps the mode and options but not the sentences.
const MAX_FRAGMENT = 100_000;
let linkWaiting = false; // a link opened during a run, to follow after it
const pendingRun = readFragment();

function showProgress({ status, file, loaded, total }) {
  if (!file) return;
  const known = downloads.get(file) ?? { loaded: 0, total: 0 };
  if (total > 0) known.total = total;
  if (status === "progress") known.loaded = loaded;
  if (status === "done") {
    if (known.total === 0) known.total = known.loaded;
    known.loaded = known.total;
  }
  downloads.set(file, known);
  renderDownloads();
}

function renderDownloads() {
  const files = [...downloads.entries()];
  const loaded = files.reduce((sum, [, f]) => sum + f.loaded, 0);
  const total = files.reduce((sum, [, f]) => sum + f.total, 0);
  const sized = files.every(([, f]) => f.total > 0);
  $("download").hidden = false;
  setBar($("download-bar"), sized ? loaded / total : null);
  if (sized && loaded >= total && !runs.ready) showStage("Starting the model…");
  $("download-text").textContent = sized
    ? `${formatBytes(loaded)} of ${formatBytes(total)} (${percent(loaded / total)})`
    : `${formatBytes(loaded)} loaded`;
  $("download-files").replaceChildren(
    ...files.map(([name, f]) => {
      const item = document.createElement("li");
      const bar = document.createElement("progress");
      bar.max = 1;
      setBar(bar, f.total > 0 ? f.loaded / f.total : null);
      const size = f.total > 0 ? ` of ${formatBytes(f.total)}` : "";
      item.append(bar, ` ${name}: ${formatBytes(f.loaded)}${size}`);
      return item;
    }),
  );
}

// A fraction sets the bar; null makes it indeterminate (size unknown).
function setBar(bar, fraction) {
  if (fraction === null || !Number.isFinite(fraction)) bar.removeAttribute("value");
  else bar.value = Math.min(1, Math.max(0, fraction));
}

function formatBytes(bytes) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return bytes >= 1e3 ? `${Math.round(bytes / 1e3)} kB` : `${bytes} B`;
}
const percent = (fraction) => `${Math.round(Math.min(1, fraction) * 100)}%`;

function enableCompare({ engine, maxSentences }) {
  $("stage").textContent = "Ready: the model is loaded.";
  $("engine").textContent = engine;
  $("max-sentences").textContent = maxSentences.toLocaleString("en");
  $("download-files").hidden = true; // the overall line says enough now
  runs.ready = true;
  runs.update();
  countTokens();
  showOfflineStatus();
  if (pendingRun) runMode();
}

async function showOfflineStatus() {
  const line = $("offline");
  if (storageProblem) {
    const rest = storageProblem === BYPASSED ? "" : " This visit works from memory; the next one downloads again.";
    line.className = "warning";
    line.textContent = `Offline use is unavailable: ${storageProblem}${rest}`;
    return;
  }
  try {
    const { missing, bytes, files } = await storedStatus();
    line.className = missing.length ? "warning" : "ok";
    line.textContent = missing.length
      ? `Not ready for offline use: ${missing.length} of ${files} files are not stored yet (${missing[0]}…).`
      : `Ready for offline use: ${formatBytes(bytes)} stored in this browser.`;
  } catch (error) {
    line.className = "warning";
    line.textContent = `Offline use is unavailable: ${error.message}`;
  }
}

function showNotice(kind, detail) {
  if (kind === "storage-failed") storageProblem = `the browser would not store the model (${detail}).`;
  if (kind === "damaged") {
    $("notice").hidden = false;
    $("notice").textContent = `The stored copy of ${detail} was damaged; it was downloaded again.`;
  }
}

async function clearStoredFiles() {
  const line = $("offline");
  try {
    const freed = await clearStored();
    const offline = navigator.onLine ? "" : " You are offline: the page cannot start again until the network is back.";
    line.className = "";
    line.textContent = `Removed ${formatBytes(freed)} of stored files. The next visit downloads everything again.${offline}`;
  } catch (error) {
    line.className = "warning";
    line.textContent = `Could not clear stored files: ${error.message}`;
  }
}

// Token counts follow typing, a moment after it pauses.
let countTimer;
fields.forEach((field) =>
  field.addEventListener("input", () => {
    clearTimeout(countTimer);
    countTimer = setTimeout(countTokens, 250);
  }),
);

async function countTokens() {
  try {
    showTokens(await python.call("countTokens", fields.map((f) => f.value)));
  } catch (error) {
    console.debug("token count unavailable", error);
  }
}

function showTokens(reports) {
  fields.forEach((field, i) => {
    const { count, used, truncated, empty } = reports[i];
    const line = $(`${field.id}-tokens`);
    line.replaceChildren();
    if (empty) return;
    if (!truncated) return line.append(`${count} tokens`);
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = `truncated at ${used} tokens`;
    line.append(badge, ` of ${count.toLocaleString("en")}: the rest is not compared`);
  });
}

function showFailure(error) {
  $("stage").textContent = error.stage ? `Stopped while ${lowerFirst(error.stage).replace("…", ".")}` : "Stopped.";
  $("failure").hidden = false;
  $("failure-message").textContent = error.message;
  $("failure-hint").textContent = error.hint ?? "";
  $("failure-detail").textContent = error.detail ?? error.message;
  $("failure-clear").hidden = false;
  if (!runs.ready) {
    runs.broken = true;
    runs.update();
  }
}

const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

async function compare() {
  fields.forEach((field) => showFieldError(field, ""));
  runs.begin();
  $("result").setAttribute("aria-busy", "true");
  try {
    const result = await python.call("compare", fields.map((f) => f.value));
    if (result.error) {
      $("result").hidden = true; // a score for other texts would mislead
      showFieldError(fields[result.field] ?? fields[0], result.error);
    } else {
      $("failure").hidden = true;
      showScore(result);
      showTokens(result.tokens);
    }
  } catch (error) {
    showFailure(error);
  } finally {
    $("result").setAttribute("aria-busy", "false");
    runs.end();
  }
}

function showFieldError(field, message) {
  $(`${field.id}-error`).textContent = message;
  field.setAttribute("aria-invalid", message ? "true" : "false");
  if (message) field.focus();
}

function showScore({ matrix, ms, engine }) {
  const score = matrix[0][1];
  $("result").hidden = false;
  $("score").textContent = score.toFixed(4);
  $("score").dataset.score = String(score);
  $("score-fill").style.width = `${Math.max(0, score) * 100}%`;
  $("timing").textContent = `Embedded and compared in ${ms.toFixed(0)} ms (${engine}).`;
}

for (const panel of [form, $("list-form")]) {
  panel.addEventListener("submit", (event) => {
    event.preventDefault();
    runMode();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runMode();
    }
  });
}

// Run what the current mode shows, and keep it in the URL so a link
// brings the same view back.
function runMode() {
  if (!runs.ready || runs.busy) return;
  writeFragment();
  if (document.body.dataset.mode === "pair") compare();
  else lists.run();
}

function setMode(mode) {
  document.body.dataset.mode = mode;
  for (const tab of document.querySelectorAll(".modes [role=tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.mode === mode));
  }
}

// The fragment holds the mode and its inputs: #mode=rank&source=…&s=…&s=…
function writeFragment() {
  const mode = document.body.dataset.mode;
  const params = new URLSearchParams({ mode });
  if (mode === "pair") {
    params.set("a", fields[0].value);
    params.set("b", fields[1].value);
  } else {
    const request = lists.request(mode);
    if (mode === "rank") params.set("source", request.source);
    if (mode === "duplicates" || mode === "groups") params.set("threshold", $("threshold").value);
    if (mode === "groups") params.set("min_size", $("min-size").value);
    const withSentences = new URLSearchParams(params);
    for (const line of request.text.split("\n")) if (line.trim()) withSentences.append("s", line);
    const fits = withSentences.toString().length <= MAX_FRAGMENT;
    $("link-note").hidden = fits;
    if (fits) return history.replaceState(null, "", `#${withSentences}`);
  }
  history.replaceState(null, "", `#${params}`);
}

// Fill the inputs from the fragment; true when it asks for a run.
function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const mode = params.get("mode");
  if (!MODES.includes(mode)) return false;
  setMode(mode);
  const fill = (element, key) => params.has(key) && (element.value = params.get(key));
  fill(fields[0], "a");
  fill(fields[1], "b");
  fill($("source"), "source");
  fill($("threshold"), "threshold");
  fill($("min-size"), "min_size");
  if (params.has("s")) $("sentences").value = params.getAll("s").join("\n");
  return params.has("s") || params.has("a");
}

window.addEventListener("hashchange", () => {
  if (runs.busy) linkWaiting = true;
  else if (readFragment()) runMode();
});

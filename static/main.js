// What the user sees: boot progress, the compare form and its result.
// All Python work goes through PythonWorker (client.js).

import { PythonWorker } from "./client.js";
import {
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

onPrecacheProgress((done, total) =>
  showStage(`Storing the app for offline use… (${done} of ${total} files)`),
);
storageProblem = await prepareOffline(showStage);

const python = new PythonWorker({
  onStage: showStage,
  onProgress: showProgress,
  onReady: enableCompare,
  onNotice: showNotice,
  onFailure: showFailure,
});

function showProgress({ status, file, loaded, total }) {
  if (!file) return;
  const known = downloads.get(file) ?? { loaded: 0, total: 0 };
  if (status === "progress") Object.assign(known, { loaded, total });
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

function enableCompare(engine) {
  $("stage").textContent = "Ready: the model is loaded.";
  $("engine").textContent = engine;
  $("compare-why").textContent = "";
  button.disabled = false;
  countTokens();
  showOfflineStatus();
}

async function showOfflineStatus() {
  const line = $("offline");
  if (storageProblem) {
    line.className = "warning";
    line.textContent = `Offline use is unavailable: ${storageProblem} This visit works from memory; the next one downloads again.`;
    return;
  }
  try {
    const { missing, bytes } = await storedStatus();
    line.className = missing.length ? "warning" : "ok";
    line.textContent = missing.length
      ? `Not ready for offline use: ${missing.length} files are not stored (${missing[0]}…).`
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

$("clear-stored").addEventListener("click", async () => {
  const line = $("offline");
  try {
    const freed = await clearStored();
    line.className = "";
    line.textContent = `Removed ${formatBytes(freed)} of stored files. The next visit downloads everything again.`;
  } catch (error) {
    line.className = "warning";
    line.textContent = `Could not clear stored files: ${error.message}`;
  }
});

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
    const { count, used, truncated } = reports[i];
    const line = $(`${field.id}-tokens`);
    line.replaceChildren();
    if (!field.value.trim()) return;
    if (!truncated) return line.append(`${count} tokens`);
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = `truncated at ${used} tokens`;
    line.append(badge, ` of ${count.toLocaleString("en")}: the rest is not compared`);
  });
}

function showFailure(error) {
  $("stage").textContent = error.stage ? `Stopped while ${lowerFirst(error.stage)}` : "Stopped.";
  $("failure").hidden = false;
  $("failure-message").textContent = error.message;
  $("failure-hint").textContent = error.hint ?? "";
  $("failure-detail").textContent = error.detail ?? error.message;
  $("failure-clear").hidden = false;
  if (button.disabled) $("compare-why").textContent = "Compare is unavailable: see the message above.";
}

const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

async function compare() {
  fields.forEach((field) => showFieldError(field, ""));
  button.disabled = true;
  $("compare-why").textContent = "Comparing…";
  $("result").setAttribute("aria-busy", "true");
  try {
    const result = await python.call("compare", fields.map((f) => f.value));
    if (result.error) {
      showFieldError(fields[result.field] ?? fields[0], result.error);
    } else {
      showScore(result);
      showTokens(result.tokens);
    }
    $("compare-why").textContent = "";
    button.disabled = false;
  } catch (error) {
    showFailure(error);
    if (!error.stage) button.disabled = false;
  } finally {
    $("result").setAttribute("aria-busy", "false");
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

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!button.disabled) compare();
});

form.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (!button.disabled) compare();
  }
});

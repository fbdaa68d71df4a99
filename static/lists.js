// The list modes: rank against a source, matrix, duplicates and groups.
// Python computes every number; this module reads the form, shows progress
// and draws what comes back.

import { drawHeatmap } from "./heatmap.js";

const $ = (id) => document.getElementById(id);
const MAX_FILE_BYTES = 20e6;
const TITLES = {
  rank: "Ranked by similarity to the source",
  matrix: "Similarity matrix",
  duplicates: "Pairs at or above the threshold",
  groups: "Groups",
};

export class ListModes {
  #python;
  #runs;
  #current = null; // the run in flight: {cancel}

  /**
   * @param python a PythonWorker
   * @param runs {begin(), end()}: marks a run in flight, so none overlap
   */
  constructor(python, runs) {
    this.#python = python;
    this.#runs = runs;
    $("cancel").addEventListener("click", () => this.#current?.cancel());
    $("export-csv").addEventListener("click", () => this.#export("csv"));
    $("export-json").addEventListener("click", () => this.#export("json"));
    $("file").addEventListener("change", (event) => this.#readFiles(event.target.files));
    const zone = $("list-form");
    zone.addEventListener("dragover", (event) => event.preventDefault());
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      this.#readFiles(event.dataTransfer.files);
    });
  }

  /** The form as the request Python takes. */
  request(mode) {
    return {
      mode,
      source: $("source").value,
      text: $("sentences").value,
      // An empty or unreadable box gives null, which Python refuses.
      options: {
        threshold: numberIn($("threshold")),
        min_size: numberIn($("min-size")),
      },
    };
  }

  async run() {
    const mode = document.body.dataset.mode;
    const request = this.request(mode);
    $("list-result").hidden = true; // a result for other inputs would mislead
    showError("");
    this.#runs.begin();
    $("cancel").hidden = false;
    let embedded = 0;
    const onProgress = (done, total) => {
      embedded = done;
      showRunProgress(done, total);
    };
    onProgress(0, 0);
    const started = this.#python.start("analyze", [request], onProgress);
    this.#current = started;
    try {
      const reply = await started.result;
      if (reply.error) showError(reply.error);
      else if (reply.cancelled) showCancelled(embedded);
      else showResult(reply, request.options);
    } catch (error) {
      showError(`${error.message} ${error.hint ?? ""}`);
    } finally {
      this.#current = null;
      $("cancel").hidden = true;
      $("run-progress").hidden = true;
      this.#runs.end();
    }
  }

  async #readFiles(files) {
    const [file] = files;
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      return showError(`${file.name} is too large (${(file.size / 1e6).toFixed(1)} MB); the limit is 20 MB.`);
    }
    const reply = await this.#python.call("readFile", file.name, await file.text());
    if (reply.error) return showError(reply.error);
    showError("");
    // Appended, so nothing already typed is lost.
    const typed = $("sentences").value.trimEnd();
    $("sentences").value = [typed, ...reply.sentences].filter(Boolean).join("\n");
    $("sentences").dispatchEvent(new Event("input"));
  }

  async #export(kind) {
    let file;
    try {
      file = await this.#python.call("export", kind, $("export-embeddings").checked);
    } catch (error) {
      return showError(`Export failed: ${error.message}`);
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([file.text], { type: file.type }));
    link.download = file.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }
}

function numberIn(input) {
  const value = input.value.trim() === "" ? NaN : Number(input.value);
  return Number.isFinite(value) ? value : null;
}

function showError(message) {
  $("list-error").textContent = message;
}

function showRunProgress(done, total) {
  $("run-progress").hidden = false;
  const bar = $("run-bar");
  if (total > 0) bar.value = done / total;
  else bar.removeAttribute("value");
  $("run-text").textContent = total > 0 ? `Embedded ${done} of ${total} sentences` : "Starting…";
}

function showCancelled(embedded) {
  showError(
    `Cancelled after ${embedded} sentences were embedded. Nothing was lost: run again when ready.`,
  );
}

function showResult(reply, options) {
  const { mode, sentences, result } = reply;
  $("list-result").hidden = false;
  $("list-result").dataset.mode = mode;
  $("list-title").textContent = TITLES[mode];
  const body = $("list-body");
  const timing = `${count(sentences.length, "sentence")} in ${(reply.ms / 1000).toFixed(1)} s (${reply.engine}).`;
  if (mode === "rank") {
    body.replaceChildren(rankedList(sentences, result));
    $("list-summary").textContent = timing;
  } else if (mode === "matrix") {
    drawHeatmap(body, sentences, result);
    $("list-summary").textContent = timing;
  } else if (mode === "duplicates") {
    body.replaceChildren(pairTable(sentences, result));
    const shown = result.length < reply.total ? `the ${result.length.toLocaleString("en")} highest of ` : "";
    $("list-summary").textContent =
      `${shown}${count(reply.total, "pair")} at or above ${options.threshold}. ${timing}`;
  } else {
    body.replaceChildren(groupList(sentences, result, reply.ungrouped));
    $("list-summary").textContent =
      `${count(result.length, "group")} of at least ${count(options.min_size, "sentence")} at or above ${options.threshold}. ${timing}`;
  }
}

function scoreBar(score) {
  const bar = document.createElement("span");
  bar.className = "score-bar small";
  const fill = document.createElement("span");
  fill.style.width = `${Math.max(0, score) * 100}%`;
  bar.append(fill);
  return bar;
}

function scoreText(score) {
  const text = document.createElement("span");
  text.className = "score";
  text.textContent = score.toFixed(4);
  text.dataset.score = String(score);
  return text;
}

function rankedList(sentences, ranked) {
  const list = document.createElement("ol");
  list.className = "ranked";
  for (const { index, score } of ranked) {
    const item = document.createElement("li");
    const sentence = document.createElement("span");
    sentence.className = "sentence";
    sentence.textContent = sentences[index];
    item.append(scoreText(score), scoreBar(score), sentence);
    list.append(item);
  }
  return list;
}

function pairTable(sentences, pairs) {
  const table = document.createElement("table");
  table.className = "pairs";
  const head = table.createTHead().insertRow();
  for (const title of ["Score", "First", "Second"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const { i, j, score } of pairs) {
    const row = body.insertRow();
    row.insertCell().append(scoreText(score));
    row.insertCell().textContent = sentences[i];
    row.insertCell().textContent = sentences[j];
  }
  return table;
}

function groupList(sentences, groups, ungrouped) {
  const wrapper = document.createElement("div");
  groups.forEach((members, g) => {
    const section = document.createElement("section");
    section.className = "group";
    const title = document.createElement("h3");
    title.textContent = `Group ${g + 1} (${count(members.length, "sentence")})`;
    section.append(title, sentenceList(sentences, members));
    wrapper.append(section);
  });
  if (ungrouped.length) {
    const rest = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `Not in any group: ${count(ungrouped.length, "sentence")}`;
    rest.append(summary, sentenceList(sentences, ungrouped));
    wrapper.append(rest);
  }
  return wrapper;
}

function sentenceList(sentences, indices) {
  const list = document.createElement("ul");
  for (const k of indices) {
    const item = document.createElement("li");
    item.textContent = sentences[k];
    list.append(item);
  }
  return list;
}

const count = (n, noun) => `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;

// The page's only link to the Python worker.
//
// Messages are plain, cloneable data.
// Worker to page:
//   {type: "stage", text}                          a boot stage has begun
//   {type: "progress", status, file, loaded, total} a model file is loading;
//                                                  total is 0 when unknown
//   {type: "ready", info: {engine, maxSentences}}  the pipeline is loaded
//   {type: "run-progress", id, done, total}        texts embedded so far
//   {type: "notice", kind, detail}                 about stored model files:
//                                                  kind "damaged" (detail: the
//                                                  file, fetched again) or
//                                                  "storage-failed" (the error)
//   {type: "reply", id, result}                    the answer to request id
//   {type: "error", id?, error: {stage, message, hint, detail}}
//                                                  with an id: a request
//                                                  failed; without: boot did
// Page to worker:
//   {type: "request", id, method, args}
//   {type: "cancel", id}                           stop request id early

export class PythonWorker {
  #worker;
  #pending = new Map();
  #nextId = 1;

  /** @param {{onStage, onProgress, onReady, onNotice, onFailure}} handlers */
  constructor(handlers) {
    this.handlers = handlers;
    this.#worker = new Worker(new URL("./worker.js", import.meta.url), {
      type: "module",
    });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail({
        message: `The Python worker stopped: ${event.message || "it could not start"}.`,
        hint: "Reload the page. If this keeps happening, rebuild the site with `python3 build.py`.",
      });
    };
    this.#worker.onmessageerror = () =>
      this.#fail({
        message: "A message from the Python worker could not be read.",
        hint: "Reload the page.",
      });
  }

  /** Call a Python entry point in the worker; resolves with its result. */
  call(method, ...args) {
    return this.start(method, args).result;
  }

  /**
   * Start a long call: {result, cancel}. `onProgress(done, total)` hears
   * how far it got; after cancel() it resolves early with what Python says.
   */
  start(method, args, onProgress = () => {}) {
    const id = this.#nextId++;
    const result = new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ type: "request", id, method, args });
    });
    const cancel = () => this.#worker.postMessage({ type: "cancel", id });
    return { result, cancel };
  }

  #receive(message) {
    switch (message.type) {
      case "stage":
        return this.handlers.onStage(message.text);
      case "progress":
        return this.handlers.onProgress(message);
      case "ready":
        return this.handlers.onReady(message.info);
      case "run-progress":
        return this.#pending.get(message.id)?.onProgress(message.done, message.total);
      case "notice":
        return this.handlers.onNotice?.(message.kind, message.detail);
      case "reply":
        return this.#settle(message.id, (p) => p.resolve(message.result));
      case "error":
        if (message.id === undefined) return this.#fail(message.error);
        return this.#settle(message.id, (p) => p.reject(message.error));
    }
  }

  #settle(id, action) {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (pending) action(pending);
  }

  // A failure outside any request: nothing pending can be answered now.
  #fail(error) {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.handlers.onFailure(error);
  }
}

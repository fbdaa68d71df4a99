"""Embed texts through the page's own worker and Python, from a test or script.

The probe starts a second PythonWorker (static/client.js) in an open page of
the site, so the texts go through exactly what the page runs, without any
test hook in the page itself.
"""

import numpy as np

START = """async () => {
  if (!window.probe) {
    const { PythonWorker } = await import(new URL("static/client.js", location.href));
    window.probe = new Promise((resolve, reject) => {
      const worker = new PythonWorker({
        onStage() {},
        onProgress() {},
        onReady: () => resolve(worker),
        onFailure: reject,
      });
    });
  }
  await window.probe;
}"""

EMBED = """async (texts) => (await window.probe).call("embed", texts)"""


def start(page, timeout_ms: float = 180_000) -> None:
    page.set_default_timeout(timeout_ms)
    page.evaluate(START)


def embed(page, texts: list[str], batch: int = 32) -> tuple[np.ndarray, list[dict]]:
    """Embeddings (one row per text) and token reports, in batches of `batch`."""
    start(page)
    rows, reports = [], []
    for first in range(0, len(texts), batch):
        reply = page.evaluate(EMBED, texts[first : first + batch])
        rows.extend(reply["embeddings"])
        reports.extend(reply["tokens"])
    return np.array(rows), reports

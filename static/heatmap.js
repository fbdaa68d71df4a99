// The similarity matrix as a heatmap: one canvas pixel per cell, scaled up
// by CSS. Pointer or arrow keys pick a cell; a tooltip shows both sentences
// and the score Python computed.

const LOW = [244, 247, 251]; // colour of a score of 0 or less
const HIGH = [11, 60, 140]; // colour of a score of 1
const TABLE_LIMIT = 100; // sentences shown in the table view

export function colourOf(score) {
  const t = Math.min(1, Math.max(0, score));
  return LOW.map((low, k) => Math.round(low + (HIGH[k] - low) * t));
}

export function drawHeatmap(container, sentences, matrix) {
  const size = sentences.length;
  const canvas = document.createElement("canvas");
  Object.assign(canvas, { width: size, height: size, tabIndex: 0 });
  canvas.className = "heatmap";
  canvas.dataset.rows = canvas.dataset.cols = String(size);
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `Similarity heatmap of ${size} sentences. Arrow keys move between cells.`,
  );
  paint(canvas, matrix);

  const tooltip = document.createElement("div");
  tooltip.className = "heatmap-tooltip";
  tooltip.hidden = true;
  tooltip.setAttribute("role", "status");
  const cursor = { row: 0, col: 0 };
  const show = (row, col) => {
    Object.assign(cursor, { row, col });
    showCell(tooltip, sentences, matrix, row, col);
  };

  // offsetX/Y count from inside the border, as clientWidth/Height do.
  const pick = (event) => {
    const col = Math.floor((event.offsetX / canvas.clientWidth) * size);
    const row = Math.floor((event.offsetY / canvas.clientHeight) * size);
    if (row >= 0 && row < size && col >= 0 && col < size) show(row, col);
  };
  canvas.addEventListener("pointermove", pick);
  canvas.addEventListener("pointerdown", pick); // a tap on a touch screen
  canvas.addEventListener("pointerleave", (event) => {
    if (event.pointerType === "mouse") tooltip.hidden = true;
  });
  canvas.addEventListener("focus", () => show(cursor.row, cursor.col));
  canvas.addEventListener("blur", () => (tooltip.hidden = true));
  canvas.addEventListener("keydown", (event) => {
    const moves = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    if (!moves[event.key]) return;
    event.preventDefault();
    const [down, right] = moves[event.key];
    const clamp = (value) => Math.min(size - 1, Math.max(0, value));
    show(clamp(cursor.row + down), clamp(cursor.col + right));
  });

  const frame = document.createElement("div");
  frame.className = "heatmap-frame";
  frame.append(canvas, tooltip);
  container.replaceChildren(frame, legend(), tableView(sentences, matrix));
}

function paint(canvas, matrix) {
  const size = matrix.length;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const [r, g, b] = colourOf(matrix[row][col]);
      image.data.set([r, g, b, 255], (row * size + col) * 4);
    }
  }
  context.putImageData(image, 0, 0);
}

function showCell(tooltip, sentences, matrix, row, col) {
  const score = matrix[row][col];
  Object.assign(tooltip.dataset, { row, col, score: String(score) });
  const line = (label, text) => {
    const part = document.createElement("p");
    const name = document.createElement("strong");
    name.textContent = label;
    part.append(name, ` ${text}`);
    return part;
  };
  tooltip.replaceChildren(
    line(`${row + 1}.`, sentences[row]),
    line(`${col + 1}.`, sentences[col]),
    line("Score", score.toFixed(4)),
  );
  tooltip.hidden = false;
}

function legend() {
  const figure = document.createElement("div");
  figure.className = "heatmap-legend";
  const bar = document.createElement("span");
  bar.className = "heatmap-legend-bar";
  bar.style.background = `linear-gradient(to right, rgb(${LOW}), rgb(${HIGH}))`;
  figure.append("0 or less ", bar, " 1");
  return figure;
}

// The same numbers as a table, built when first opened.
function tableView(sentences, matrix) {
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  const shown = Math.min(sentences.length, TABLE_LIMIT);
  summary.textContent =
    shown < sentences.length
      ? `Table view (first ${shown} of ${sentences.length} sentences; Export CSV has all)`
      : "Table view";
  details.append(summary);
  details.addEventListener(
    "toggle",
    () => details.open && details.append(scoreTable(sentences, matrix, shown)),
    { once: true },
  );
  return details;
}

function scoreTable(sentences, matrix, shown) {
  const table = document.createElement("table");
  table.className = "score-table";
  const cell = (tag, text, title) => {
    const element = document.createElement(tag);
    element.textContent = text;
    if (title) element.title = title;
    return element;
  };
  const head = document.createElement("tr");
  head.append(cell("th", ""));
  for (let col = 0; col < shown; col++) {
    head.append(cell("th", String(col + 1), sentences[col]));
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  for (let row = 0; row < shown; row++) {
    const line = document.createElement("tr");
    const name = cell("th", `${row + 1}. ${sentences[row]}`);
    name.scope = "row";
    line.append(name);
    for (let col = 0; col < shown; col++) {
      line.append(cell("td", matrix[row][col].toFixed(4)));
    }
    body.append(line);
  }
  return table;
}

"""Lists of sentences: reading them, the limits, and exporting results."""

import csv
import io
import json

from .texts import is_blank

MAX_SENTENCES = 1000
# Pairs above the threshold sent to the page at most; the count says how many.
MAX_PAIRS = 5000
TEXT_COLUMNS = ("text", "sentence", "sentences")
MODES = ("rank", "matrix", "duplicates", "groups")


class ListError(ValueError):
    """A list cannot be run; the message says what to change."""


def sentences_from_lines(text: str) -> list[str]:
    """One sentence per line with visible text, surrounding spaces removed."""
    return [line.strip() for line in text.splitlines() if not is_blank(line)]


def check_options(mode: str, options: dict) -> None:
    """The threshold and group size a mode uses, as numbers in range."""
    if mode in ("duplicates", "groups"):
        threshold = options.get("threshold")
        if not isinstance(threshold, int | float) or not -1 <= threshold <= 1:
            raise ListError("The threshold is a number from -1 to 1.")
    if mode == "groups":
        size = options.get("min_size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ListError("The minimum group size is a whole number, 1 or more.")


def check_list(mode: str, sentences: list[str], source: str = "") -> None:
    if mode not in MODES:
        raise ListError(f"Unknown mode {mode!r}.")
    if mode == "rank" and not sentences:
        raise ListError("Enter at least one sentence to rank, one per line.")
    if mode != "rank" and len(sentences) < 2:
        raise ListError("Enter at least 2 sentences, one per line.")
    if len(sentences) > MAX_SENTENCES:
        raise ListError(
            f"At most {MAX_SENTENCES:,} sentences: this list has {len(sentences):,}."
            " Remove some, or split the list."
        )
    if mode == "rank" and is_blank(source):
        raise ListError("Enter the source sentence to rank the others against.")


def sentences_from_file(name: str, text: str) -> list[str]:
    """Sentences from a dropped .txt (one per line) or .csv (a text column)."""
    text = text.removeprefix("\ufeff")
    suffix = name.lower().rpartition(".")[2]
    if suffix == "txt":
        return sentences_from_lines(text)
    if suffix != "csv":
        raise ListError(f"{name}: drop a .txt file (one sentence per line) or a .csv.")
    try:  # commas, semicolons or tabs, as the file's first lines show
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [
        row
        for row in csv.reader(io.StringIO(text), dialect)
        if any(c.strip() for c in row)
    ]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(c) for c in TEXT_COLUMNS if c in header), None)
    if column is None and len(header) == 1:
        column, rows = 0, [[""]] + rows  # one column and no header: all data
    if column is None:
        raise ListError(
            f"{name} has no column named text or sentence"
            f" (its columns: {', '.join(rows[0])})."
        )
    cells = (row[column] if column < len(row) else "" for row in rows[1:])
    return [" ".join(cell.split()) for cell in cells if cell.strip()]


def to_csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def score(value: float) -> str:
    return f"{value:.6f}"


def export_csv(run: dict) -> str:
    """The scores of a run as CSV: ranked pairs, the matrix, pairs or groups."""
    sentences, result = run["sentences"], run["result"]
    if run["mode"] == "rank":
        rows = [
            (n + 1, score(r["score"]), sentences[r["index"]])
            for n, r in enumerate(result)
        ]
        return to_csv(["rank", "score", "sentence"], rows)
    if run["mode"] == "matrix":
        rows = (
            [text, *map(score, line)]
            for text, line in zip(sentences, result, strict=True)
        )
        return to_csv(["sentence", *sentences], rows)
    if run["mode"] == "duplicates":
        rows = (
            (sentences[p["i"]], sentences[p["j"]], score(p["score"])) for p in result
        )
        return to_csv(["first", "second", "score"], rows)
    rows = [(g + 1, sentences[k]) for g, group in enumerate(result) for k in group]
    rows += [("", sentences[k]) for k in run.get("ungrouped", [])]
    return to_csv(["group", "sentence"], rows)


def export_json(run: dict, model: str, embeddings=None) -> str:
    """The whole run as JSON; the embeddings too when given."""
    document = {
        "model": model,
        "mode": run["mode"],
        "source": run.get("source") or None,
        "sentences": run["sentences"],
        "options": run["options"],
        "result": run["result"],
    }
    for key in ("total", "ungrouped"):
        if key in run:
            document[key] = run[key]
    if embeddings is not None:
        document["embeddings"] = embeddings
    return json.dumps(document, ensure_ascii=False, indent=1)


def run_result(engine, mode: str, vectors, options: dict) -> dict:
    """What a list mode finds on the embedding matrix, with everything to export.

    `engine` is the similarity engine in use (numpy or plain Python). For
    duplicates `result` holds every pair; the page is sent the first MAX_PAIRS.
    """
    if mode == "rank":
        scores = engine.cosine_to(vectors[0], vectors[1:])
        return {"result": [{"index": k, "score": s} for k, s in engine.rank(scores)]}
    matrix = engine.cosine_matrix(vectors)
    if mode == "matrix":
        return {"result": engine.as_rows(matrix)}
    if mode == "duplicates":
        pairs, total = engine.mine(matrix, options["threshold"], None)
        found = [{"i": i, "j": j, "score": s} for i, j, s in pairs]
        return {"result": found, "total": total}
    groups = engine.communities(matrix, options["threshold"], options["min_size"])
    grouped = {k for group in groups for k in group}
    ungrouped = [k for k in range(len(vectors)) if k not in grouped]
    return {"result": groups, "ungrouped": ungrouped}

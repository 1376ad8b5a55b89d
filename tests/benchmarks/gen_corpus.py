#!/usr/bin/env python3
"""Deterministic benchmark corpora of news briefs, made from the real text in
../shared/data at benchmark time (nothing generated here is ever committed).

    gen_corpus.py make   --data DIR --out DIR --briefs N [--format txt|jsonl] [--seed S]
    gen_corpus.py mutate --folder DIR --backup DIR [--fraction 0.01] [--seed S]
    gen_corpus.py restore --folder DIR --backup DIR

`make` writes, under --out:
  briefs-N/            txt: N files `dNNN/NNNNNNN-slug.txt`, 1,000 per sub-folder;
                       jsonl: `part-NNN.jsonl`, 10,000 briefs a file
  briefs-N.ndjson      the same briefs as tantivy-cli documents (the peers' schema
                       `{path, kind: article|keypoint|summary, headline, body, line}`:
                       one article document per brief plus one per bullet)
  briefs-N.done        written last: the parameters; a corpus without it is remade

Each text brief has the seed's shape: `headline — Source`, a blank line, 3-8
emoji-led key points, a blank line, 3-6 `- ` summaries. Headlines are real
Reuters headlines (reuters-headlines, sampled without replacement, so no two
briefs share one); points and summaries are real sentences: those of one BBC or
Reuters-21578 article (shuffled), topped up from the whole sentence pool when the
article is short. About 1% of the files carry Windows-1252 mojibake markers and
1% CRLF line ends, as real copied briefs do.

`mutate` appends one real sentence as a `- ` summary to every 1/fraction-th file
(sorted order, offset from the seed), saving the originals under --backup;
`restore` puts them back. The edited files get a new mtime.
"""
import argparse
import gzip
import html
import json
import lzma
import os
import random
import re
import shutil
import sys
import time

GENERATOR_VERSION = 1

SOURCES = [  # outlet names, weighted by position (Zipf-like)
    "Reuters", "BBC News", "Associated Press", "AFP", "Bloomberg", "The Guardian",
    "Financial Times", "The Economist", "Al Jazeera", "Deutsche Welle", "NPR",
    "The Irish Times", "Nikkei Asia", "Le Monde", "El País", "The Hindu",
    "South China Morning Post", "The Globe and Mail", "ABC News", "CBC News",
    "Euronews", "Politico Europe", "Axios", "The Times", "Sky News", "RTÉ News",
    "Kyodo News", "Yonhap", "ANSA", "EFE", "Xinhua", "Straits Times",
]
MARKERS = [
    "📉", "📈", "🏦", "⚖️", "🗣️", "🏛️", "💼", "⚠️", "🌍", "🔥", "💡", "🚨", "✅",
    "❗", "🗳️", "⚽", "🧪", "💰", "🛢️", "🚢", "✈️", "🏭", "🇺🇸", "🇬🇧", "🇪🇺",
    "1️⃣", "2️⃣", "👩‍💻", "👍🏽", "★", "▶", "📌", "🔎", "🧾", "🌾", "⚡",
]
SEPARATORS = [" — "] * 8 + [" | ", " - "]

PREFIX = re.compile(r"^(?:[A-Z][A-Z0-9 &.,/']{0,40}-\s?)+(?=\S)")
BOX_SCORE = re.compile(r"^[\w .'&()-]+ \d+, [\w .'&()-]+ \d+$")
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[A-Z0-9\"'‘“(£$])")


def clean(text):
    text = html.unescape(text).replace("\x03", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*\bReuter\b\s*$", "", text).strip()


def sentences_of(paragraphs):
    out = []
    for para in paragraphs:
        for s in SENTENCE_END.split(clean(para)):
            s = s.strip()
            if 40 <= len(s) <= 280 and s[-1] in ".!?\"'”’" and sum(c.isalpha() for c in s) > len(s) * 0.6:
                out.append(s)
    return out


def load_articles(data):
    """Real sentences, grouped by the article they come from (sorted, deterministic)."""
    articles = []
    with open(os.path.join(data, "bbc", "briefs.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            body = d.get("body") or []
            body = [body] if isinstance(body, str) else body
            sents = list(dict.fromkeys(sentences_of(d.get("summaries", []) + body)))
            if sents:
                articles.append(sents)
    with open(os.path.join(data, "reuters-21578", "briefs.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            body = d.get("body") or []
            body = [body] if isinstance(body, str) else body
            sents = list(dict.fromkeys(sentences_of(body)))
            if sents:
                articles.append(sents)
    return articles


def headline_rows(data, need):
    """(day, headline) rows: the 2015 file when it holds enough, else 2007-2016."""
    small = os.path.join(data, "reuters-headlines", "headlines_2015.tsv.gz")
    big = os.path.join(data, "reuters-headlines", "headlines_2007-2016.tsv.xz")
    for path, opener in ((small, gzip.open), (big, lzma.open)):
        rows, seen = [], set()
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                h = PREFIX.sub("", parts[2].strip()).strip()
                low = h.lower()
                if (len(h) < 25 or len(h) > 140 or low in seen or BOX_SCORE.match(h)
                        or low.startswith(("video", "preview:", "factbox", "table-", "diary"))
                        or "playerwatch" in low or " - " in h or "|" in h or " — " in h):
                    continue
                seen.add(low)
                rows.append((parts[0], h))
        if len(rows) >= need * 1.2 or path == big:
            return rows
    return rows


def cp1252_mojibake(marker):
    try:
        return marker.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return None


def slug(text):
    words = re.findall(r"[a-z0-9]+", text.lower())[:5]
    return "-".join(words) or "brief"


class Maker:
    def __init__(self, data, seed):
        self.rnd = random.Random(seed)
        self.articles = load_articles(data)
        self.pool = [s for a in self.articles for s in a]
        self.mojibake = [(m, cp1252_mojibake(m)) for m in MARKERS]
        self.mojibake = [(m, x) for m, x in self.mojibake if x]
        self.weights = [1.0 / (i + 1) for i in range(len(SOURCES))]

    def brief(self, day, headline):
        rnd = self.rnd
        n_points, n_sums = rnd.randint(3, 8), rnd.randint(3, 6)
        art = self.articles[rnd.randrange(len(self.articles))]
        sents = rnd.sample(art, min(len(art), n_points + n_sums))
        while len(sents) < n_points + n_sums:
            s = self.pool[rnd.randrange(len(self.pool))]
            if s not in sents:
                sents.append(s)
        source = rnd.choices(SOURCES, self.weights)[0]
        damaged = rnd.random() < 0.01
        markers = []
        for _ in range(n_points):
            if damaged:
                markers.append(rnd.choice(self.mojibake)[1])
            else:
                markers.append(rnd.choice(MARKERS))
        return {
            "headline": headline,
            "source": source,
            "date": f"{day[:4]}-{day[4:6]}-{day[6:8]}",
            "points": [f"{m} {s}" for m, s in zip(markers, sents[:n_points])],
            "summaries": sents[n_points:],
            "sep": rnd.choice(SEPARATORS),
            "crlf": rnd.random() < 0.01,
        }


def brief_text(b):
    lines = [b["headline"] + b["sep"] + b["source"], ""] + b["points"] + [""]
    lines += ["- " + s for s in b["summaries"]]
    return lines


def ndjson_docs(path, b, lines):
    """The peers' documents for one brief (article + one per bullet)."""
    headline = lines[0]
    text = "\n".join(lines) + "\n"
    yield {"path": path, "kind": "article", "headline": headline, "body": text}
    for no, line in enumerate(lines, 1):
        if no == 1 or not line:
            continue
        if line.startswith("- "):
            yield {"path": path, "kind": "summary", "headline": headline, "body": line[2:], "line": no}
        else:
            yield {"path": path, "kind": "keypoint", "headline": headline, "body": line, "line": no}


def make(args):
    out = os.path.abspath(args.out)
    n = args.briefs
    name = f"briefs-{n}" if args.format == "txt" else f"briefs-{n}-jsonl"
    folder, ndjson, done = (os.path.join(out, name), os.path.join(out, name + ".ndjson"),
                            os.path.join(out, name + ".done"))
    params = {"version": GENERATOR_VERSION, "briefs": n, "format": args.format, "seed": args.seed}
    if os.path.exists(done):
        with open(done, encoding="utf-8") as f:
            if json.load(f) == params:
                print(f"corpus {folder}: already made", file=sys.stderr)
                return
    started = time.time()
    for p in (folder, ndjson, done):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    os.makedirs(folder)
    maker = Maker(args.data, args.seed)
    rows = headline_rows(args.data, n)
    if len(rows) < n:
        sys.exit(f"gen_corpus: only {len(rows)} distinct headlines for {n} briefs")
    picked = maker.rnd.sample(rows, n)
    total_bytes = 0
    with open(ndjson, "w", encoding="utf-8") as nd:
        part = None
        for i, (day, headline) in enumerate(picked):
            b = maker.brief(day, headline)
            if args.format == "txt":
                sub = f"d{i // 1000:03d}"
                if i % 1000 == 0:
                    os.makedirs(os.path.join(folder, sub), exist_ok=True)
                rel = f"{sub}/{i:07d}-{slug(headline)}.txt"
                lines = brief_text(b)
                eol = "\r\n" if b["crlf"] else "\n"
                data = (eol.join(lines) + eol).encode("utf-8")
                with open(os.path.join(folder, rel), "wb") as f:
                    f.write(data)
                total_bytes += len(data)
                for doc in ndjson_docs(rel, b, lines):
                    nd.write(json.dumps(doc, ensure_ascii=False) + "\n")
            else:
                if i % 10000 == 0:
                    if part:
                        part.close()
                    rel_file = f"part-{i // 10000:03d}.jsonl"
                    part = open(os.path.join(folder, rel_file), "w", encoding="utf-8")
                obj = {"id": f"b{i:07d}", "headline": b["headline"], "source": b["source"],
                       "date": b["date"], "points": b["points"], "summaries": b["summaries"]}
                line = json.dumps(obj, ensure_ascii=False) + "\n"
                part.write(line)
                total_bytes += len(line.encode("utf-8"))
                lines = brief_text(b)
                for doc in ndjson_docs(f"{rel_file}:{i % 10000 + 1}", b, lines):
                    nd.write(json.dumps(doc, ensure_ascii=False) + "\n")
        if part:
            part.close()
    with open(done, "w", encoding="utf-8") as f:
        json.dump(params, f)
    print(f"corpus {folder}: {n} briefs, {total_bytes / 1e6:.1f} MB of text, "
          f"{time.time() - started:.1f} s", file=sys.stderr)


def corpus_files(folder):
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        files += [os.path.join(dirpath, f) for f in sorted(filenames)]
    return files


def mutate(args):
    rnd = random.Random(args.seed)
    files = corpus_files(args.folder)
    step = max(1, round(1 / args.fraction))
    chosen = files[rnd.randrange(step)::step]
    if os.path.isdir(args.backup):
        shutil.rmtree(args.backup)
    os.makedirs(args.backup)
    later = time.time() + 2
    manifest = []
    for i, path in enumerate(chosen):
        keep = os.path.join(args.backup, f"{i:07d}")
        shutil.copy2(path, keep)
        manifest.append([path, keep])
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".jsonl"):
            # one brief more at the end of the file
            obj = {"id": f"added-{i}", "headline": f"Benchmark update {i} to a changed file",
                   "source": "Reuters", "points": ["📌 Added while benchmarking."],
                   "summaries": ["The file was changed to measure incremental indexing."]}
            data += (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        else:
            eol = b"\r\n" if data.endswith(b"\r\n") else b"\n"
            extra = "- The file was changed on purpose to measure incremental indexing."
            data += extra.encode("utf-8") + eol
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (later, later))
    with open(os.path.join(args.backup, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f)
    print(f"changed {len(chosen)} of {len(files)} files", file=sys.stderr)


def restore(args):
    manifest_path = os.path.join(args.backup, "manifest.json")
    if not os.path.exists(manifest_path):
        return
    with open(manifest_path, encoding="utf-8") as f:
        for path, keep in json.load(f):
            shutil.copyfile(keep, path)
    shutil.rmtree(args.backup)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--data", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--briefs", type=int, required=True)
    m.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    m.add_argument("--seed", type=int, default=2026)
    u = sub.add_parser("mutate")
    u.add_argument("--folder", required=True)
    u.add_argument("--backup", required=True)
    u.add_argument("--fraction", type=float, default=0.01)
    u.add_argument("--seed", type=int, default=2026)
    r = sub.add_parser("restore")
    r.add_argument("--folder", required=True)
    r.add_argument("--backup", required=True)
    a = p.parse_args()
    {"make": make, "mutate": mutate, "restore": restore}[a.cmd](a)


if __name__ == "__main__":
    main()

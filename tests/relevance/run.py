#!/usr/bin/env python3
"""Relevance harness for briefs: judged collections -> briefs -> TREC runs -> trec_eval figures.

    python3 tests/relevance/run.py [--quick] [--collections scifact,checkthat] [--shared ../shared]
                                   [--require-data] [--sweep] [--split eval|tune] [--verify]

For each collection in SHARED/data/relevance/ (see its SOURCE.txt) it
  1. writes the documents as briefs JSON Lines (in a temporary folder, never in the repo),
  2. indexes them with `briefs index` and runs every query with one
     `briefs search --batch Q.tsv --format trec --literal -n DEPTH --kind article` (or, for a
     "bullet" configuration, `--kind bullet --no-dedup -n 1000`, each brief then scored by its
     best bullet); the default configuration of each collection is DEFAULTS below,
  3. runs the baseline side by side: Python `tantivy` (PyPI) with its defaults on the
     same documents and queries (baseline_tantivy.py), in one field (title + text, "flat")
     and in two (title, text: "split"),
  4. prints nDCG@10, MAP, MAP@5, MRR@10 and R@100 for each, the ratio briefs/baseline
     (the stronger of the two baselines on each measure), and whether issue 4's targets are met:
     SciFact test nDCG@10 >= 0.679; CheckThat dev MAP@5 >= 1.05 x baseline; no collection
     worse than the baseline (on its official measure: nDCG@10 for SciFact, MAP@5 for CheckThat).

Modes
  (default)   SciFact test (300 queries) and CheckThat 2020 task 2 dev (197 tweets), depth 1000.
  --quick     CI subset: the first 100 SciFact test queries (by id) against the full corpus,
              the first 100 CheckThat dev tweets, depth 100. Figures are printed, never asserted.
  --split tune  SciFact train (809) and CheckThat train (800): the splits to tune on.
  --sweep     every configuration the harness controls (document mapping, kind article vs best
              bullet per brief, literal vs parsed queries, any vs all words); see RESULTS.md.
  --verify    also score every run with pytrec_eval (trec_eval 9's C code; pip package
              pytrec_eval-terrier) and with a synthetic set of graded judgments and tied
              scores, and fail unless every per-query value agrees with ours to 1e-9.

Exit status: 0 done (targets are reported, not asserted); 1 a run failed (index or batch
error, baseline unavailable, --verify mismatch) or, with --require-data, the data is missing.
When SHARED/data (or a collection's folder) is missing it prints
"relevance: SKIPPED: <path> not found" and exits 0, unless --require-data.

The baseline needs `tantivy` (and --verify `pytrec_eval`) importable: by this Python, by
--python PATH / $BRIEFS_RELEVANCE_PYTHON, or else in a venv the harness makes with pip in
${XDG_CACHE_HOME:-~/.cache}/briefs-relevance/venv (tantivy==0.27.0, the crate's version).
The briefs side is standard library only.

How the measures follow trec_eval 9 (checked against its source, form_res_rels.c,
m_ndcg_cut.c, m_map_cut.c, m_map.c, m_recall.c, m_recip_rank.c, and against pytrec_eval with
--verify: identical per-query values on every run and on synthetic ties/graded judgments):
  * a run's ranks are ignored: docs are re-sorted by score (as a double) descending, ties broken
    by docid *descending* in strcmp (byte) order: `comp_sim_docno` returns
    strcmp(p2->docno, p1->docno). A duplicate docid in one query is an error, as in trec_eval.
  * relevant = judged rel >= 1 (trec_eval's default -l 1) for MAP, MAP@5, MRR@10 and R@100;
    num_rel counts every judged relevant doc, retrieved or not.
  * nDCG@10 = sum over the top 10 of gain/log2(rank+1) (gain = the judged rel, >0 only),
    divided by the same sum over the judgments sorted by gain (trec_eval 9's ndcg_cut.10).
  * MAP = sum of precision at each relevant retrieved doc / num_rel; MAP@5 (map_cut.5) the same
    over the top 5 only, still divided by num_rel; R@100 = relevant in top 100 / num_rel;
    MRR@10 = 1/rank of the first relevant doc in the top 10, else 0 (recip_rank on the top 10).
  * means are over every judged query of the set, a query with no hits scoring 0 (trec_eval -c).
"""

import argparse
import csv
import gzip
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MEASURES = ["nDCG@10", "MAP", "MAP@5", "MRR@10", "R@100"]
OFFICIAL = {"scifact": "nDCG@10", "checkthat": "MAP@5"}
SCIFACT_TARGET = 0.679
CHECKTHAT_GAIN = 1.05


class HarnessError(Exception):
    """A run failed: the harness exits 1."""


# --------------------------------------------------------------------------- data


@dataclass
class Collection:
    name: str
    split: str
    docs: list  # {"id", "title", "text"}; CheckThat docs also keep "claim"
    queries: list  # (qid, text)
    qrels: dict  # qid -> {docid: rel}


def read_qrels_trec(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 4:
                continue
            qid, _, docid, rel = parts
            qrels.setdefault(qid, {})[docid] = int(rel)
    return qrels


def load_scifact(root, split, limit):
    docs = []
    with gzip.open(root / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append({"id": d["_id"], "title": d["title"].strip(), "text": d["text"].strip()})
    qrels = {}
    with open(root / "qrels" / f"{split}.tsv", encoding="utf-8") as f:
        next(f)  # BEIR header: query-id corpus-id score
        for line in f:
            qid, docid, rel = line.split("\t")
            qrels.setdefault(qid, {})[docid] = int(rel)
    texts = {}
    with open(root / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            texts[q["_id"]] = q["text"]
    qids = sorted(qrels, key=int)[:limit]
    return Collection("scifact", split, docs, [(q, texts[q]) for q in qids], {q: qrels[q] for q in qids})


def load_checkthat(root, split, limit):
    docs = []
    with open(root / "verified_claims.docs.tsv", encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quotechar='"')
        next(rows)  # header: (vclaim_id), vclaim, title
        for vid, claim, title in rows:
            docs.append({"id": vid, "title": title.strip(), "text": claim.strip(), "claim": claim.strip()})
    qrels = read_qrels_trec(root / split / "tweet-vclaim-pairs.qrels")
    queries = []
    with open(root / split / "tweets.queries.tsv", encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quotechar='"')
        next(rows)  # header: (tweet_id), tweet_content
        for qid, text in rows:
            if qid in qrels:
                queries.append((qid, text))
    queries = queries[:limit]
    return Collection("checkthat", split, docs, queries, {q: qrels[q] for q, _ in queries})


SPLITS = {  # split mode -> collection -> split folder / qrels name
    "eval": {"scifact": "test", "checkthat": "dev"},
    "tune": {"scifact": "train", "checkthat": "train"},
}
LOADERS = {"scifact": (load_scifact, "scifact"), "checkthat": (load_checkthat, "checkthat2020")}
QUICK_LIMIT = {"scifact": 100, "checkthat": 100}


# --------------------------------------------------------------------------- briefs mappings

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])")


def sentences(text):
    return [s for s in SENTENCE_END.split(text) if s.strip()] or [text]


def brief(doc_id, headline, body=None, summaries=None, points=None):
    b = {"id": doc_id, "headline": headline}
    if body:
        b["body"] = body
    if summaries:
        b["summaries"] = summaries
    if points:
        b["points"] = points
    return b


# mapping name -> (doc -> brief, whether it makes bullets)
MAPPINGS = {
    "scifact": {
        "body": (lambda d: brief(d["id"], d["title"], body=d["text"]), False),
        "summaries": (lambda d: brief(d["id"], d["title"], summaries=sentences(d["text"])), True),
        "points": (lambda d: brief(d["id"], d["title"], points=sentences(d["text"])), True),
        # the whole abstract as one summary bullet (article weight 1.0 instead of the body's 0.5)
        "summary-1": (lambda d: brief(d["id"], d["title"], summaries=[d["text"]]), True),
        # title and abstract in the headline: one field, as the "flat" baseline (a probe of field
        # weights, not a sensible way to file a brief)
        "all-headline": (lambda d: brief(d["id"], d["title"] + " " + d["text"]), False),
    },
    "checkthat": {
        # the fact-check's title as the headline, the claim as the body / a summary / a point
        "title+body": (lambda d: brief(d["id"], d["title"] or d["claim"], body=d["claim"]), False),
        "title+summary": (lambda d: brief(d["id"], d["title"] or d["claim"], summaries=[d["claim"]]), True),
        "title+point": (lambda d: brief(d["id"], d["title"] or d["claim"], points=[d["claim"]]), True),
        # the claim as the headline, with or without the title
        "claim": (lambda d: brief(d["id"], d["claim"]), False),
        "claim+title-body": (lambda d: brief(d["id"], d["claim"], body=d["title"]), False),
        "claim+title-summary": (lambda d: brief(d["id"], d["claim"], summaries=[d["title"]]), True),
        "all-headline": (lambda d: brief(d["id"], (d["title"] + " " + d["claim"]).strip()), False),
    },
}


@dataclass(frozen=True)
class Config:
    mapping: str
    kind: str = "article"  # article | bullet (best bullet per brief)
    literal: bool = True
    all_terms: bool = False

    @property
    def name(self):
        return "briefs {} {} {} {}".format(
            self.mapping, self.kind, "literal" if self.literal else "parsed", "all" if self.all_terms else "any"
        )


# The defaults: per collection, the best configuration on its train split (--sweep --split tune,
# RESULTS.md) among the mappings that file the document as a brief would be filed (title as
# headline, or claim as headline); "all-headline" is a probe of field weights, not a candidate.
DEFAULTS = {"scifact": Config("summary-1", "bullet"), "checkthat": Config("claim+title-body")}


def sweep_configs(collection):
    configs = []
    for mapping, (_, has_bullets) in MAPPINGS[collection].items():
        for kind in ["article", "bullet"] if has_bullets else ["article"]:
            for literal in (True, False):
                for all_terms in (False, True):
                    configs.append(Config(mapping, kind, literal, all_terms))
    return configs


# --------------------------------------------------------------------------- running systems


def ensure_binary(path, tmp):
    """The binary, built if missing, copied into `tmp` so one run uses one build throughout."""
    if not path.exists():
        print(f"relevance: {path} not found; building it (cargo build --release --locked)", flush=True)
        proc = subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO)
        if proc.returncode != 0 or not path.exists():
            raise HarnessError("cargo build --release failed")
    copy = tmp / "briefs"
    shutil.copy2(path, copy)
    return copy


def write_queries(path, queries):
    with open(path, "w", encoding="utf-8") as f:
        for qid, text in queries:
            text = " ".join(text.split())  # no tabs or newlines inside a query
            f.write(f"{qid}\t{text}\n")


def read_run(path, collapse=False):
    """TREC run -> {qid: {docid: score}}; bullet ids collapse to their brief by max score."""
    run = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 6:
                raise HarnessError(f"{path}: not a TREC run line: {line!r}")
            qid, _, docid, _, score, _ = parts
            score = float(score)
            docs = run.setdefault(qid, {})
            if collapse:
                m = re.fullmatch(r"(.*)#[ps]\d+", docid)
                if not m:
                    raise HarnessError(f"{path}: not a bullet id: {docid}")
                docid = m.group(1)
                docs[docid] = max(score, docs.get(docid, score))
            else:
                if docid in docs:
                    raise HarnessError(f"{path}: duplicate docid {docid} for query {qid} (trec_eval rejects it)")
                docs[docid] = score
    return run


class Briefs:
    def __init__(self, binary, tmp):
        self.binary = str(binary)
        self.tmp = tmp
        self.indexes = {}  # (collection, mapping) -> index dir

    def index(self, coll, mapping):
        key = (coll.name, mapping)
        if key in self.indexes:
            return self.indexes[key]
        to_brief, _ = MAPPINGS[coll.name][mapping]
        jsonl = self.tmp / f"{coll.name}-{mapping}.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for d in coll.docs:
                f.write(json.dumps(to_brief(d), ensure_ascii=False) + "\n")
        idx = self.tmp / f"idx-{coll.name}-{mapping}"
        t = time.time()
        proc = subprocess.run([self.binary, "index", "--index", str(idx), "-q", str(jsonl)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise HarnessError(
                f"briefs index failed (exit {proc.returncode}) on {jsonl}:\n{proc.stderr.strip()[-2000:]}"
            )
        print(f"  indexed {coll.name} as '{mapping}' in {time.time() - t:.1f} s", flush=True)
        self.indexes[key] = idx
        return idx

    def run(self, coll, config, depth, queries_tsv):
        idx = self.index(coll, config.mapping)
        bullets = config.kind == "bullet"
        n = max(1000, depth) if bullets else depth
        out = self.tmp / ("run-" + coll.name + "-" + re.sub(r"[^A-Za-z0-9]+", "_", config.name) + ".trec")
        cmd = [self.binary, "search", "--index", str(idx), "--batch", str(queries_tsv), "--format", "trec",
               "-n", str(n), "--color", "never", "--kind", "bullet" if bullets else "article"]
        if bullets:
            cmd.append("--no-dedup")
        if config.literal:
            cmd.append("--literal")
        if config.all_terms:
            cmd.append("--all")
        t = time.time()
        with open(out, "w", encoding="utf-8") as f:
            proc = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, text=True)
        secs = time.time() - t
        # exit 1 = not one hit in the whole batch (possible with --all): an empty run, not an error.
        if proc.returncode not in (0, 1):
            raise HarnessError(f"briefs search --batch failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                               f"{proc.stderr.strip()[-2000:]}")
        note = proc.stderr.strip()
        if proc.returncode == 1:
            note = (note + "; " if note else "") + "no hits for any query"
        run = read_run(out, collapse=bullets)
        if bullets:
            run = {q: dict(trec_order(docs)[:depth]) for q, docs in run.items()}
        return run, secs, note


def find_python(need, cache, explicit):
    """A Python that can import every module in `need`: given, this one, or a cached venv."""
    check = "import " + ", ".join(need)
    candidates = [explicit] if explicit else [sys.executable]
    venv_py = cache / "venv" / "bin" / "python"
    if not explicit:
        candidates.append(str(venv_py))
    for py in candidates:
        if py and Path(py).exists() and subprocess.run([py, "-c", check], capture_output=True).returncode == 0:
            return py
    if explicit:
        raise HarnessError(f"{explicit} cannot `{check}`")
    pkgs = {"tantivy": "tantivy==0.27.0", "pytrec_eval": "pytrec_eval-terrier"}
    print(f"relevance: installing {', '.join(pkgs[m] for m in need)} into {cache / 'venv'} (pip)", flush=True)
    if not venv_py.exists():
        cache.mkdir(parents=True, exist_ok=True)
        if subprocess.run([sys.executable, "-m", "venv", str(cache / "venv")]).returncode != 0:
            raise HarnessError("python3 -m venv failed")
    proc = subprocess.run([str(venv_py), "-m", "pip", "install", "--quiet", *[pkgs[m] for m in need]])
    if proc.returncode != 0 or subprocess.run([str(venv_py), "-c", check]).returncode != 0:
        raise HarnessError(f"could not install {need} with pip; give --python PATH or --no-baseline")
    return str(venv_py)


# --whatif: the baseline with one of briefs' choices at a time, to predict which Rust knob helps.
WHATIF = [
    ("split", ["--boost", "title=1.5", "--boost", "text=0.5"], "title x1.5 text x0.5"),
    ("split", ["--analyzer", "stem"], "stemmed"),
    ("split", ["--analyzer", "stem", "--boost", "title=1.5", "--boost", "text=0.5"], "stemmed, title x1.5 text x0.5"),
    ("split", ["--analyzer", "stem", "--boost", "title=1", "--boost", "text=0.7"], "stemmed, title x1 text x0.7"),
    ("flat", ["--analyzer", "stem"], "stemmed"),
    ("flat", ["--analyzer", "stem-stop"], "stemmed, stop words"),
]


def run_baseline(python, coll, fields, depth, queries_tsv, tmp, extra=(), tag=""):
    docs = tmp / f"{coll.name}-baseline-docs.jsonl"
    if not docs.exists():
        with open(docs, "w", encoding="utf-8") as f:
            for d in coll.docs:
                f.write(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"]}) + "\n")
    out = tmp / ("baseline-" + coll.name + "-" + fields + re.sub(r"[^A-Za-z0-9]+", "_", tag) + ".trec")
    t = time.time()
    proc = subprocess.run([python, str(HERE / "baseline_tantivy.py"), str(docs), str(queries_tsv), str(out),
                           "--fields", fields, "-n", str(depth), *extra], capture_output=True, text=True)
    if proc.returncode != 0:
        raise HarnessError(f"baseline ({fields}) failed:\n{proc.stderr.strip()[-2000:]}")
    return read_run(out), time.time() - t


# --------------------------------------------------------------------------- trec_eval measures


def trec_order(docs):
    """(docid, score) pairs in trec_eval's order: score descending, then docid descending (strcmp)."""
    items = sorted(docs.items(), key=lambda x: x[0].encode("utf-8"), reverse=True)
    items.sort(key=lambda x: x[1], reverse=True)  # stable: ties keep docid-descending order
    return items


def query_measures(ranked_docids, judged):
    rels = [judged.get(d, -1) for d in ranked_docids]  # -1: not judged (trec_eval's NONPOOL)
    num_rel = sum(1 for r in judged.values() if r >= 1)
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(rels[:10]) if r > 0)
    ideal = sorted((r for r in judged.values() if r > 0), reverse=True)[:10]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    ap = ap5 = 0.0
    found = 0
    rr10 = 0.0
    for i, r in enumerate(rels):
        if r >= 1:
            found += 1
            ap += found / (i + 1)
            if i < 5:
                ap5 += found / (i + 1)
            if not rr10 and i < 10:
                rr10 = 1.0 / (i + 1)
    rec100 = sum(1 for r in rels[:100] if r >= 1)
    return {
        "nDCG@10": dcg / idcg if idcg > 0 else 0.0,
        "MAP": ap / num_rel if num_rel else 0.0,
        "MAP@5": ap5 / num_rel if num_rel else 0.0,
        "MRR@10": rr10,
        "R@100": rec100 / num_rel if num_rel else 0.0,
    }


def evaluate(run, qrels):
    """Per-query measures for every judged query (missing from the run: all 0) and their means."""
    per_query = {}
    for qid, judged in qrels.items():
        ranked = [d for d, _ in trec_order(run.get(qid, {}))]
        per_query[qid] = query_measures(ranked, judged)
    n = len(per_query)
    means = {m: sum(v[m] for v in per_query.values()) / n for m in MEASURES}
    return per_query, means


# --------------------------------------------------------------------------- --verify


PYTREC_NAMES = {"nDCG@10": "ndcg_cut_10", "MAP": "map", "MAP@5": "map_cut_5", "R@100": "recall_100"}


def synthetic_case(seed=7):
    """Graded judgments, many tied scores and awkward docids, to test ordering and gains."""
    rng = random.Random(seed)
    ids = ["d%d" % i for i in range(40)] + ["D1", "d1#", "é9", "a", "aa", "b", "10", "9", "Z"]
    qrels, run = {}, {}
    for q in range(30):
        qid = f"q{q}"
        judged = rng.sample(ids, 12)
        qrels[qid] = {d: rng.choice([0, 0, 1, 1, 2, 3]) for d in judged}
        if q % 7 == 0:
            qrels[qid] = {d: 0 for d in judged}  # a query with nothing relevant
        retrieved = rng.sample(ids, rng.randint(0 if q == 5 else 1, 30))
        run[qid] = {d: float(rng.choice([1, 2, 2.5, 3, 3, 3])) for d in retrieved}
    return qrels, run


def verify(python, named_runs):
    """Compares our per-query values with pytrec_eval's; returns the number of values checked."""
    checked = 0
    for name, (run, qrels) in named_runs.items():
        ours, _ = evaluate(run, qrels)
        full = {q: run.get(q, {}) for q in qrels}
        top10 = {q: dict(trec_order(d)[:10]) for q, d in full.items()}
        payload = {"qrels": qrels, "runs": {"full": {q: d for q, d in full.items() if d},
                                            "top10": {q: d for q, d in top10.items() if d}}}
        proc = subprocess.run([python, str(HERE / "verify_pytrec.py")], input=json.dumps(payload),
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise HarnessError(f"verify_pytrec.py failed: {proc.stderr.strip()[-1500:]}")
        theirs = json.loads(proc.stdout)
        for qid, values in ours.items():
            for m in MEASURES:
                if m == "MRR@10":
                    ref = theirs["top10"].get(qid, {}).get("recip_rank", 0.0)
                else:
                    ref = theirs["full"].get(qid, {}).get(PYTREC_NAMES[m], 0.0)
                if abs(ref - values[m]) > 1e-9:
                    raise HarnessError(f"--verify: {name} query {qid} {m}: ours {values[m]!r}, pytrec_eval {ref!r}")
                checked += 1
    return checked


# --------------------------------------------------------------------------- main


def fmt(x):
    return f"{x:.4f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="CI subset (about 10 s)")
    ap.add_argument("--collections", default="scifact,checkthat")
    ap.add_argument("--shared", default=os.environ.get("BRIEFS_SHARED_DIR", str(REPO.parent / "shared")),
                    help="the shared folder holding data/relevance/ (default ../shared, or $BRIEFS_SHARED_DIR)")
    ap.add_argument("--require-data", action="store_true", help="exit 1, not 0, when the data is missing")
    ap.add_argument("--split", choices=["eval", "tune"], default="eval",
                    help="eval: SciFact test, CheckThat dev; tune: both train splits")
    ap.add_argument("--sweep", action="store_true", help="run every configuration (see RESULTS.md)")
    ap.add_argument("--config", action="append", default=[],
                    help="run this configuration instead of the default: COLLECTION:MAPPING[:bullet][:parsed][:all]")
    ap.add_argument("--depth", type=int, help="hits per query (default 1000; 100 with --quick)")
    ap.add_argument("--verify", action="store_true", help="cross-check every measure with pytrec_eval")
    ap.add_argument("--whatif", action="store_true",
                    help="also run the baseline with briefs' stemming / field weights / stop words, one at a time")
    ap.add_argument("--no-baseline", action="store_true", help="skip the Python tantivy baseline")
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "briefs"))
    ap.add_argument("--python", default=os.environ.get("BRIEFS_RELEVANCE_PYTHON"),
                    help="a Python with `tantivy` (and for --verify `pytrec_eval`)")
    ap.add_argument("--markdown", action="store_true", help="also print the table as Markdown rows")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (runs, indexes)")
    args = ap.parse_args(argv)

    names = [c.strip() for c in args.collections.split(",") if c.strip()]
    for c in names:
        if c not in LOADERS:
            ap.error(f"unknown collection {c!r} (known: {', '.join(LOADERS)})")
    data = Path(args.shared) / "data"
    missing = [data] if not data.is_dir() else [data / "relevance" / LOADERS[c][1] for c in names
                                                  if not (data / "relevance" / LOADERS[c][1]).is_dir()]
    if missing:
        for path in missing:
            print(f"relevance: SKIPPED: {path} not found")
        return 1 if args.require_data else 0

    depth = args.depth or (100 if args.quick else 1000)
    started = time.time()
    tmp = Path(tempfile.mkdtemp(prefix="briefs-relevance-"))
    try:
        return run_all(args, names, data, depth, tmp, started)
    except HarnessError as e:
        print(f"relevance: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"relevance: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def parse_config(spec):
    parts = spec.split(":")
    coll, mapping, flags = parts[0], parts[1], set(parts[2:])
    if coll not in MAPPINGS or mapping not in MAPPINGS[coll]:
        raise HarnessError(f"--config {spec}: unknown collection or mapping")
    return coll, Config(mapping, "bullet" if "bullet" in flags else "article", "parsed" not in flags, "all" in flags)


def run_all(args, names, data, depth, tmp, started):
    binary = ensure_binary(Path(args.bin), tmp)
    briefs = Briefs(binary, tmp)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "briefs-relevance"
    python = None
    if not args.no_baseline or args.verify:
        need = (["tantivy"] if not args.no_baseline else []) + (["pytrec_eval"] if args.verify else [])
        python = find_python(need, cache, args.python)
    chosen = {}
    for spec in args.config:
        coll, config = parse_config(spec)
        chosen.setdefault(coll, []).append(config)

    rows = []  # (collection label, system, means, nq, seconds)
    verdicts = []
    judged = []  # the configuration the targets are judged on, per collection
    to_verify = {}
    for name in names:
        loader, folder = LOADERS[name]
        split = SPLITS[args.split][name]
        coll = loader(data / "relevance" / folder, split, QUICK_LIMIT[name] if args.quick else None)
        label = f"{name} {split}" + (f" ({len(coll.queries)} q)" if args.quick else "")
        print(f"{label}: {len(coll.docs)} docs, {len(coll.queries)} queries, depth {depth}", flush=True)
        queries_tsv = tmp / f"{name}-queries.tsv"
        write_queries(queries_tsv, coll.queries)

        configs = sweep_configs(name) if args.sweep else chosen.get(name, [DEFAULTS[name]])
        results = []
        for config in configs:
            run, secs, note = briefs.run(coll, config, depth, queries_tsv)
            _, means = evaluate(run, coll.qrels)
            results.append((config.name, means, secs))
            to_verify[f"{label} {config.name}"] = (run, coll.qrels)
            print(f"  {config.name}: {secs:.1f} s" + (f" ({note})" if note else ""), flush=True)
        baselines = []
        if not args.no_baseline:
            for fields in ("flat", "split"):
                run, secs = run_baseline(python, coll, fields, depth, queries_tsv, tmp)
                _, means = evaluate(run, coll.qrels)
                baselines.append((f"tantivy-bm25 {fields}", means, secs))
                to_verify[f"{label} tantivy {fields}"] = (run, coll.qrels)
                print(f"  tantivy-bm25 {fields}: {secs:.1f} s", flush=True)
        whatifs = []
        if args.whatif and not args.no_baseline:
            for fields, extra, label_ in WHATIF:
                run, secs = run_baseline(python, coll, fields, depth, queries_tsv, tmp, extra, label_)
                _, means = evaluate(run, coll.qrels)
                whatifs.append((f"what-if: tantivy {fields} {label_}", means, secs))
                print(f"  what-if tantivy {fields} {label_}: {secs:.1f} s", flush=True)
        for system, means, secs in results + baselines + whatifs:
            rows.append((label, system, means, secs))
        default_name = (chosen.get(name) or [DEFAULTS[name]])[0].name
        mine = next((m for s, m, _ in results if s == default_name), results[0][1])
        judged.append(f"{name}: {default_name}")
        if baselines:
            best = {m: max(b[1][m] for b in baselines) for m in MEASURES}
            ratio = {m: (mine[m] / best[m] if best[m] else float("nan")) for m in MEASURES}
            rows.append((label, "ratio briefs/best baseline", ratio, None))
            official = OFFICIAL[name]
            verdicts.append((f"{name} {split}: {official} not worse than plain Tantivy BM25 "
                             f"({fmt(mine[official])} vs {fmt(best[official])})", mine[official] >= best[official]))
            if name == "checkthat":
                verdicts.append((f"checkthat {split}: MAP@5 >= 1.05 x baseline ({fmt(mine['MAP@5'])} vs "
                                 f"{fmt(CHECKTHAT_GAIN * best['MAP@5'])})",
                                 mine["MAP@5"] >= CHECKTHAT_GAIN * best["MAP@5"]))
        if name == "scifact":
            verdicts.append((f"scifact {split}: nDCG@10 >= {SCIFACT_TARGET} ({fmt(mine['nDCG@10'])})",
                             mine["nDCG@10"] >= SCIFACT_TARGET))

    print()
    header = ["collection", "system", *MEASURES, "seconds"]
    table = [header] + [[c, s, *[fmt(m[k]) for k in MEASURES], "" if secs is None else f"{secs:.1f}"]
                        for c, s, m, secs in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))))
    if args.markdown:
        print()
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for r in table[1:]:
            print("| " + " | ".join(r) + " |")
    print()
    note = " (quick subset: figures are indicative, not the targets' splits in full)" if args.quick else ""
    if args.split == "tune":
        note = " (train splits: the issue's targets are on SciFact test and CheckThat dev)"
    print(f"issue 4 targets{note}, judged on {'; '.join(judged)}:")
    for text, ok in verdicts:
        print(f"  {'MET    ' if ok else 'NOT MET'}  {text}")
    if args.verify:
        q, r = synthetic_case()
        checked = verify(python, {"synthetic ties/graded": (r, q)})
        checked += verify(python, to_verify)
        print(f"verify: {checked} per-query values agree with pytrec_eval (trec_eval 9) to 1e-9")
    print(f"relevance: done in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

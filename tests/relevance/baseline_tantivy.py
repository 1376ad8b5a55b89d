"""Plain Tantivy BM25 baseline for the relevance harness (run by run.py).

Runs under a Python that has the PyPI `tantivy` bindings (run.py finds or
makes one). Everything is Tantivy's default: the `default` tokenizer (split on
non-alphanumerics, drop tokens over 40 bytes, lower-case; no stemming, no stop
words), BM25 with k1 = 1.2 and b = 0.75, OR between query words.

    python baseline_tantivy.py DOCS.jsonl QUERIES.tsv RUN.trec --fields flat|split -n 100

DOCS.jsonl: one {"id", "title", "text"} a line. `flat` indexes one field,
title + " " + text (Anserini's "flat" BEIR setting); `split` indexes title and
text as two fields, both searched with weight 1 (its "multifield").
What-if options (not the baseline; run.py --whatif labels them as such): `--analyzer
stem` swaps the default tokenizer for one close to briefs' analysis (lower-case, ASCII
folding, Snowball English stemmer), `stem-stop` adds Tantivy's English stop words, and
`--boost FIELD=W` weights a field as briefs' targets() does (e.g. title=1.5 text=0.5).
QUERIES.tsv: qid<TAB>query. Query syntax is neutralised: the query is cut into
the runs of letters and digits the default tokenizer would make, lower-cased
(so AND/OR/NOT/IN are words, not operators) and joined by spaces; the
resulting words are exactly the terms the tokenizer makes of the raw text.
"""

import argparse
import json
import re
import sys

import tantivy

WORD = re.compile(r"[^\W_]+")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("docs")
    ap.add_argument("queries")
    ap.add_argument("out")
    ap.add_argument("--fields", choices=["flat", "split"], default="flat")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--tag", default="tantivy-bm25")
    ap.add_argument("--analyzer", choices=["default", "stem", "stem-stop"], default="default")
    ap.add_argument("--boost", action="append", default=[], help="FIELD=WEIGHT")
    args = ap.parse_args()
    boosts = {k: float(v) for k, v in (b.split("=", 1) for b in args.boost)}

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    names = ["text"] if args.fields == "flat" else ["title", "text"]
    tokenizer = "default" if args.analyzer == "default" else "whatif"
    for name in names:
        sb.add_text_field(name, stored=False, tokenizer_name=tokenizer)
    schema = sb.build()
    index = tantivy.Index(schema)  # in memory
    if tokenizer == "whatif":
        builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                   .filter(tantivy.Filter.remove_long(40))
                   .filter(tantivy.Filter.lowercase())
                   .filter(tantivy.Filter.ascii_fold()))
        if args.analyzer == "stem-stop":
            builder = builder.filter(tantivy.Filter.stopword("english"))
        index.register_tokenizer("whatif", builder.filter(tantivy.Filter.stemmer("english")).build())
    writer = index.writer(heap_size=64_000_000, num_threads=1)
    with open(args.docs, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if args.fields == "flat":
                doc = tantivy.Document(id=d["id"], text=(d["title"] + " " + d["text"]).strip())
            else:
                doc = tantivy.Document(id=d["id"], title=d["title"], text=d["text"])
            writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    with open(args.queries, encoding="utf-8") as f, open(args.out, "w", encoding="utf-8") as out:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            qid, _, text = line.partition("\t")
            words = WORD.findall(text.lower())
            if not words:
                continue
            query = index.parse_query(" ".join(words), names, field_boosts=boosts)
            hits = searcher.search(query, args.n).hits
            for rank, (score, address) in enumerate(hits, 1):
                docid = searcher.doc(address)["id"][0]
                out.write(f"{qid} Q0 {docid} {rank} {score:.6f} {args.tag}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

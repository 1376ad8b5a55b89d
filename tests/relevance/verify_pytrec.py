"""pytrec_eval (trec_eval 9's own C code) on the harness's runs, for `run.py --verify`.

Reads JSON on stdin: {"qrels": {qid: {docid: rel}}, "runs": {name: {qid: {docid: score}}}}
and writes {name: {qid: {measure: value}}} on stdout, with
ndcg_cut_10, map, map_cut_5, recall_100 and recip_rank. run.py asks for
recip_rank on runs it has already cut to their top 10 (in trec_eval's order),
which is MRR@10.
"""

import json
import sys

import pytrec_eval

MEASURES = {"ndcg_cut.10", "map", "map_cut.5", "recall.100", "recip_rank"}


def main():
    data = json.load(sys.stdin)
    evaluator = pytrec_eval.RelevanceEvaluator(data["qrels"], MEASURES)
    out = {name: evaluator.evaluate(run) for name, run in data["runs"].items()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

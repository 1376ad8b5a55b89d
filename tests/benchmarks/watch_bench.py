#!/usr/bin/env python3
"""Measures `briefs watch` (issue 14): figures printed and written as JSON,
never asserted.

    watch_bench.py [--bin target/release/briefs] [--work DIR] [--shared DIR]
                   [--briefs 200000] [--files 200] [--idle-seconds 60]
                   [--queries 100] [--quick]

1. Latency, close to searchable: a watch follows a copy of corpus/; one at a
   time, a new brief file is written and closed, then `briefs search` (a
   separate process) runs in a loop until it finds the file's unique word.
   The time from the close to the first search that finds it, over --files
   files: median, p90, p99 (it includes the debounce and one search process).
2. Idle cost over a big folder: --briefs text briefs made by gen_corpus.py
   from ../shared/data (1,000 a sub-folder), indexed by `briefs index`, then
   a watch started on it: its start-up (the catch-up's walk), then
   --idle-seconds of nothing: CPU seconds used, resident memory (VmRSS,
   VmHWM) and inotify watches held. The same latency is then measured on it.
3. Standing queries: the big folder's watch again, with --queries standing
   queries (words, pairs and phrases from the corpus's own headlines), then
   20 commits of 10 new briefs each (copies of existing briefs under new
   names, so every bullet is new): the alerting time per commit (from the
   watch's commit lines), beside the commit time, and the same 20 commits
   without --alert.

Without ../shared/data, parts 2 and 3 are skipped (said so) and part 1 runs.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Watch:
    """A running `briefs watch`, stopped by its PID."""

    def __init__(self, bin_, index, roots, extra, log):
        self.log_path = log
        self.log = open(log, "wb")
        self.out_path = log + ".out"
        self.out = open(self.out_path, "wb")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [bin_, "--index", index, "watch", *extra, *roots],
            stdout=self.out, stderr=self.log, stdin=subprocess.DEVNULL)
        self.wait_for(lambda t: "briefs: watch: following" in t, 3600)
        self.ready_seconds = time.perf_counter() - self.started

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for(self, cond, limit):
        start = time.perf_counter()
        while not cond(self.text()):
            if self.proc.poll() is not None:
                sys.exit(f"watch exited early:\n{self.text()}")
            if time.perf_counter() - start > limit:
                sys.exit(f"timed out waiting:\n{self.text()}")
            time.sleep(0.01)

    def commits(self):
        return [l for l in self.text().splitlines() if "briefs: watch: commit " in l]

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def memory_kib(self):
        values = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    values[key] = int(rest.split()[0])
        return values

    def inotify_watches(self):
        count = 0
        fd_dir = f"/proc/{self.proc.pid}/fdinfo"
        for fd in os.listdir(fd_dir):
            try:
                with open(os.path.join(fd_dir, fd)) as f:
                    count += sum(1 for l in f if l.startswith("inotify wd:"))
            except OSError:
                pass
        return count

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        self.out.close()


def searchable(bin_, index, word):
    run = subprocess.run([bin_, "--index", index, "search", "--json", "-n", "1", word],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return run.returncode == 0 and run.stdout.strip() != b""


def latency(bin_, index, folder, files, label):
    os.makedirs(folder, exist_ok=True)
    times = []
    for i in range(files):
        word = f"latencyword{label}{i:04d}x"
        path = os.path.join(folder, f"latency-{label}-{i:04d}.txt")
        text = (f"Latency brief {i} — Bench Desk\n📌 The {word} point of brief {i}.\n"
                f"- The {word} summary.\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        closed = time.perf_counter()
        while not searchable(bin_, index, word):
            if time.perf_counter() - closed > 60:
                sys.exit(f"{path} not searchable after 60 s")
        times.append(time.perf_counter() - closed)
    search_only = []
    for _ in range(20):
        start = time.perf_counter()
        searchable(bin_, index, "latencyword")
        search_only.append(time.perf_counter() - start)
    return {
        "files": files,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p90_ms": round(percentile(times, 90) * 1000, 1),
        "p99_ms": round(percentile(times, 99) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "one_search_process_ms": round(statistics.median(search_only) * 1000, 1),
    }


COMMIT = re.compile(r"commit \d+: .*?(?:; (\d+) alerts \(([\d.]+) s\))?; ([\d.]+) s$")


def commit_costs(watch, corpus, batches, per_batch, tag):
    """Copies existing briefs under new names, per_batch a commit."""
    sources = []
    for root, _, names in os.walk(corpus):
        for name in sorted(names):
            if name.endswith(".txt"):
                sources.append(os.path.join(root, name))
            if len(sources) >= batches * per_batch:
                break
        if len(sources) >= batches * per_batch:
            break
    target = os.path.join(corpus, "d000")
    rows = []
    for b in range(batches):
        before = len(watch.commits())
        for j in range(per_batch):
            src = sources[b * per_batch + j]
            shutil.copyfile(src, os.path.join(target, f"copy-{tag}-{b:03d}-{j:02d}.txt"))
        watch.wait_for(lambda t: t.count("briefs: watch: commit ") > before, 120)
        # A batch may land in more than one commit; take every new line.
        for line in watch.commits()[before:]:
            m = COMMIT.search(line)
            if m:
                rows.append((int(m.group(1) or 0), float(m.group(2) or 0), float(m.group(3))))
    for root, _, names in os.walk(target):
        for name in names:
            if name.startswith(f"copy-{tag}-"):
                os.remove(os.path.join(root, name))
    return rows


def standing_queries(corpus, count):
    words = {}
    seen = 0
    for root, _, names in sorted(os.walk(corpus)):
        for name in sorted(names)[:50]:
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                headline = f.readline()
            # The title only: a source's name would match every brief of it.
            headline = re.split(r" [—|-] ", headline)[0]
            for w in re.findall(r"[A-Za-z]{5,}", headline):
                words[w.lower()] = words.get(w.lower(), 0) + 1
            seen += 1
        if seen > 5000:
            break
    ranked = [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))][10:]
    lines = []
    for i in range(count):
        w = ranked[i % len(ranked)]
        nxt = ranked[(i * 7 + 3) % len(ranked)]
        if i % 10 == 9:
            lines.append(f"q{i}\t\"{w} {nxt}\"")
        elif i % 5 == 4:
            lines.append(f"q{i}\t--all {w} {nxt}")
        elif i % 5 == 3:
            lines.append(f"q{i}\t{w} {nxt}")
        else:
            lines.append(f"q{i}\t{w}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/briefs"))
    ap.add_argument("--work", default=os.environ.get("BRIEFS_BENCH_WORK", "/tmp/briefs-watch-bench"))
    ap.add_argument("--shared", default=os.environ.get("BRIEFS_SHARED_DIR", os.path.join(REPO, "..", "shared")))
    ap.add_argument("--briefs", type=int, default=200_000)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--idle-seconds", type=float, default=60)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--quick", action="store_true", help="2,000 briefs, 20 files, 5 s idle")
    ap.add_argument("--parts", default="latency,idle,queries",
                    help="which parts to run (comma-separated: latency, idle, queries)")
    args = ap.parse_args()
    if args.quick:
        args.briefs, args.files, args.idle_seconds = 2_000, 20, 5
    bin_ = os.path.abspath(args.bin)
    if not os.path.exists(bin_):
        sys.exit(f"{bin_} not found: cargo build --release first")
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    results = {"commit": subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True).stdout.strip(),
               "cores": os.cpu_count()}

    parts = set(args.parts.split(","))
    if "latency" in parts:
        latency_small(bin_, work, args, results)
    data = os.path.join(os.path.abspath(args.shared), "data")
    if parts & {"idle", "queries"} and not os.path.isdir(data):
        print(f"idle and standing-query parts skipped: {data} not found")
    elif parts & {"idle", "queries"}:
        big_folder(bin_, work, data, args, parts, results)
    path = os.path.join(work, "watch-results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
    print(f"written {path}")


def latency_small(bin_, work, args, results):
    """1. Latency on a copy of corpus/."""
    small = os.path.join(work, "small")
    shutil.rmtree(small, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "corpus"), os.path.join(small, "briefs"))
    watch = Watch(bin_, os.path.join(small, "idx"), [os.path.join(small, "briefs")], [],
                  os.path.join(work, "small.log"))
    results["latency_small"] = latency(bin_, os.path.join(small, "idx"),
                                       os.path.join(small, "briefs", "new"), args.files, "s")
    watch.stop()
    print("latency, corpus/ copy:", json.dumps(results["latency_small"]), flush=True)


def big_folder(bin_, work, data, args, parts, results):
    out = os.path.join(work, "corpora")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "make", "--data", data,
                    "--out", out, "--briefs", str(args.briefs)], check=True)
    corpus = os.path.join(out, f"briefs-{args.briefs}")
    big_idx = os.path.join(work, f"idx-{args.briefs}")
    start = time.perf_counter()
    subprocess.run([bin_, "--index", big_idx, "index", "-q", corpus], check=True)
    results["index_seconds"] = round(time.perf_counter() - start, 2)
    print(f"indexed {args.briefs} briefs in {results['index_seconds']} s "
          "(an index left by an earlier run is brought up to date)", flush=True)
    if "idle" in parts:
        idle(bin_, work, corpus, big_idx, args, results)
    if "queries" in parts:
        queries(bin_, work, corpus, big_idx, args, results)


def idle(bin_, work, corpus, big_idx, args, results):
    # 2. Idle.
    watch = Watch(bin_, big_idx, [corpus], [], os.path.join(work, "big.log"))
    time.sleep(2)  # let the start-up's threads settle before sampling
    cpu0, t0 = watch.cpu_seconds(), time.perf_counter()
    time.sleep(args.idle_seconds)
    cpu1, t1 = watch.cpu_seconds(), time.perf_counter()
    mem = watch.memory_kib()
    results["idle"] = {
        "files": args.briefs,
        "start_to_following_s": round(watch.ready_seconds, 2),
        "seconds": round(t1 - t0, 1),
        "cpu_seconds": round(cpu1 - cpu0, 3),
        "cpu_percent": round(100 * (cpu1 - cpu0) / (t1 - t0), 4),
        "rss_mib": round(mem.get("VmRSS", 0) / 1024, 1),
        "rss_anon_mib": round(mem.get("RssAnon", 0) / 1024, 1),
        "peak_rss_mib": round(mem.get("VmHWM", 0) / 1024, 1),
        "inotify_watches": watch.inotify_watches(),
    }
    print("idle:", json.dumps(results["idle"]), flush=True)
    results["latency_big"] = latency(bin_, big_idx, os.path.join(corpus, "latency"),
                                     args.files, "b")
    print(f"latency, {args.briefs} files:", json.dumps(results["latency_big"]), flush=True)
    watch.stop()
    shutil.rmtree(os.path.join(corpus, "latency"), ignore_errors=True)


def queries(bin_, work, corpus, big_idx, args, results):
    # 3. Standing queries, beside the same commits without them.
    watch = Watch(bin_, big_idx, [corpus], [], os.path.join(work, "plain.log"))
    plain = commit_costs(watch, corpus, 20, 10, "plain")
    watch.stop()
    queries = os.path.join(work, "standing.tsv")
    with open(queries, "w", encoding="utf-8") as f:
        f.write(standing_queries(corpus, args.queries))
    watch = Watch(bin_, big_idx, [corpus], ["--alert", queries, "--json"],
                  os.path.join(work, "alerts.log"))
    alerted = commit_costs(watch, corpus, 20, 10, "alert")
    watch.stop()
    with open(watch.out_path, encoding="utf-8") as f:
        alert_lines = sum(1 for _ in f)
    results["standing_queries"] = {
        "queries": args.queries,
        "commits": len(alerted),
        "alerts": alert_lines,
        "alerting_median_ms": round(statistics.median(r[1] for r in alerted) * 1000, 1),
        "alerting_max_ms": round(max(r[1] for r in alerted) * 1000, 1),
        "commit_median_ms_with_alerts": round(statistics.median(r[2] for r in alerted) * 1000, 1),
        "commit_median_ms_without": round(statistics.median(r[2] for r in plain) * 1000, 1),
    }
    print("standing queries:", json.dumps(results["standing_queries"]), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""briefs benchmark suite: briefs against the tools people use instead, on the
same generated corpora, in one run, on one machine.

    tests/benchmarks/run.sh --quick              # CI: 2,000 briefs, peers found on PATH only
    tests/benchmarks/run.sh --full               # 2,000 / 20,000 / 200,000 / 1,000,000 briefs
    tests/benchmarks/run.sh --full --sizes 2000,20000

Per size it measures full indexing (wall, CPU user+sys, peak RSS, index size on
disk), re-indexing an unchanged folder, re-indexing after 1% of the files
changed, whole-process query latency (median of N runs, hyperfine when
installed), and in-process p50/p99 (tests/benchmarks/search.rs via the briefs
library; tantivy-cli `bench` for the peer). Figures are printed and written,
never asserted: the exit status is 0 unless the suite itself breaks.

Peers: tantivy-cli (on the equivalent NDJSON), ripgrep, Recoll, Xapian
omindex/quest, SQLite FTS5. With --install (the default in --full) missing ones
are installed (apt-get, cargo install); a peer that is missing or fails to
install is skipped with a line saying so. See tests/benchmarks/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

import memwatch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen_corpus.py")

ALL_SIZES = [2000, 20000, 200000, 1000000]
JSONL_FROM = 1000000  # sizes from here on are JSON Lines, not a folder of .txt files
PEERS = ["tantivy-cli", "xapian", "recoll", "sqlite", "ripgrep"]
PEER_NAMES = {
    "briefs": "briefs",
    "tantivy-cli": "tantivy-cli",
    "xapian": "Xapian omindex / quest",
    "recoll": "Recoll recollindex / recollq",
    "sqlite": "SQLite FTS5 (sqlite3 CLI)",
    "ripgrep": "ripgrep (no index)",
}
APT = {  # command -> Debian package
    "rg": "ripgrep", "recollindex": "recollcmd", "recollq": "recollcmd",
    "omindex": "xapian-omega", "quest": "xapian-tools", "sqlite3": "sqlite3",
    "hyperfine": "hyperfine",
}

# The fixed query set: label, what it is, and each tool's spelling of it
# (None: the tool has no such query). rg lists every matching file (no index,
# no ranking); the others print their top 10.
QUERIES = [
    ("rare", "rare word: asbestos (~0.1% of briefs)", {
        "briefs": "asbestos", "tantivy-cli": "asbestos", "xapian": "asbestos",
        "recoll": "asbestos", "sqlite": "asbestos", "ripgrep": ["-w", "asbestos"]}),
    ("common", "common word: market (~30% of briefs)", {
        "briefs": "market", "tantivy-cli": "market", "xapian": "market",
        "recoll": "market", "sqlite": "market", "ripgrep": ["-w", "market"]}),
    ("and", "two words, both required: oil AND prices", {
        "briefs": "oil AND prices", "tantivy-cli": "+oil +prices", "xapian": "oil AND prices",
        "recoll": "oil AND prices", "sqlite": "oil AND prices",
        "ripgrep": "rg -l -i -w oil {dir} | xargs -r rg -l -i -w prices"}),
    ("phrase", 'phrase: "central bank"', {
        "briefs": '"central bank"', "tantivy-cli": '"central bank"', "xapian": '"central bank"',
        "recoll": '"central bank"', "sqlite": '"central bank"',
        "ripgrep": ["-w", r"central\s+bank"]}),
    ("fuzzy", "fuzzy: goverment~1 (a typo)", {
        "briefs": "goverment~1", "tantivy-cli": None, "xapian": None, "recoll": None,
        "sqlite": None, "ripgrep": None}),
    ("field", "field-scoped: headline:china", {
        "briefs": "headline:china", "tantivy-cli": "headline:china", "xapian": None,
        "recoll": None, "sqlite": "headline:china",
        # headline = the line carrying the source separator (approximate)
        "ripgrep": [r"\bchina\b.*\s(—|\||-)\s[A-Z][\w .&'-]*$"]}),
    ("prefix", "prefix: econom*", {
        "briefs": "econom*", "tantivy-cli": None, "xapian": "econom*", "recoll": "econom*",
        "sqlite": "econom*", "ripgrep": ["-w", r"econom\w*"]}),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


def which(cmd, extra=()):
    for d in extra:
        p = os.path.join(d, cmd)
        if os.access(p, os.X_OK):
            return p
    return shutil.which(cmd)


def du(path):
    if not os.path.exists(path):
        return 0
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for dp, _, fns in os.walk(path):
        for f in fns:
            try:
                total += os.lstat(os.path.join(dp, f)).st_size
            except OSError:
                pass
    return total


def rmrf(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


class Timer:
    """Times one process with /usr/bin/time (CPU, peak RSS) and perf_counter (wall)."""

    def __init__(self, work):
        self.gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
        self.out = os.path.join(work, "time.txt")

    def measure(self, cmd, env=None, stdin=None, ok=(0,), logfile=None, memory=False):
        """With memory=True the process's /proc status is also sampled every 25 ms
        (memwatch.py): peak anonymous and file-backed resident memory apart."""
        full = cmd
        if self.gnu_time:
            full = [self.gnu_time, "-f", "%e %U %S %M", "-o", self.out] + cmd
        fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
        fout = open(logfile, "ab") if logfile else subprocess.DEVNULL
        errf = open(self.out + ".err", "w+b")
        peaks = None
        try:
            t0 = time.perf_counter()
            p = subprocess.Popen(full, env=env, stdin=fin, stdout=fout, stderr=errf)
            if memory and sys.platform.startswith("linux"):
                peaks = memwatch.sample_peaks(p, 25, follow_child=bool(self.gnu_time))
            p.wait()
            wall = time.perf_counter() - t0
            errf.seek(0)
            stderr = errf.read()
        finally:
            errf.close()
            if stdin:
                fin.close()
            if logfile:
                fout.close()
        r = {"wall": wall, "rc": p.returncode}
        if peaks and peaks["samples"]:
            r.update(anon_mb=peaks["anon_mb"], file_mb=peaks["file_mb"])
        if p.returncode not in ok:
            r["error"] = stderr.decode("utf-8", "replace").strip()[-400:]
        if self.gnu_time and os.path.exists(self.out):
            parts = open(self.out).read().split()
            try:  # the last line holds the figures ("Command exited with ..." may precede)
                e, u, s, m = parts[-4:]
                r.update(user=float(u), sys=float(s), cpu=float(u) + float(s),
                         rss_mb=int(m) / 1024)
            except ValueError:
                pass
        return r


def anon_file(r):
    """Peak anonymous / file-backed resident MiB of a run (memwatch.py), or – when
    not sampled (results of an older run, or not Linux)."""
    if "anon_mb" not in r:
        return "–"
    return f"{r['anon_mb']:.0f} / {r['file_mb']:.0f}"


def median_run(runs):
    """The run with the median wall time (its CPU and RSS go with it)."""
    good = [r for r in runs if "error" not in r] or runs
    good = sorted(good, key=lambda r: r["wall"])
    m = dict(good[(len(good) - 1) // 2])
    m["walls"] = [round(r["wall"], 4) for r in runs]
    return m


class Latency:
    """Whole-process latency samples: hyperfine when installed, else a Python loop."""

    def __init__(self, work, warmup):
        self.hyperfine = shutil.which("hyperfine")
        self.work, self.warmup = work, warmup
        self.by = "hyperfine" if self.hyperfine else "a Python loop"

    def times(self, cmd, runs, env=None, warmup=None):
        """`runs` wall times in seconds of `cmd` (argv list, or a bash string)."""
        shell = isinstance(cmd, str)
        warmup = self.warmup if warmup is None else warmup
        if self.hyperfine:
            out = os.path.join(self.work, "hyperfine.json")
            rmrf(out)
            hcmd = [self.hyperfine, "--style", "none", "-i", "--warmup", str(warmup),
                    "--runs", str(runs), "--export-json", out]
            hcmd += ["--shell", "bash", cmd] if shell else ["-N", shlex.join(cmd)]
            p = run(hcmd, env=env)
            if p.returncode == 0 and os.path.exists(out):
                return json.load(open(out))["results"][0]["times"]
            log(f"  hyperfine failed ({p.stderr.strip()[-200:]}); timing with Python")
            self.by = "a Python loop"
        times = []
        for i in range(warmup + runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, shell=shell, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, executable="/bin/bash" if shell else None)
            if i >= warmup:
                times.append(time.perf_counter() - t0)
        return times


# ---------------------------------------------------------------- tools

class Tool:
    key = ""
    incremental = False

    def __init__(self, ctx):
        self.ctx = ctx

    def version(self):
        return ""

    def prepare(self, size):
        """Called before each full index: a fresh, empty index."""

    def full(self, size):
        """(cmd, extra kwargs for Timer.measure) for a full index, or None."""
        return None

    def again(self, size):
        """The incremental re-index command, or None."""
        return None

    def index_path(self, size):
        return None

    def search(self, size, q):
        return None

    def inproc(self, size, queries):
        return None


class Briefs(Tool):
    key = "briefs"
    incremental = True

    def version(self):
        return run([self.ctx.briefs, "--version"]).stdout.strip()

    def index_path(self, size):
        return os.path.join(self.ctx.work, "idx", f"briefs-{size}")

    def prepare(self, size):
        rmrf(self.index_path(size))

    def full(self, size):
        cmd = [self.ctx.briefs, "index", "--index", self.index_path(size), self.ctx.corpus(size)]
        return cmd, {"ok": (0, 1), "logfile": os.path.join(self.ctx.work, "briefs-index.log")}

    again = full

    def search(self, size, q):
        return [self.ctx.briefs, "search", "--index", self.index_path(size), "--color", "never",
                "-n", "10", q]

    def inproc(self, size, queries):
        if not self.ctx.bench_exe:
            return None
        qfile = os.path.join(self.ctx.work, "queries-briefs.tsv")
        with open(qfile, "w", encoding="utf-8") as f:
            for label, q in queries:
                f.write(f"{label}\t{q}\n")
        out = os.path.join(self.ctx.work, f"inproc-briefs-{size}.jsonl")
        p = run([self.ctx.bench_exe, "--index", self.index_path(size), "--queries", qfile,
                 "--iters", str(self.ctx.args.inproc_iters), "--warmup", "5",
                 "--max-seconds", str(self.ctx.args.inproc_seconds), "--out", out])
        if p.returncode != 0:
            log(f"  in-process bench failed: {p.stderr.strip()[-300:]}")
            return None
        res = {}
        for line in open(out, encoding="utf-8"):
            d = json.loads(line)
            if "open_us" in d:
                res["open_us"] = d["open_us"]
            else:
                res[d["label"]] = d
        return res

    def stats(self, size):
        p = run([self.ctx.briefs, "stats", "--index", self.index_path(size), "--json"])
        try:
            return json.loads(p.stdout)
        except ValueError:
            return {}


TANTIVY_SCHEMA = [
    ("path", "raw", "basic"), ("kind", "raw", "basic"),
    ("headline", "en_stem", "position"), ("body", "en_stem", "position"),
]


class TantivyCli(Tool):
    key = "tantivy-cli"

    def __init__(self, ctx, exe):
        super().__init__(ctx)
        self.exe = exe

    def version(self):
        return run([self.exe, "--version"]).stdout.strip()

    def index_path(self, size):
        return os.path.join(self.ctx.work, "idx", f"tantivy-cli-{size}")

    def prepare(self, size):
        d = self.index_path(size)
        rmrf(d)
        os.makedirs(d)
        schema = [{"name": n, "type": "text", "options": {
            "indexing": {"record": rec, "fieldnorms": True, "tokenizer": tok},
            "stored": True, "fast": False}} for n, tok, rec in TANTIVY_SCHEMA]
        schema.append({"name": "line", "type": "u64", "options": {
            "indexed": False, "fieldnorms": False, "fast": False, "stored": True}})
        meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
                "segments": [], "schema": schema, "opstamp": 0}
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f)

    def full(self, size):
        t = self.ctx.threads
        # tantivy-cli hands `-m / -t` to Tantivy as the *whole* budget: give it
        # threads x 256 MB so its writer gets the 256 MB briefs uses.
        return [self.exe, "index", "-i", self.index_path(size), "-f", self.ctx.ndjson(size),
                "-t", str(t), "-m", str(256_000_000 * t)], {}

    def search(self, size, q):
        return [self.exe, "search", "-i", self.index_path(size), "-q", q]

    def inproc(self, size, queries):
        qfile = os.path.join(self.ctx.work, "queries-tantivy.txt")
        with open(qfile, "w", encoding="utf-8") as f:
            for _, q in queries:
                f.write(q + "\n")
        p = run([self.exe, "bench", "-i", self.index_path(size), "-q", qfile,
                 "-n", str(self.ctx.args.tcli_repeat)])
        if p.returncode != 0:
            log(f"  tantivy-cli bench failed: {p.stderr.strip()[-300:]}")
            return None
        by_query, fetch, section = {}, {}, None
        for line in p.stdout.splitlines():
            if line.startswith("SEARCH"):
                section = "search"
            elif line.startswith("FETCH STORE"):
                section = "fetch"
            parts = line.split("\t")
            if section == "search" and len(parts) == 3 and parts[2].isdigit():
                by_query.setdefault(parts[0], []).append(int(parts[2]))
            elif section == "fetch" and len(parts) == 2 and parts[1].isdigit():
                fetch.setdefault(parts[0], []).append(int(parts[1]))
        res = {}
        for label, q in queries:
            xs = sorted(by_query.get(q, []))
            if not xs:
                continue
            warm = xs  # every repeat; the first (cold) pass lands in the tail
            res[label] = {"p50_us": pct(warm, 0.5), "p99_us": pct(warm, 0.99),
                          "fetch_p50_us": pct(sorted(fetch.get(q, [0])), 0.5), "runs": len(xs)}
        return res


def pct(xs, q):
    if not xs:
        return 0
    k = max(1, min(len(xs), int(-(-q * len(xs) // 1))))
    return xs[k - 1]


class Xapian(Tool):
    key = "xapian"
    incremental = True

    def version(self):
        return run(["omindex", "--version"]).stdout.strip()

    def index_path(self, size):
        return os.path.join(self.ctx.work, "idx", f"xapian-{size}")

    def prepare(self, size):
        rmrf(self.index_path(size))

    def full(self, size):
        return ["omindex", "--db", self.index_path(size), "--url", "/", self.ctx.corpus(size)], {}

    again = full

    def search(self, size, q):
        flags = ["-f", "default,wildcard"] if q.endswith("*") else []
        return ["quest", "-d", self.index_path(size), "-m", "10"] + flags + [q]


class Recoll(Tool):
    key = "recoll"
    incremental = True

    def version(self):
        p = run(["dpkg-query", "-W", "-f", "${Version}", "recollcmd"])
        return ("recoll " + p.stdout.strip()) if p.returncode == 0 else "recoll"

    def conf(self, size):
        return os.path.join(self.ctx.work, "idx", f"recoll-{size}")

    def index_path(self, size):
        return os.path.join(self.conf(size), "xapiandb")

    def env(self, size):
        home = os.path.join(self.conf(size), "home")
        os.makedirs(home, exist_ok=True)
        return dict(os.environ, HOME=home, RECOLL_CONFDIR=self.conf(size))

    def prepare(self, size):
        conf = self.conf(size)
        rmrf(conf)
        os.makedirs(conf)
        with open(os.path.join(conf, "recoll.conf"), "w") as f:
            f.write(f"topdirs = {os.path.abspath(self.ctx.corpus(size))}\n"
                    "dbdir = xapiandb\nloglevel = 1\nidxflushmb = 50\n")

    def full(self, size):
        return ["recollindex", "-c", self.conf(size), "-z"], {"env": self.env(size)}

    def again(self, size):
        return ["recollindex", "-c", self.conf(size)], {"env": self.env(size)}

    def search(self, size, q):
        return ["recollq", "-c", self.conf(size), "-n", "10", q]

    def search_env(self, size):
        return self.env(size)


class Sqlite(Tool):
    key = "sqlite"

    def version(self):
        return "sqlite3 " + run(["sqlite3", "--version"]).stdout.split()[0]

    def index_path(self, size):
        return os.path.join(self.ctx.work, "idx", f"sqlite-{size}.db")

    def prepare(self, size):
        rmrf(self.index_path(size))

    def full(self, size):
        folder = os.path.abspath(self.ctx.corpus(size))
        sql = os.path.join(self.ctx.work, f"sqlite-load-{size}.sql")
        with open(sql, "w") as f:
            f.write(
                "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, headline, body,"
                " tokenize='porter unicode61');\n"
                "INSERT INTO docs(path, headline, body) SELECT name,"
                " substr(CAST(data AS TEXT), 1, instr(CAST(data AS TEXT), char(10)) - 1),"
                f" CAST(data AS TEXT) FROM fsdir('{folder}') WHERE name LIKE '%.txt';\n"
                "INSERT INTO docs(docs) VALUES('optimize');\n")
        return ["sqlite3", "-batch", self.index_path(size)], {"stdin": sql}

    def search(self, size, q):
        qq = q.replace("'", "''")
        sql = ("SELECT path, snippet(docs, 2, '[', ']', '…', 12) FROM docs WHERE docs MATCH "
               f"'{qq}' ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT 10;")
        return ["sqlite3", "-batch", self.index_path(size), sql]


class Ripgrep(Tool):
    key = "ripgrep"

    def version(self):
        return run(["rg", "--version"]).stdout.splitlines()[0]

    def search(self, size, q):
        folder = self.ctx.corpus(size)
        if size >= JSONL_FROM:
            # `-l` would stop at the first match of each of the 100 files: count
            # the matching lines (briefs) instead, which reads everything.
            if isinstance(q, str):
                q = ["-w", "oil"]  # AND over lines needs a pipeline per line; one word
            return ["rg", "-c", "-i"] + q + [folder]
        if isinstance(q, str):
            return q.format(dir=shlex.quote(folder))
        return ["rg", "-l", "-i"] + q + [folder]


# ---------------------------------------------------------------- the run

class Context:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work)
        self.corpora = os.path.join(self.work, "corpora")
        self.threads = max(1, min(os.cpu_count() or 1, 4))
        self.briefs = os.path.join(REPO, "target", "release", "briefs")
        self.bench_exe = None

    def corpus(self, size):
        name = f"briefs-{size}" if size < JSONL_FROM else f"briefs-{size}-jsonl"
        return os.path.join(self.corpora, name)

    def ndjson(self, size):
        return self.corpus(size) + ".ndjson"


def build(ctx):
    locked = ["--locked"] if os.path.exists(os.path.join(REPO, "Cargo.lock")) else []
    log("building briefs (cargo build --release) and the in-process bench …")
    p = subprocess.run(["cargo", "build", "--release", "--quiet"] + locked, cwd=REPO)
    if p.returncode != 0:
        sys.exit("run.py: cargo build --release failed")
    p = run(["cargo", "bench", "--bench", "search", "--no-run", "--message-format=json", "--quiet"]
            + locked, cwd=REPO)
    for line in p.stdout.splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get("reason") == "compiler-artifact" and d.get("target", {}).get("name") == "search" \
                and d.get("executable"):
            ctx.bench_exe = d["executable"]
    # Copies, so that a rebuild in the work tree during a long run changes nothing here.
    bindir = os.path.join(ctx.work, "bin")
    os.makedirs(bindir, exist_ok=True)
    shutil.copy2(ctx.briefs, os.path.join(bindir, "briefs"))
    ctx.briefs = os.path.join(bindir, "briefs")
    if ctx.bench_exe:
        shutil.copy2(ctx.bench_exe, os.path.join(bindir, "search-bench"))
        ctx.bench_exe = os.path.join(bindir, "search-bench")
    if not ctx.bench_exe:
        log("in-process bench: not built (cargo bench --bench search --no-run failed); skipped\n"
            + p.stderr[-500:])


def apt_install(pkgs, state):
    if not pkgs:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log(f"cannot install {' '.join(pkgs)}: needs apt-get as root")
        return
    if not state.get("updated"):
        log("apt-get update …")
        run(["apt-get", "update", "-qq"])
        state["updated"] = True
    log(f"apt-get install {' '.join(pkgs)} …")
    p = run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + pkgs,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if p.returncode != 0:
        log(f"apt-get install failed: {p.stderr.strip()[-300:]}")


def find_tools(ctx, wanted, install):
    """The peers to run, installing missing ones when asked; prints what is skipped."""
    state, skipped = {}, {}
    need = {"tantivy-cli": [], "xapian": ["omindex", "quest"], "recoll": ["recollindex", "recollq"],
            "sqlite": ["sqlite3"], "ripgrep": ["rg"]}
    missing_pkgs = sorted({APT[c] for p in wanted for c in need[p] if not shutil.which(c)}
                          | ({"hyperfine"} if not shutil.which("hyperfine") else set()))
    if install:
        apt_install(missing_pkgs, state)
    tools = [Briefs(ctx)]
    tcli_root = os.path.join(ctx.args.tools, "tantivy-cli")
    for peer in wanted:
        if peer == "tantivy-cli":
            exe = which("tantivy", [os.path.join(tcli_root, "bin")])
            if not exe and install:
                log("cargo install tantivy-cli (about 3 min on 2 cores; not --locked, "
                    "its lockfile fails on current Rust) …")
                p = run(["cargo", "install", "--quiet", "tantivy-cli", "--root", tcli_root])
                if p.returncode != 0:
                    log(f"cargo install tantivy-cli failed: {p.stderr.strip()[-300:]}")
                exe = which("tantivy", [os.path.join(tcli_root, "bin")])
            if exe:
                tools.append(TantivyCli(ctx, exe))
            else:
                skipped[peer] = "tantivy-cli not installed (`cargo install tantivy-cli`, or --install)"
            continue
        missing = [c for c in need[peer] if not shutil.which(c)]
        if peer == "sqlite" and not missing:
            p = run(["sqlite3", ":memory:", "CREATE VIRTUAL TABLE t USING fts5(x);"])
            if p.returncode != 0:
                skipped[peer] = "sqlite3 has no FTS5"
                continue
        if missing:
            pkgs = sorted({APT[c] for c in missing})
            skipped[peer] = f"{', '.join(missing)} not installed (apt-get install {' '.join(pkgs)})"
            continue
        tools.append({"xapian": Xapian, "recoll": Recoll, "sqlite": Sqlite,
                      "ripgrep": Ripgrep}[peer](ctx))
    for peer, why in skipped.items():
        log(f"SKIP {PEER_NAMES[peer]}: {why}")
    return tools, skipped


def make_corpus(ctx, size):
    fmt = "txt" if size < JSONL_FROM else "jsonl"
    p = subprocess.run([sys.executable, GEN, "make", "--data", ctx.args.data, "--out", ctx.corpora,
                        "--briefs", str(size), "--format", fmt, "--seed", str(ctx.args.seed)])
    if p.returncode != 0:
        sys.exit(f"run.py: corpus generation failed for {size}")
    files = 0
    for _, _, fns in os.walk(ctx.corpus(size)):
        files += len(fns)
    return {"briefs": size, "format": fmt, "files": files, "bytes": du(ctx.corpus(size)),
            "ndjson_bytes": du(ctx.ndjson(size)),
            "ndjson_docs": sum(1 for _ in open(ctx.ndjson(size), "rb"))}


def supports(tool, size):
    """Which tools make sense on this corpus (Recoll, omindex and SQLite's fsdir load
    index files, not the briefs inside JSON Lines)."""
    if size >= JSONL_FROM and tool.key in ("xapian", "recoll", "sqlite"):
        return False
    return True


def bench_size(ctx, tools, size):
    args = ctx.args
    log(f"\n=== {size:,} briefs")
    res = {"size": size, "date": now_iso(), "commit": ctx.commit}
    res["corpus"] = make_corpus(ctx, size)
    tools = [t for t in tools if supports(t, size)]
    res["tools"] = [t.key for t in tools]
    res["rg_mode"] = "-c" if size >= JSONL_FROM else "-l"
    timer = Timer(ctx.work)
    os.makedirs(os.path.join(ctx.work, "idx"), exist_ok=True)
    reps = args.index_runs if args.index_runs else (3 if size <= 20000 else 1)
    # Full indexing, the tools one after another, `reps` rounds.
    runs = {t.key: [] for t in tools}
    for rep in range(reps):
        for t in tools:
            spec = t.full(size)
            if not spec:
                continue
            t.prepare(size)
            cmd, kw = spec
            r = timer.measure(cmd, memory=True, **kw)
            r["size_bytes"] = du(t.index_path(size))
            runs[t.key].append(r)
            log(f"  index   {t.key:12s} {r['wall']:8.2f} s  cpu {r.get('cpu', 0):7.2f} s  "
                f"rss {r.get('rss_mb', 0):7.1f} MiB (anon {r.get('anon_mb', 0):.1f}, "
                f"file {r.get('file_mb', 0):.1f})  {r['size_bytes'] / 2**20:7.1f} MiB on disk"
                + (f"  ERROR {r['error']}" if "error" in r else ""))
    res["index"] = {k: median_run(v) for k, v in runs.items() if v}
    briefs = tools[0]
    res["stats"] = briefs.stats(size)

    # Re-index, nothing changed.
    res["unchanged"] = {}
    for t in tools:
        if not t.incremental:
            continue
        cmd, kw = t.again(size)
        rs = [timer.measure(cmd, **kw) for _ in range(3 if size <= 200000 else 1)]
        res["unchanged"][t.key] = median_run(rs)
        log(f"  again   {t.key:12s} {res['unchanged'][t.key]['wall']:8.2f} s (unchanged)")

    # Whole-process query latency, before any change: per query, the tools take
    # turns one run at a time (briefs, quest, briefs, quest, ...), so that load
    # drifting on a shared machine hits all tools alike; each tool's first run
    # of a query is preceded by one warm-up run. The median is over all runs.
    lat = Latency(ctx.work, 1)
    total = args.runs if args.runs else (10 if size <= 20000 else 5)
    samples = {}
    for label, _, spell in QUERIES:
        for turn in range(total):
            for t in tools:
                q = spell.get(t.key)
                cmd = t.search(size, q) if q is not None else None
                if cmd is None:
                    continue
                env = t.search_env(size) if hasattr(t, "search_env") else None
                samples.setdefault(label, {}).setdefault(t.key, []).extend(
                    lat.times(cmd, 1, env=env, warmup=1 if turn == 0 else 0))
    res["queries"] = {}
    for label, _, _ in QUERIES:
        row = {k: {"median_ms": statistics.median(v) * 1000, "runs": len(v), "by": lat.by,
                   "min_ms": min(v) * 1000}
               for k, v in samples.get(label, {}).items()}
        res["queries"][label] = row
        log(f"  query   {label:8s} " + "  ".join(f"{k} {v['median_ms']:.1f}" for k, v in row.items())
            + " ms")

    # Where one whole-process briefs search spends its time: the phases
    # BRIEFS_TRACE=1 prints (median over the runs), and what is left of the
    # whole-process median outside them (starting the process, loading
    # libraries, exiting).
    res["phases"] = {}
    for label, _, spell in QUERIES:
        q = spell.get("briefs")
        if q is None or label not in res["queries"] or "briefs" not in res["queries"][label]:
            continue
        phases = trace_phases(tools[0].search(size, q), total)
        if phases:
            traced = sum(phases.values())
            phases["outside main"] = max(0.0, res["queries"][label]["briefs"]["median_ms"] - traced)
            res["phases"][label] = phases

    # In-process p50/p99.
    res["inproc"] = {}
    for t in tools:
        qs = [(label, spell[t.key]) for label, _, spell in QUERIES
              if isinstance(spell.get(t.key), str)]
        r = t.inproc(size, qs)
        if r:
            res["inproc"][t.key] = r
            log(f"  inproc  {t.key:12s} " + "  ".join(
                f"{label} {r[label]['p50_us'] / 1000:.2f}/{r[label]['p99_us'] / 1000:.2f}"
                for label, _ in qs if label in r) + " ms (p50/p99)")

    # 1% of the files changed (content and mtime), then restored.
    backup = os.path.join(ctx.work, f"backup-{size}")
    folder = ctx.corpus(size)
    p = run([sys.executable, GEN, "mutate", "--folder", folder, "--backup", backup,
             "--fraction", "0.01", "--seed", str(args.seed)])
    res["changed_files"] = p.stderr.strip()
    res["changed"] = {}
    try:
        for t in tools:
            if not t.incremental:
                continue
            cmd, kw = t.again(size)
            r = timer.measure(cmd, **kw)
            res["changed"][t.key] = median_run([r])
            log(f"  changed {t.key:12s} {r['wall']:8.2f} s ({res['changed_files']})")
    finally:
        run([sys.executable, GEN, "restore", "--folder", folder, "--backup", backup])
    if not args.keep_indexes:
        for t in tools:
            if t.key == "recoll":
                rmrf(t.conf(size))
            elif t.index_path(size):
                rmrf(t.index_path(size))
    return res


TRACE_LINE = re.compile(r"^briefs: trace: (.+?) +([0-9.]+) ms \(at ")


def trace_phases(cmd, runs):
    """Median ms of each phase `BRIEFS_TRACE=1` prints for `cmd`, over `runs` runs
    (one warm-up run first), in the order printed."""
    env = dict(os.environ, BRIEFS_TRACE="1")
    found = {}
    for i in range(runs + 1):
        p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if i == 0:
            continue
        for line in p.stderr.splitlines():
            m = TRACE_LINE.match(line)
            if m:
                found.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in found.items()}


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def machine():
    cpu = platform.processor() or ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = run(["free", "-g"]).stdout.splitlines()
    mem_total = mem[1].split()[1] + " GiB" if len(mem) > 1 else "?"
    return {"nproc": os.cpu_count(), "mem": mem_total, "cpu": cpu,
            "os": platform.platform(), "free_g": "\n".join(mem)}


def commit_id():
    p = run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO)
    if p.returncode != 0:
        return "unknown"
    dirty = run(["git", "status", "--porcelain", "--", "src", "Cargo.lock"], cwd=REPO)
    return p.stdout.strip() + (" (+ uncommitted changes in src/)" if dirty.stdout.strip() else "")


# ---------------------------------------------------------------- the report

def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def ratio(a, b):
    if not a or not b:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×" if r < 100 else f"{r:.0f}×"


# Sections of RESULTS.md below this line are written by hand (measurements
# run.py does not make, such as the query-budget figures of issue 12); a
# regenerated report keeps them.
KEPT_MARKER = "<!-- Sections below are written by hand; run.py keeps them. -->"


def write_report(out, report):
    """Writes `report` to `out`, keeping what followed KEPT_MARKER there."""
    kept = ""
    if os.path.isfile(out):
        old = open(out, encoding="utf-8").read()
        at = old.find(KEPT_MARKER)
        if at >= 0:
            kept = "\n" + old[at:]
    with open(out, "w", encoding="utf-8") as f:
        f.write(report + kept)


def render(results, meta, skipped):
    out = []
    w = out.append
    w("# briefs benchmark results\n")
    w("Generated by `tests/benchmarks/run.sh` (see [README](README.md)); do not edit by hand.\n")
    w(f"- **Date**: {meta['date']}  ")
    w(f"- **Machine**: {meta['machine']['nproc']} cores (`nproc`), {meta['machine']['mem']} "
      f"memory (`free -g` total), CPU `{meta['machine']['cpu']}`, {meta['machine']['os']}; "
      "shared and noisy: read the ratios (tools run back to back), not the absolute times.  ")
    runs = {}
    for size in sorted(results):
        m = results[size].get("meta", meta)
        runs.setdefault((m["command"], m["commit"], m["date"]), []).append(f"{size:,}")
    if len(runs) == 1:
        (command, commit, _), = runs
        w(f"- **Commit**: `{commit}`  ")
        w(f"- **Command**: `{command}`  ")
    else:
        w("- **Runs** (sizes measured by separate runs, each at the commit shown; the "
          "project changed in between, so compare tools within a size, not briefs across "
          "sizes):  ")
        for (command, commit, date), sizes in runs.items():
            w(f"  - {', '.join(sizes)}: `{command}` at `{commit}`, {date}  ")
    versions = {}
    for size in sorted(results):
        versions.update(results[size].get("meta", meta)["versions"])
    versions.update(meta["versions"])
    w("- **Versions**: " + "; ".join(f"{k}: {v}" for k, v in versions.items()) + "  ")
    if skipped:
        w("- **Skipped**: " + "; ".join(f"{PEER_NAMES[k]}: {v}" for k, v in skipped.items()))
    w("")
    w("Ratios are **briefs / peer** (below 1×: briefs is faster or smaller). briefs and "
      f"tantivy-cli index with {meta['threads']} threads and a 256 MB writer budget. Corpora are "
      "generated from `../shared/data` (real Reuters headlines, real BBC and Reuters-21578 "
      "sentences) by `gen_corpus.py`; tantivy-cli indexes the equivalent NDJSON (one article "
      "document per brief plus one per bullet, the peers' schema), the other peers the folder "
      "(one document per file).\n")

    sizes = sorted(results)
    w("## Targets (issue 5)\n")
    w("| target | measured | met? |")
    w("| --- | --- | --- |")
    for row in targets(results):
        w("| " + " | ".join(row) + " |")
    w("")

    w("## How briefs grows with the corpus\n")
    w("| briefs | files | text MB | index s | CPU s | peak RSS MiB | peak anon / file MiB "
      "| index MiB | re-index unchanged s "
      "| 1% changed s | whole-process query ms (median of shapes) | in-process p50 / p99 ms (worst shape) |")
    w("| " + " | ".join(["---"] * 12) + " |")
    for s in sizes:
        r = results[s]
        b = r["index"].get("briefs", {})
        q = [v["briefs"]["median_ms"] for v in r["queries"].values() if "briefs" in v]
        ip = r.get("inproc", {}).get("briefs", {})
        p50 = max((v["p50_us"] for k, v in ip.items() if isinstance(v, dict)), default=None)
        p99 = max((v["p99_us"] for k, v in ip.items() if isinstance(v, dict)), default=None)
        w(f"| {s:,} | {r['corpus']['files']:,}"
          f"{' JSONL' if r['corpus']['format'] == 'jsonl' else ''} | {r['corpus']['bytes'] / 1e6:.1f} | "
          f"{fmt_s(b.get('wall'))} | {fmt_s(b.get('cpu'))} | {b.get('rss_mb', 0):.0f} | "
          f"{anon_file(b)} | "
          f"{b.get('size_bytes', 0) / 2**20:.1f} | {fmt_s(r['unchanged'].get('briefs', {}).get('wall'))} | "
          f"{fmt_s(r['changed'].get('briefs', {}).get('wall'))} | "
          f"{statistics.median(q):.1f} | "
          + (f"{p50 / 1000:.2f} / {p99 / 1000:.2f}" if p50 is not None else "–") + " |")
    w("")

    for s in sizes:
        r = results[s]
        c = r["corpus"]
        w(f"## {s:,} briefs\n")
        w(f"Measured {r['date']}, commit `{r['commit']}`. Corpus: {c['files']:,} {c['format']} files, "
          f"{c['bytes'] / 1e6:.1f} MB; NDJSON for tantivy-cli: {c['ndjson_docs']:,} documents, "
          f"{c['ndjson_bytes'] / 1e6:.1f} MB. briefs holds "
          f"{r['stats'].get('briefs', '?'):,} briefs, {r['stats'].get('points', 0):,} points, "
          f"{r['stats'].get('summaries', 0):,} summaries in {r['stats'].get('segments', '?')} "
          "segments.\n")
        w("**Full indexing** (fresh index; median wall of the runs shown)\n")
        w("| tool | wall s | CPU s (user+sys) | peak RSS MiB | peak anon / file MiB | index MiB "
          "| wall briefs/peer | RSS briefs/peer | runs (wall s) |")
        w("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        bi = r["index"].get("briefs", {})
        for k, v in r["index"].items():
            w(f"| {PEER_NAMES[k]} | {fmt_s(v['wall'])} | {fmt_s(v.get('cpu'))} | "
              f"{v.get('rss_mb', 0):.0f} | {anon_file(v)} | {v['size_bytes'] / 2**20:.1f} | "
              f"{'' if k == 'briefs' else ratio(bi.get('wall'), v['wall'])} | "
              f"{'' if k == 'briefs' else ratio(bi.get('rss_mb'), v.get('rss_mb'))} | "
              f"{', '.join(fmt_s(x) for x in v['walls'])}"
              + (" (error)" if "error" in v else "") + " |")
        w("")
        w(f"**Re-indexing** (unchanged: median of 3; changed: {r.get('changed_files', '')}, "
          "each edited and touched). tantivy-cli and SQLite have no incremental update "
          "(tantivy-cli appends duplicates), so for them it means a full index.\n")
        w("| tool | unchanged s | CPU s | peak RSS MiB | briefs/peer | 1% changed s | CPU s | briefs/peer |")
        w("| --- | --- | --- | --- | --- | --- | --- | --- |")
        bu = r["unchanged"].get("briefs", {})
        bc = r["changed"].get("briefs", {})
        for k in r["unchanged"]:
            u, ch = r["unchanged"][k], r["changed"].get(k, {})
            w(f"| {PEER_NAMES[k]} | {fmt_s(u['wall'])} | {fmt_s(u.get('cpu'))} | "
              f"{u.get('rss_mb', 0):.0f} | {'' if k == 'briefs' else ratio(bu.get('wall'), u['wall'])} | "
              f"{fmt_s(ch.get('wall'))} | {fmt_s(ch.get('cpu'))} | "
              f"{'' if k == 'briefs' else ratio(bc.get('wall'), ch.get('wall'))} |")
        w("")
        tools = [k for k in r["tools"] if any(k in row for row in r["queries"].values())]
        w("**Query latency, whole process** (start, open, search, print the top 10; median ms of "
          f"{next(iter(next(iter(r['queries'].values())).values()))['runs']} runs, the tools "
          f"taking turns one run at a time, by {next(iter(next(iter(r['queries'].values())).values()))['by']}; "
          "in brackets briefs/peer). tantivy-cli `search` prints every match, unranked; rg lists "
          "every matching file; `–`: the tool has no such query."
          + rg_note(r) + "\n")
        w("| query | " + " | ".join(PEER_NAMES[k] for k in tools) + " |")
        w("| --- | " + " | ".join("---" for _ in tools) + " |")
        for label, desc, _ in QUERIES:
            row = r["queries"].get(label, {})
            b = row.get("briefs", {}).get("median_ms")
            cells = []
            for k in tools:
                v = row.get(k, {}).get("median_ms")
                if v is None:
                    cells.append("–")
                elif k == "briefs":
                    cells.append(f"{v:.1f}")
                else:
                    cells.append(f"{v:.1f} ({ratio(b, v)})")
            w(f"| {desc} | " + " | ".join(cells) + " |")
        w("")
        phases = r.get("phases", {})
        if phases:
            names = []
            for row in phases.values():
                names += [k for k in row if k not in names and k not in ("start", "outside main")]
            w("**Where a whole-process briefs search spends its time** (ms, median of the runs "
              "above with `BRIEFS_TRACE=1`, each phase timed from the end of the one before; "
              "`outside main`: the whole-process median less the phases, i.e. starting the "
              "process, loading libraries and exiting).\n")
            w("| query | outside main | " + " | ".join(names) + " |")
            w("| --- | --- | " + " | ".join("---" for _ in names) + " |")
            for label, desc, _ in QUERIES:
                row = phases.get(label)
                if row:
                    w(f"| {desc} | {row.get('outside main', 0):.2f} | "
                      + " | ".join(f"{row[k]:.2f}" if k in row else "–" for k in names) + " |")
            w("")
        ip = r.get("inproc", {})
        if ip:
            bi = ip.get("briefs", {})
            tc = ip.get("tantivy-cli", {})
            w("**Query latency, in process** (warm reader; µs). briefs: `search.rs`, the library's "
              "`search()` with highlights and near-duplicate folding, top 10, with the default text "
              "output's options (copies folded into a hit counted); `--json` p50 / p99: with "
              "`--json`'s, which read every folded copy's id"
              + (f"; opening the index and reader took {bi['open_us'] / 1000:.1f} ms" if "open_us" in bi else "")
              + ". tantivy-cli: `tantivy bench` (TopDocs(10) + Count over all indexed fields, no "
              "documents fetched; its fetch of 10 stored docs shown apart).\n")
            w("| query | briefs p50 | briefs p99 | --json p50 / p99 | runs | tantivy-cli p50 | "
              "tantivy-cli p99 | + fetch 10 docs p50 | p50 briefs/peer |")
            w("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for label, desc, _ in QUERIES:
                b, t = bi.get(label), tc.get(label)
                if not b and not t:
                    continue
                json_cell = (f"{b['json_p50_us']:.0f} / {b['json_p99_us']:.0f}"
                             if b and "json_p50_us" in b else "–")
                w(f"| {desc} | {b['p50_us']:.0f} | {b['p99_us']:.0f} | {json_cell} | {b['runs']} | "
                  if b else f"| {desc} | – | – | – | – | ")
                out[-1] += (f"{t['p50_us']} | {t['p99_us']} | {t['fetch_p50_us']} | "
                            f"{ratio(b['p50_us'] if b else None, t['p50_us'])} |"
                            if t else "– | – | – | – |")
            w("")
    return "\n".join(out) + "\n"


def rg_note(r):
    if r["corpus"]["format"] != "jsonl" or "ripgrep" not in r["tools"]:
        return ""
    if r.get("rg_mode") == "-c":
        return (" On JSON Lines rg counts matching lines (`-c`, a full scan); its AND row is "
                "`oil` alone (no per-line AND without a pipeline).")
    return (" **On JSON Lines this run used `rg -l`, which stops at the first match in each of "
            "the 100 files: those rg figures are not comparable** (except the field row, "
            "whose regex rarely matches early).")


def rg_comparable(r):
    return r["corpus"]["format"] != "jsonl" or r.get("rg_mode") == "-c"


def targets(results):
    rows = []

    def met(ok):
        return "**yes**" if ok else "**no**"

    for s in (20000, 200000):
        r = results.get(s)
        if not r:
            rows.append([f"Full index {s:,}: no slower than tantivy-cli; ≥5× faster than omindex "
                         "and Recoll", "not measured", "–"])
            continue
        idx = r["index"]
        b = idx.get("briefs", {}).get("wall")
        parts, oks = [], []
        if "tantivy-cli" in idx:
            t = idx["tantivy-cli"]["wall"]
            parts.append(f"briefs {fmt_s(b)} s vs tantivy-cli {fmt_s(t)} s ({ratio(b, t)})")
            oks.append(b <= t)
        for k, name in (("xapian", "omindex"), ("recoll", "Recoll")):
            if k in idx:
                v = idx[k]["wall"]
                parts.append(f"{name} {fmt_s(v)} s ({v / b:.1f}× briefs' time)")
                oks.append(v / b >= 5)
        rows.append([f"Full index {s:,}: no slower than tantivy-cli; ≥5× faster than omindex and "
                     "Recoll", "; ".join(parts) or "peers not run",
                     met(all(oks)) if oks else "–"])
    big = max(results) if results else None
    r = results.get(200000)
    if r and "briefs" in r["unchanged"]:
        b = r["unchanged"]["briefs"]["wall"]
        rc = r["unchanged"].get("recoll", {}).get("wall")
        rows.append(["Re-index unchanged 200,000 files: < 1 s and faster than recollindex",
                     f"briefs {fmt_s(b)} s; recollindex {fmt_s(rc)} s",
                     met(b < 1 and (rc is None or b < rc))])
    else:
        rows.append(["Re-index unchanged 200,000 files: < 1 s and faster than recollindex",
                     "not measured at 200,000" + (
                         f" (at {big:,}: briefs {fmt_s(results[big]['unchanged'].get('briefs', {}).get('wall'))} s, "
                         f"recollindex {fmt_s(results[big]['unchanged'].get('recoll', {}).get('wall'))} s)"
                         if big else ""), "–"])
    for s in sorted(results):
        r = results[s]
        if s != 200000 and s != big:
            continue
        qs = r["queries"]
        vs_quest = [(label, row["briefs"]["median_ms"], row["xapian"]["median_ms"])
                    for label, row in qs.items() if "briefs" in row and "xapian" in row]
        vs_rg = [(label, row["briefs"]["median_ms"], row["ripgrep"]["median_ms"])
                 for label, row in qs.items() if "briefs" in row and "ripgrep" in row
                 and rg_comparable(r)]
        if vs_quest:
            worst = max(vs_quest, key=lambda x: x[1] / x[2])
            rows.append([f"Top-10 whole process ({s:,}): no slower than quest",
                         f"briefs/quest {ratio(worst[1], worst[2])} at worst ({worst[0]}: "
                         f"{worst[1]:.1f} vs {worst[2]:.1f} ms); best "
                         f"{ratio(*min(((b, q) for _, b, q in vs_quest), key=lambda x: x[0] / x[1]))}",
                         met(all(b <= q for _, b, q in vs_quest))])
        if vs_rg:
            worst = min(vs_rg, key=lambda x: x[2] / x[1])
            rows.append([f"Top-10 whole process ({s:,}): ≥20× faster than rg (target at 200,000)",
                         f"rg/briefs {worst[2] / worst[1]:.1f}× at worst ({worst[0]}: "
                         f"{worst[1]:.1f} vs {worst[2]:.1f} ms)",
                         met(all(q / b >= 20 for _, b, q in vs_rg)) if s == 200000 else "–"])
    if big:
        ip = results[big].get("inproc", {}).get("briefs", {})
        worst = max(((k, v) for k, v in ip.items() if isinstance(v, dict)),
                    key=lambda kv: kv[1]["p99_us"], default=None)
        if worst:
            rows.append(["In-process p99 < 10 ms, every shape, at 1,000,000",
                         f"at {big:,}: worst p99 {worst[1]['p99_us'] / 1000:.2f} ms ({worst[0]})"
                         + ("" if big >= 1000000 else "; 1,000,000 not measured"),
                         met(worst[1]["p99_us"] < 10000) if big >= 1000000 else "–"])
    rss = [(s, results[s]["index"]["briefs"].get("rss_mb")) for s in sorted(results)
           if "briefs" in results[s]["index"]]
    if rss:
        rows.append(["Peak indexing memory flat beyond the 256 MB writer budget (20,000 and 1,000,000)",
                     ", ".join(f"{s:,}: {m:.0f} MiB" for s, m in rss),
                     met(all(m < 256 + 150 for _, m in rss)) + " (bound used: budget + 150 MiB)" + (
                         "" if 1000000 in results else " (1,000,000 not measured)")])
    anon = [(s, results[s]["index"]["briefs"]["anon_mb"]) for s in sorted(results)
            if "anon_mb" in results[s]["index"].get("briefs", {})]
    if anon:
        rows.append(["Peak anonymous indexing memory (heap, not mapped index files) ≤ 400 MiB "
                     "(256 MB budget + a fixed margin) at every size (issue 16)",
                     ", ".join(f"{s:,}: {m:.0f} MiB" for s, m in anon),
                     met(all(m <= 400 for _, m in anon)) + (
                         "" if 1000000 in dict(anon) else " (1,000,000 not measured)")])
    rows.append(["Growth 2,000 → 1,000,000 in the table",
                 "sizes measured: " + ", ".join(f"{s:,}" for s in sorted(results)),
                 met(1000000 in results and 2000 in results)])
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="2,000 briefs, no installs (CI)")
    mode.add_argument("--full", action="store_true", help="every size (default)")
    p.add_argument("--sizes", help="comma-separated brief counts, e.g. 2000,20000")
    p.add_argument("--peers", default=",".join(PEERS), help=f"subset of {','.join(PEERS)}, or none")
    inst = p.add_mutually_exclusive_group()
    inst.add_argument("--install", dest="install", action="store_true", default=None,
                      help="install missing peers (default in --full)")
    inst.add_argument("--no-install", dest="install", action="store_false")
    p.add_argument("--work", default=os.environ.get("BRIEFS_BENCH_WORK", "/tmp/briefs-bench"),
                   help="corpora, indexes and raw results go here (default /tmp/briefs-bench)")
    p.add_argument("--tools", help="where cargo-installed peers go (default WORK/tools)")
    p.add_argument("--data", help="the real data (default $BRIEFS_SHARED_DIR/data or ../shared/data)")
    p.add_argument("--out", help="the Markdown report (default tests/benchmarks/RESULTS.md in --full, "
                                 "WORK/RESULTS-quick.md in --quick)")
    p.add_argument("--runs", type=int, help="whole-process runs per query (default 10; 5 above 20,000)")
    p.add_argument("--index-runs", type=int, help="full-index runs per tool (default 3 up to 20,000, else 1)")
    p.add_argument("--inproc-iters", type=int, default=None)
    p.add_argument("--inproc-seconds", type=float, default=None)
    p.add_argument("--tcli-repeat", type=int, default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep-indexes", action="store_true")
    p.add_argument("--report-only", action="store_true",
                   help="write the report from the results kept in WORK/results, run nothing")
    p.add_argument("--merge", action="store_true",
                   help="also report sizes measured by earlier runs (kept in WORK/results)")
    args = p.parse_args()
    quick = args.quick
    if args.sizes:
        sizes = [int(x.replace(",", "").replace("_", "")) for x in args.sizes.split(",") if x]
    else:
        sizes = [2000] if quick else ALL_SIZES
    if args.install is None:
        args.install = not quick
    if args.inproc_iters is None:
        args.inproc_iters = 50 if quick else 300
    if args.inproc_seconds is None:
        args.inproc_seconds = 2.0 if quick else 8.0
    if args.tcli_repeat is None:
        args.tcli_repeat = 20 if quick else 100
    if args.runs is None and quick:
        args.runs = 5
    args.tools = args.tools or os.path.join(args.work, "tools")
    shared = os.environ.get("BRIEFS_SHARED_DIR", os.path.join(REPO, "..", "shared"))
    args.data = os.path.abspath(args.data or os.path.join(shared, "data"))
    if not os.path.isfile(os.path.join(args.data, "bbc", "briefs.jsonl")):
        log(f"run.py: no real data at {args.data}; benchmarks skipped")
        return 0
    out = args.out or (os.path.join(args.work, "RESULTS-quick.md") if quick
                       else os.path.join(HERE, "RESULTS.md"))
    os.makedirs(args.work, exist_ok=True)
    started = time.time()

    resdir = os.path.join(args.work, "results")
    if args.report_only:
        results = {}
        for fn in sorted(os.listdir(resdir)):
            m = re.fullmatch(r"(\d+)\.json", fn)
            if m:
                results[int(m.group(1))] = json.load(open(os.path.join(resdir, fn)))
        if not results:
            sys.exit(f"run.py: no results in {resdir}")
        last = results[max(results, key=lambda k: results[k]["date"])]
        report = render(results, last["meta"], last.get("skipped", {}))
        write_report(out, report)
        log(f"report: {out}")
        return 0

    ctx = Context(args)
    ctx.commit = commit_id()
    build(ctx)
    wanted = [x for x in args.peers.split(",") if x in PEERS]
    tools, skipped = find_tools(ctx, wanted, args.install)
    meta = {"date": now_iso(), "machine": machine(), "commit": ctx.commit,
            "command": "tests/benchmarks/run.sh " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
            "versions": {t.key: t.version() for t in tools}, "threads": ctx.threads}
    if shutil.which("hyperfine"):
        meta["versions"]["hyperfine"] = run(["hyperfine", "--version"]).stdout.strip()
    log(f"machine: {meta['machine']['nproc']} cores, {meta['machine']['mem']}, "
        f"{meta['machine']['cpu']}; commit {ctx.commit}")
    log("tools: " + "; ".join(f"{k}: {v}" for k, v in meta["versions"].items()))

    os.makedirs(resdir, exist_ok=True)
    results = {}
    for size in sizes:
        r = bench_size(ctx, tools, size)
        r["meta"] = meta
        r["skipped"] = skipped
        results[size] = r
        with open(os.path.join(resdir, f"{'quick-' if quick else ''}{size}.json"), "w") as f:
            json.dump(r, f, indent=1)
    if args.merge:
        for fn in os.listdir(resdir):
            m = re.fullmatch(r"(\d+)\.json", fn)
            if m and int(m.group(1)) not in results:
                results[int(m.group(1))] = json.load(open(os.path.join(resdir, fn)))
    report = render(results, meta, skipped)
    write_report(out, report)
    print(report)
    log(f"report: {out} ({time.time() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

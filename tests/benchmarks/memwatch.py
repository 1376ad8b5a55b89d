#!/usr/bin/env python3
"""Peak anonymous and file-backed memory of one process, sampled.

    memwatch.py [--every-ms 25] [--json] -- COMMAND [ARGS...]

Peak RSS (`/usr/bin/time`'s maximum resident set size) mixes two kinds of
pages: anonymous ones (heap, stacks: what the process itself holds) and
file-backed ones (an index's mmapped segment files, which the kernel can drop
and read again at will). This runs COMMAND and samples its
`/proc/PID/status` every `--every-ms` milliseconds (Linux only): `RssAnon`,
`RssFile` and `RssShmem`, reporting the peak of each over the samples, with
`VmHWM` (the kernel's own peak of their sum) and the sample count. A peak
shorter than the interval can be missed: the figures are a lower bound.

Printed on stderr when the command ends (or as JSON on stdout with --json);
the exit status is the command's. run.py imports `sample_peaks` to measure
`briefs index` this way.
"""
import argparse
import json
import os
import subprocess
import sys
import time

FIELDS = ("RssAnon", "RssFile", "RssShmem", "VmHWM", "VmRSS")


def read_status(pid):
    """The memory lines of /proc/PID/status, in KiB; None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in FIELDS:
            parts = rest.split()
            if parts:
                out[key] = int(parts[0])
    return out


def children(pid):
    """Direct children of PID (from /proc/PID/task/*/children)."""
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def sample_peaks(proc, every_ms=25, follow_child=False):
    """Samples the running Popen `proc` (or, with follow_child, its first child,
    as when it is /usr/bin/time) until it exits. Returns the peaks in MiB:
    anon_mb, file_mb, shmem_mb, hwm_mb, and samples (how many were read)."""
    peaks = {k: 0 for k in FIELDS}
    samples = 0
    target = None if follow_child else proc.pid
    while proc.poll() is None:
        if target is None:
            kids = children(proc.pid)
            target = kids[0] if kids else None
        if target is not None:
            status = read_status(target)
            if status:
                samples += 1
                for k, v in status.items():
                    peaks[k] = max(peaks[k], v)
        time.sleep(every_ms / 1000)
    return {"anon_mb": peaks["RssAnon"] / 1024, "file_mb": peaks["RssFile"] / 1024,
            "shmem_mb": peaks["RssShmem"] / 1024, "hwm_mb": peaks["VmHWM"] / 1024,
            "samples": samples}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--every-ms", type=float, default=25)
    p.add_argument("--json", action="store_true", help="print the peaks as JSON on stdout")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        p.error("no command given (memwatch.py -- COMMAND ...)")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sys.stderr if args.json else None)
    peaks = sample_peaks(proc, args.every_ms)
    peaks["wall_s"] = round(time.perf_counter() - t0, 3)
    peaks["rc"] = proc.returncode
    if args.json:
        print(json.dumps(peaks))
    else:
        print(f"memwatch: peak RssAnon {peaks['anon_mb']:.1f} MiB, peak RssFile "
              f"{peaks['file_mb']:.1f} MiB, VmHWM {peaks['hwm_mb']:.1f} MiB, "
              f"{peaks['samples']} samples, {peaks['wall_s']} s, exit {peaks['rc']}",
              file=sys.stderr)
    sys.exit(proc.returncode if proc.returncode >= 0 else 128 - proc.returncode)


if __name__ == "__main__":
    main()

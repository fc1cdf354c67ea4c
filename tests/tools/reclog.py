#!/usr/bin/env python3
"""reclog.py: questions about the recorder plugin's log (tests/plugins/
recorder/recorder.c: one JSON line per call start and end), for the
workflow tests under tests/cli/. Python 3 standard library only.

    reclog.py LOG count [FILTER]          calls started (or --ev end)
    reclog.py LOG values KEYS [FILTER]    the KEYS (comma-separated) of each
                                          start (or --ev end), one line
                                          each, sorted
    reclog.py LOG after FILTER            calls started after the first
                                          call matching FILTER ended
    reclog.py LOG before A B              every call matching A ended before
                                          any call matching B started
    reclog.py LOG each-before A B KEY     the same, for each value of KEY
                                          (a B call with no A of its KEY
                                          passes)
    reclog.py LOG overlap [FILTER]        most calls running at once
    reclog.py LOG threads [FILTER]        distinct threads that made calls
    reclog.py LOG open [FILTER]           calls that started and never
                                          ended (the process was killed)

A FILTER is KEY=VALUE[,KEY=VALUE...]; KEY is a field of the lines (inst,
node, op, kind, tgt, tnode, result, attempt, dep); `op` matches the last
part of the operation name too ("op=create"). Prints the answer; `before`
and `each-before` print nothing, or what broke the order on stderr and
exit 1.
"""

import json
import sys


def load(path, ev=None):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if ev is None or rec["ev"] == ev:
                out.append(rec)
    return out


def parse_filter(text):
    want = {}
    for part in filter(None, (text or "").split(",")):
        key, _, value = part.partition("=")
        want[key] = value
    return want


def matches(rec, want):
    for key, value in want.items():
        got = rec.get(key)
        if key == "op":
            if got != value and got.rsplit(".", 1)[-1] != value:
                return False
        elif str(got) != value:
            return False
    return True


def call_key(rec):
    return (rec["op"], rec["kind"], rec.get("inst"), rec.get("tgt"),
            rec["attempt"], rec["tid"])


def intervals(recs, want):
    """(start, end) of each call matching want; end None if it never
    ended."""
    starts = {}
    out = []
    for rec in recs:
        if not matches(rec, want):
            continue
        key = call_key(rec)
        if rec["ev"] == "start":
            starts[key] = rec
        elif key in starts:
            out.append((starts.pop(key)["t"], rec["t"], rec))
    out.extend((s["t"], None, s) for s in starts.values())
    return out


def overlap(spans):
    events = []
    for start, end, _ in spans:
        events.append((start, 1))
        if end is not None:
            events.append((end, -1))
    events.sort(key=lambda e: (e[0], e[1]))
    now = most = 0
    for _, d in events:
        now += d
        most = max(most, now)
    return most


def before(recs, a, b, key=None):
    """Messages for every B call that started before an A call (of the
    same KEY) ended."""
    bad = []
    a_spans = intervals(recs, a)
    for start, _, rec in intervals(recs, b):
        for _, a_end, a_rec in a_spans:
            if key and a_rec.get(key) != rec.get(key):
                continue
            if a_end is None or a_end > start:
                bad.append("%s %s (%s) started before %s %s (%s) ended" % (
                    rec["op"], rec.get("inst"), rec["kind"], a_rec["op"],
                    a_rec.get("inst"), a_rec["kind"]))
    return bad


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    path, cmd, args = argv[1], argv[2], argv[3:]
    recs = load(path)
    if cmd == "count":
        ev = "start"
        if args and args[0] == "--ev":
            ev, args = args[1], args[2:]
        want = parse_filter(args[0] if args else "")
        print(sum(1 for r in recs if r["ev"] == ev and matches(r, want)))
    elif cmd == "values":
        ev = "start"
        if args and args[0] == "--ev":
            ev, args = args[1], args[2:]
        want = parse_filter(args[1] if len(args) > 1 else "")
        keys = args[0].split(",")
        vals = [" ".join(str(r.get(k)) for k in keys) for r in recs
                if r["ev"] == ev and matches(r, want)]
        print("\n".join(sorted(vals)))
    elif cmd == "after":
        want = parse_filter(args[0])
        ends = [r["t"] for r in recs if r["ev"] == "end" and matches(r, want)]
        first = min(ends) if ends else None
        print(sum(1 for r in recs if r["ev"] == "start" and first is not None
                  and r["t"] > first))
    elif cmd in ("before", "each-before"):
        key = args[2] if cmd == "each-before" else None
        bad = before(recs, parse_filter(args[0]), parse_filter(args[1]), key)
        if bad:
            sys.stderr.write("\n".join(bad[:5]) + "\n")
        return 1 if bad else 0
    elif cmd == "overlap":
        print(overlap(intervals(recs, parse_filter(args[0] if args
                                                   else ""))))
    elif cmd == "threads":
        want = parse_filter(args[0] if args else "")
        print(len({r["tid"] for r in recs if matches(r, want)}))
    elif cmd == "open":
        want = parse_filter(args[0] if args else "")
        print("\n".join(sorted("%s %s" % (s[2].get("inst"), s[2]["op"])
                               for s in intervals(recs, want)
                               if s[1] is None)))
    else:
        sys.stderr.write("reclog.py: unknown question '%s'\n" % cmd)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

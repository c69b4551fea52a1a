"""Tables from the samples: per workload each server's best round and its ratio to the best
peer, printed and written as markdown and CSV under bench/results/."""

import csv
import io

FSYNC_NOTE = ("None of the peers fsyncs a PUT: their PUT figures are page-cache speed. "
              "Cairn fsyncs before answering. The 'with syncfs after' detail adds the time of "
              "one syncfs() of the file system after the PUTs, a kinder-to-peers stand-in for durability.")


def _fmt(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def _limits(sample, client_threads):
    """Say where the CPU went: a client near its own ceiling, or both cores busy."""
    notes = []
    if sample.client_cpu > 85 * client_threads:
        notes.append("client-bound")
    if sample.client_cpu + sample.server_cpu > 180:
        notes.append("both cores busy")
    return ", ".join(notes)


def rows(workload, results, servers):
    """One dict per server for this workload, with ratio to the best peer's best round."""
    best = {name: max(v, key=lambda s: s.value) for name, v in results.items() if isinstance(v, list) and v}
    peer_values = [best[s.name].value for s in servers if s.is_peer and s.name in best]
    best_peer = max(peer_values) if peer_values else None
    lowest = {}  # lower-is-better details: the lowest peer value of each
    for s in servers:
        if s.is_peer and s.name in best:
            for key, value in best[s.name].lower_better.items():
                lowest[key] = min(value, lowest.get(key, value))
    out = []
    for s in servers:
        got = results.get(s.name)
        row = {"workload": workload.key, "server": s.name, "peer": s.is_peer, "fsyncs": s.fsyncs,
               "unit": workload.unit}
        if s.name in best:
            b = best[s.name]
            detail = dict(b.detail)
            for key, value in b.lower_better.items():
                if lowest.get(key):
                    detail[key] += f" ({value / lowest[key]:.2f}× the lowest peer's)"
            row.update(value=b.value, rounds=[x.value for x in got],
                       ratio=b.value / best_peer if best_peer else None,
                       best_peer=best_peer is not None and s.is_peer and b.value == best_peer,
                       server_cpu=b.server_cpu, client_cpu=b.client_cpu, detail=detail,
                       limits=_limits(b, 2 if workload.key == "5" else 1))
        else:
            row.update(error=got if isinstance(got, str) else "not run")
        out.append(row)
    return out


def markdown(header_lines, workloads, labels, all_rows, memory=None, notes=None):
    md = io.StringIO()
    md.write("# Cairn HTTP benchmark\n\n")
    for line in header_lines:
        md.write(f"- {line}\n")
    md.write(f"\n{FSYNC_NOTE}\n\n")
    md.write("Figures are the best of the rounds shown; ratio = server / best peer "
             "(higher is better everywhere; below 1.00 is slower than the best peer). "
             "CPU is % of one core (the machine has 2) over the timed part of the best round.\n")
    md.write("\n## Summary: figure (ratio to best peer)\n\n")
    memory_by_name = {r["server"]: r for r in memory or []}
    md.write("| server | " + " | ".join(f"{w.key}. {w.unit}" for w in workloads)
             + (" | 8. MiB peak RSS (× leanest peer)" if memory else "") + " |\n")
    md.write("|---|" + "---:|" * (len(workloads) + bool(memory)) + "\n")
    for i, first in enumerate(all_rows[workloads[0].key]):
        cells = []
        for w in workloads:
            r = all_rows[w.key][i]
            if "error" in r:
                cells.append("failed")
            else:
                ratio = "" if r["ratio"] is None else f" ({r['ratio']:.2f})"
                cells.append(_fmt(r["value"]) + (f" **{ratio.strip()}**" if not r["peer"] and ratio else ratio))
        if memory:
            m = memory_by_name.get(first["server"], {})
            cells.append(f"{m['peak']:,.0f}" + ("" if m["ratio"] is None else f" ({m['ratio']:.2f})")
                         if "peak" in m else "")
        name = first["server"] + (" (fsyncs)" if first["fsyncs"] else "")
        md.write(f"| {name} | " + " | ".join(cells) + " |\n")
    for w in workloads:
        md.write(f"\n## {w.key}. {w.title.format(**labels)}: {w.unit}\n\n")
        md.write(f"| server | {w.unit} | ratio to best peer | rounds | server CPU | client CPU | limits | details |\n")
        md.write("|---|---:|---:|---|---:|---:|---|---|\n")
        for r in all_rows[w.key]:
            name = r["server"] + (" (fsyncs)" if r["fsyncs"] else "")
            if "error" in r:
                md.write(f"| {name} | failed | | | | | | {r['error']} |\n")
                continue
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}" + (" (best peer)" if r["best_peer"] else "")
            if not r["peer"] and ratio:
                ratio = f"**{ratio}**"
            detail = "; ".join(f"{k}: {v}" for k, v in r["detail"].items())
            md.write(f"| {name} | {_fmt(r['value'])} | {ratio} | {', '.join(_fmt(v) for v in r['rounds'])} "
                     f"| {r['server_cpu']:.0f}% | {r['client_cpu']:.0f}% | {r['limits']} | {detail} |\n")
        if notes and w.key in notes:
            md.write(f"\n{notes[w.key]}\n")
    if memory:
        md.write(memory_markdown(memory, workloads))
    return md.getvalue()


def write_csv(path, workloads, all_rows):
    fields = ["workload", "server", "peer", "fsyncs", "value", "unit", "ratio_to_best_peer", "rounds",
              "server_cpu_pct", "client_cpu_pct", "limits", "detail", "error"]
    with open(path, "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=fields)
        out.writeheader()
        for w in workloads:
            for r in all_rows[w.key]:
                out.writerow({
                    "workload": w.key, "server": r["server"], "peer": r["peer"], "fsyncs": r["fsyncs"],
                    "value": f"{r['value']:.2f}" if "value" in r else "", "unit": r["unit"],
                    "ratio_to_best_peer": f"{r['ratio']:.3f}" if r.get("ratio") is not None else "",
                    "rounds": ";".join(f"{v:.2f}" for v in r.get("rounds", [])),
                    "server_cpu_pct": f"{r['server_cpu']:.0f}" if "value" in r else "",
                    "client_cpu_pct": f"{r['client_cpu']:.0f}" if "value" in r else "",
                    "limits": r.get("limits", ""),
                    "detail": "; ".join(f"{k}: {v}" for k, v in r.get("detail", {}).items()),
                    "error": r.get("error", "")})


MEMORY_GOAL_MIB = 300


def memory_rows(peaks, servers, workloads):
    """Figure 8: per server, the peak of its process tree's resident memory over the run and
    within each workload, with the ratio to the leanest peer (lower is better here)."""
    mib = lambda kib: kib / 1024
    peer_peaks = [mib(peaks[s.name]["run"][0]) for s in servers if s.is_peer and s.name in peaks]
    leanest = min(peer_peaks) if peer_peaks else None
    out = []
    for s in servers:
        p = peaks.get(s.name)
        row = {"server": s.name, "peer": s.is_peer, "fsyncs": s.fsyncs}
        if p:
            row.update(peak=mib(p["run"][0]), hwm=mib(p["run"][1]),
                       ratio=mib(p["run"][0]) / leanest if leanest else None,
                       during={w.key: mib(p[w.key]) for w in workloads if w.key in p},
                       warmup=mib(p["warm-up"]) if "warm-up" in p else None)
        out.append(row)
    return out


def memory_markdown(rows, workloads):
    md = io.StringIO()
    md.write("\n## 8. Resident memory of each server (sampled every 0.5 s): MiB, lower is better\n\n")
    md.write(f"Peak of VmRSS summed over the server's process tree; VmHWM is the kernel's own peak of the "
             f"largest single process (it catches a peak between samples). A multi-process server's sum "
             f"counts its shared pages once per process. Goal for Cairn with default settings: under "
             f"{MEMORY_GOAL_MIB} MiB.\n\n")
    md.write("| server | peak RSS | × leanest peer | VmHWM | start + warm-up | "
             + " | ".join(f"during {w.key}" for w in workloads) + " |\n")
    md.write("|---|---:|---:|---:|---:|" + "---:|" * len(workloads) + "\n")
    for r in rows:
        name = r["server"] + (" (fsyncs)" if r["fsyncs"] else "")
        if "peak" not in r:
            md.write(f"| {name} | not sampled |" + " |" * (3 + len(workloads)) + "\n")
            continue
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        if not r["peer"] and ratio:
            ratio = f"**{ratio}**"
        warm = "" if r["warmup"] is None else f"{r['warmup']:,.0f}"
        md.write(f"| {name} | {r['peak']:,.0f} | {ratio} | {r['hwm']:,.0f} | {warm} | "
                 + " | ".join(f"{r['during'][w.key]:,.0f}" if w.key in r["during"] else "" for w in workloads)
                 + " |\n")
    return md.getvalue()


def append_memory_csv(path, rows):
    with open(path, "a", newline="") as f:
        out = csv.writer(f)
        for r in rows:
            if "peak" in r:
                out.writerow(["8", r["server"], r["peer"], r["fsyncs"], f"{r['peak']:.1f}", "MiB peak RSS (lower is better)",
                              "" if r["ratio"] is None else f"{r['ratio']:.3f}", "", "", "", "",
                              f"VmHWM: {r['hwm']:.1f} MiB", ""])

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
    out = []
    for s in servers:
        got = results.get(s.name)
        row = {"workload": workload.key, "server": s.name, "peer": s.is_peer, "fsyncs": s.fsyncs,
               "unit": workload.unit}
        if s.name in best:
            b = best[s.name]
            row.update(value=b.value, rounds=[x.value for x in got],
                       ratio=b.value / best_peer if best_peer else None,
                       best_peer=best_peer is not None and s.is_peer and b.value == best_peer,
                       server_cpu=b.server_cpu, client_cpu=b.client_cpu, detail=b.detail,
                       limits=_limits(b, 2 if workload.key == "5" else 1))
        else:
            row.update(error=got if isinstance(got, str) else "not run")
        out.append(row)
    return out


def markdown(header_lines, workloads, labels, all_rows):
    md = io.StringIO()
    md.write("# Cairn HTTP benchmark\n\n")
    for line in header_lines:
        md.write(f"- {line}\n")
    md.write(f"\n{FSYNC_NOTE}\n\n")
    md.write("Figures are the best of the rounds shown; ratio = server / best peer "
             "(higher is better everywhere; below 1.00 is slower than the best peer). "
             "CPU is % of one core (the machine has 2) over the timed part of the best round.\n")
    md.write("\n## Summary: figure (ratio to best peer)\n\n")
    md.write("| server | " + " | ".join(f"{w.key}. {w.unit}" for w in workloads) + " |\n")
    md.write("|---|" + "---:|" * len(workloads) + "\n")
    for i, first in enumerate(all_rows[workloads[0].key]):
        cells = []
        for w in workloads:
            r = all_rows[w.key][i]
            if "error" in r:
                cells.append("failed")
            else:
                ratio = "" if r["ratio"] is None else f" ({r['ratio']:.2f})"
                cells.append(_fmt(r["value"]) + (f" **{ratio.strip()}**" if not r["peer"] and ratio else ratio))
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

"""The harness's table: markdown for people (and the README), JSON for machines."""

from __future__ import annotations


def _fmt(value, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}" if value < 100 else f"{value:,.0f}{suffix}"
    return f"{value}{suffix}"


def markdown(data: dict) -> str:
    lines = []
    machine = data.get("machine", {})
    lines.append(
        f"Machine: {machine.get('cpu', '?')}, {machine.get('cpus', '?')} CPUs, {machine.get('memory_gb', '?')} GB, "
        f"Python {machine.get('python', '?')}, load average {' '.join(machine.get('load_average', []))}."
    )
    for label, info in data.get("datasets", {}).items():
        lines.append(
            f"- `{label}` ({info['vendor']}): {info['households']:,} households, {info['residents']:,} residents, "
            f"{info['villages']} villages/communities; the clerk's village has {info['clerk_village_households']:,} households."
        )
    lines.append("")
    lines.append(
        "| scenario | db | median ms | p95 ms | queries | peak MB | baseline | baseline ms | ratio | target | met |"
    )
    lines.append("|---|---|--:|--:|--:|--:|---|--:|--:|---|---|")
    for r in data["results"]:
        met = {True: "yes", False: "**no**", None: ""}[r["meets"]]
        status = "" if r["status"] == 200 else f" (HTTP {r['status']})"
        lines.append(
            f"| {r['scenario']}{status} | {r['database']} | {_fmt(r['median_ms'])} | {_fmt(r['p95_ms'])} | {r['queries']} | "
            f"{_fmt(r['peak_mb'])} | {r['baseline']} | {_fmt(r['baseline_ms'])} | {_fmt(r['ratio'], '×')} | {r['target']} | {met} |"
        )
    flat = clerk_flatness(data["results"])
    if flat:
        lines.append("")
        lines.append(
            "A village clerk's pages as the district grows (p95 ms; target: the larger within 1.5× of the smaller):"
        )
        lines.append("")
        lines.append("| page | smaller district | p95 ms | larger district | p95 ms | ratio | met |")
        lines.append("|---|---|--:|---|--:|--:|---|")
        for name, small, small_ms, large, large_ms in flat:
            ratio = large_ms / small_ms if small_ms else None
            met = "" if ratio is None else ("yes" if ratio <= 1.5 else "**no**")
            lines.append(
                f"| {name} | {small} | {_fmt(small_ms)} | {large} | {_fmt(large_ms)} | {_fmt(ratio, '×')} | {met} |"
            )
    return "\n".join(lines) + "\n"


def clerk_flatness(results: list[dict]) -> list[tuple]:
    """Each clerk scenario on the smallest and the largest data set of the same database engine."""
    clerk = [r for r in results if r["group"] == "clerk"]
    rows = []
    vendors = dict.fromkeys(r["database"].split("-")[0] for r in clerk)
    for vendor in vendors:
        mine = [r for r in clerk if r["database"].split("-")[0] == vendor]
        sizes = sorted({(int(r["dataset"]), r["database"]) for r in mine})
        if len(sizes) < 2 or sizes[0][0] == sizes[-1][0]:
            continue
        small, large = sizes[0][1], sizes[-1][1]
        for name in dict.fromkeys(r["scenario"] for r in mine):
            a = next((r["p95_ms"] for r in mine if r["scenario"] == name and r["database"] == small), None)
            b = next((r["p95_ms"] for r in mine if r["scenario"] == name and r["database"] == large), None)
            rows.append((name, small, a, large, b))
    return rows

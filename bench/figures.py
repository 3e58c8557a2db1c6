"""Shared helpers of the benchmark scripts: statistics, output and call setup.

Every benchmark prints a human-readable report, or with ``--json`` exactly one
JSON object on stdout whose ``figures`` list contains one entry per measured
quantity (see ``figure``). bench/run_all.py collects those objects.
"""

import json
import logging
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


def spread(values: Sequence[float]) -> dict[str, float | int]:
    """Return the median, p95, minimum, maximum and count of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return {"runs": 0}
    # Nearest-rank p95: with fewer than 20 values it is the maximum.
    rank = max(0, -(-95 * len(ordered) // 100) - 1)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[rank],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
    }


def figure(
    name: str,
    values: Sequence[float],
    unit: str,
    target: str | None = None,
    met: bool | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Return one figure: the spread of ``values`` and how it compares to a target.

    ``target`` is the target as text (for example "median <= 0.3 s") and ``met``
    whether the measured values reach it; both are None for figures with no target.
    """
    return {
        "name": name,
        "unit": unit,
        **{key: _rounded(value) for key, value in spread(values).items()},
        "target": target,
        # Comparisons of numpy values give numpy booleans, which json rejects.
        "met": None if met is None else bool(met),
        "note": note,
    }


def _rounded(value: float | int) -> float | int:
    return round(float(value), 3) if isinstance(value, float) else int(value)


def machine() -> dict[str, Any]:
    """Return the platform, CPU model and count, and memory of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def emit(script: str, figures: list[dict[str, Any]], as_json: bool) -> None:
    """Print the figures as one JSON object, or as a plain table."""
    if as_json:
        document = {"script": script, "machine": machine(), "figures": figures}
        print(json.dumps(document, ensure_ascii=False))
        return
    for item in figures:
        if item.get("runs", 0) == 0:
            print(f"{item['name']}: no values ({item['note']})")
            continue
        verdict = ""
        if item["target"]:
            verdict = f"  target {item['target']}: {'met' if item['met'] else 'MISSED'}"
        print(
            f"{item['name']}: median {item['median']} {item['unit']}, "
            f"p95 {item['p95']}, range {item['min']}..{item['max']} "
            f"over {item['runs']}{verdict}"
        )
        if item["note"]:
            print(f"    {item['note']}")


def setup_logging() -> None:
    """Send warnings from the app to stderr, so stdout stays machine-readable."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")


def load_engine_for(model: str | None) -> Any:
    """Load the speech engine for a --model value (None for the default)."""
    from app.speech.engines import load_engine
    from app.speech.models import choose_model

    return load_engine(choose_model(model))


def call_setup(model: str | None, playbook: str | None = None) -> Any:
    """Return a CallSetup with the given model and playbook and no database."""
    from app.coaching.call import CallSetup
    from app.playbooks.loader import load_playbook, resolve_playbook_path
    from app.playbooks.matcher import Matcher

    loaded = load_playbook(resolve_playbook_path(playbook))
    return CallSetup(loaded, Matcher(loaded), load_engine_for(model))

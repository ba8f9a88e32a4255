"""Synthetic scenarios of any size, for the benchmarks (and nothing else).

``synthetic(scenes)`` is the YAML text of a two-role scenario with six 0-100 meters, a
few flags, three or four choices per scene (most with conditions and effects, leading a
few scenes on, some back), twenty reactions whose conditions overlap, a few triggers
and ten endings: the shape of a real scenario, as large as asked.
"""

from __future__ import annotations

import random

METERS = ("tension", "trust", "risk", "face", "hawks", "doves")
FLAGS = ("pledge", "channel", "leak")
STANCES = ("escalate", "hold", "negotiate", "concede")


def synthetic(scenes: int, seed: int = 0, reactions: int = 20) -> str:
    rng = random.Random(seed)
    out = [
        "format: 1",
        f"id: synthetic-{scenes}",
        f"title: Synthetic {scenes}",
        "roles:",
        "  red: {name: Red, start: r0}",
        f"  blue: {{name: Blue, start: r{scenes // 2}}}",
        "variables:",
    ]
    for m in METERS:
        out.append(f"  {m}: {{initial: {rng.randint(10, 60)}, min: 0, max: 100, label: {m}}}")
    for f in FLAGS:
        out.append(f"  {f}: {{initial: false, show: hidden}}")
    out.append("scenes:")
    endings = [f"end{i}" for i in range(10)]

    def cond() -> str:
        m = rng.choice(METERS)
        k = rng.randint(10, 90)
        return rng.choice(
            [
                f"{m} >= {k}",
                f"{m} < {k}",
                f"{m} >= {k} and {rng.choice(FLAGS)}",
                f"not {rng.choice(FLAGS)} or {m} < {k}",
                f"{m} + {rng.choice(METERS)} > {2 * k}",
            ]
        )

    def effects() -> str:
        parts = [
            f"{m}: {rng.choice(['+', '-'])}{rng.randint(1, 15)}" for m in rng.sample(METERS, 2)
        ]
        if rng.random() < 0.2:
            parts.append(f"{rng.choice(FLAGS)}: true")
        return "{" + ", ".join(parts) + "}"

    for i in range(scenes):
        out.append(f"  r{i}:")
        out.append(f"    text: Scene {i}. Tension {{tension}}.")
        out.append("    choices:")
        for j in range(rng.randint(3, 4)):
            if i >= scenes - 3 or rng.random() < 0.08:
                nxt = rng.choice(endings)
            elif rng.random() < 0.1:
                nxt = f"r{max(0, i - rng.randint(1, 5))}"  # a way back: loops
            else:
                nxt = f"r{min(scenes - 1, i + rng.randint(1, 5))}"
            line = f"      - {{id: c{i}-{j}, text: Choice {j}, stance: {rng.choice(STANCES)}"
            if j > 0 and rng.random() < 0.6:
                line += f", if: '{cond()}'"
            if rng.random() < 0.8:
                line += f", effects: {effects()}"
            out.append(line + f", next: {nxt}}}")
    out.append("endings:")
    for n, e in enumerate(endings):
        outcome = ("catastrophe", "defeat", "stalemate", "settlement", "cooperation")[n % 5]
        out.append(f"  {e}: {{title: Ending {n}, outcome: {outcome}, text: The end.}}")
    out.append("reactions:")
    for r in range(reactions):
        stance = rng.choice(STANCES)
        out.append(f"  - id: rule{r}")
        out.append(f"    if: \"stance == '{stance}' or {cond()}\"")
        out.append("    outcomes:")
        for _ in range(rng.randint(2, 3)):
            w = rng.choice(["1", "2", f"{rng.choice(METERS)} / 10", f"100 - {rng.choice(METERS)}"])
            out.append(f"      - {{weight: '{w}', effects: {effects()}}}")
    out.append("triggers:")
    out.append("  - {id: war, if: 'tension >= 100', goto: end0}")
    out.append("  - {id: revolt, if: 'hawks >= 95 and turn >= 5', goto: end1}")
    out.append("  - {id: drift, if: 'risk >= 50', once: false, effects: {tension: +2}}")
    return "\n".join(out) + "\n"

"""Write the sample saves in saves/ from known lines of play.

Usage: python scripts/make_sample_saves.py   (replaces the files it writes)
Each line of play is replayed under seeds 0, 1, 2... until it reaches the ending named,
so the save is a full, reproducible playthrough. The saves are written in the current
save format; running it again leaves a file as it is (time of saving included) unless
its game changed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from brinkmanship.format import catalog
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime import savefile
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore

ROOT = Path(__file__).resolve().parents[1]
FORMAT1 = ROOT / "tests" / "fixtures" / "saves"
CREATED = "2026-11-24T00:00:00+00:00"

# (save name, scenario id, role, ending wanted, choices)
LINES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "tutorial-lind-shared-light",
        "tutorial",
        "lind",
        "shared-light",
        ["a-trial", "a-phone-late", "a-free-crew", "a-sign-all"],
    ),
    (
        "tutorial-castell-deal",
        "tutorial",
        "castell",
        "deal",
        ["b-send-boats", "b-talk-from-strength", "b-fish-deal", "b-sign-part"],
    ),
    (
        "tutorial-lind-war",
        "tutorial",
        "lind",
        "war",
        ["a-trial", "a-block", "a-warning-shot", "a-blame"],
    ),
    # The historical line for Kennedy: ExComm in secret, blockade over strike, the quarantine
    # speech, the line pulled back, Scali, the first letter answered and the second ignored,
    # Anderson's loss absorbed, the secret Jupiter clause through RFK, the joint statement.
    (
        "thirteen-days-kennedy-historical",
        "thirteen-days",
        "kennedy",
        "k-end-together",
        [
            "k-convene",
            "k-options-open",
            "k-17-blockade",
            "k-gromyko-silent",
            "k-ph-blockade",
            "k-lemay-thank",
            "k-sg-quarantine",
            "k-sw-quarantine",
            "k-sp-firm",
            "k-cg-steady",
            "k-oas-pullback",
            "k-line-hold",
            "k-bl-quiet",
            "k-un-marucla",
            "k-sc-yes",
            "k-fl-embrace",
            "k-sl-first",
            "k-an-absorb",
            "k-br-trollope",
            "k-rp-send",
            "k-rd-secret",
            "k-wt-cordier",
            "k-su-joint",
            "k-nv-flexible",
            "k-63-peace",
        ],
    ),
    # The historical line for Khrushchev: secrecy and denial, no nuclear pre-delegation, the
    # weapons ships turned home, the Knox meeting, the Presidium's pledge offer, the first
    # letter, the broadcast Turkey demand, Pliyev reined in after the U-2, Dobrynin and RFK,
    # acceptance on Radio Moscow, Mikoyan in Havana, the count at sea, the IL-28s, the hotline.
    (
        "thirteen-days-khrushchev-historical",
        "thirteen-days",
        "khrushchev",
        "n-end-guaranteed",
        [
            "n0-secret",
            "n3-line",
            "n8-wait",
            "n9-conventional",
            "n10-turn",
            "n16-knox",
            "n18-brag",
            "n23-deny",
            "n25-pledge",
            "n27-pledge",
            "n28-restrain",
            "n29-broadcast",
            "n31-rein",
            "n30-rfk",
            "n34-accept-pledge",
            "n37-broadcast",
            "n39-mikoyan",
            "n41-all",
            "n42-sea",
            "n43-trade",
            "n44-hotline",
        ],
    ),
]


def game_id(name: str) -> str:
    """A fixed game id per sample (in the shape of a real one), so the files are stable."""
    return "20261124-000000-" + hashlib.sha256(name.encode()).hexdigest()[:6]


def unstamped(text: str) -> str:
    """A save's text without its time of saving, to tell a changed game from a rewrite."""
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("saved:"))


def find_seed(
    scenario: Scenario, role: str, ending: str, choices: list[str], name: str = ""
) -> Session | None:
    """The game with the first seed under which ``choices`` all play and reach ``ending``."""
    for seed in range(5000):
        session, divergence = Session.replay(
            scenario, role, seed, choices, game_id=game_id(name), created=CREATED
        )
        if divergence is None and session.state.ending == ending:
            return session
    return None


def main(
    lines: list[tuple[str, str, str, str, list[str]]] = LINES, out: Path = ROOT / "saves"
) -> int:
    saves = SaveStore(out)
    for name, sid, role, ending, choices in lines:
        session = find_seed(load_scenario(str(catalog.find(sid))), role, ending, choices, name)
        if session is None:
            print(f"{name}: no seed reaches {ending}", file=sys.stderr)
            return 1
        target = out / f"{name}.yaml"
        before = target.read_text(encoding="utf-8") if target.exists() else None
        path = saves.write(session, name, overwrite=True)
        (out / f"{name}.yaml.bak").unlink(missing_ok=True)
        if before is not None and unstamped(before) == unstamped(path.read_text("utf-8")):
            path.write_text(before, encoding="utf-8")  # same game: keep the old time of saving
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}: seed {session.seed}, {len(choices)} turns -> {ending}")
    return 0


def refresh_format1(out: Path = ROOT / "saves", fixtures: Path = FORMAT1) -> int:
    """Rewrite each format-1 fixture ``format1-NAME.yaml`` for the scenario as it is now.

    The fixture keeps the old (format 1) layout and its line of play, the one of the
    sample ``NAME.yaml``; its scenario hash, per-turn checks (digests of the whole state,
    as format 1 has them) and final summary are taken from replaying that line again.
    """
    for path in sorted(fixtures.glob("format1-*.yaml")):
        sample = savefile.read(out / path.name.removeprefix("format1-"))
        text = path.read_text(encoding="utf-8")
        head = [ln for ln in text.splitlines() if ln.startswith("#")]
        data = yaml.safe_load(text)
        scenario = load_scenario(str(catalog.find(sample.scenario.id)))
        session, divergence = Session.replay(scenario, sample.role, sample.seed, sample.choices)
        if divergence is not None or data["choices"] != list(sample.choices):
            print(f"{path.name}: the sample's line of play does not replay", file=sys.stderr)
            return 1
        data["scenario"]["hash"] = sample.scenario.hash
        data["seed"] = sample.seed
        for i, t in enumerate(data["turns"], 1):
            t["scene"] = session.state_at(i - 1).scene
            t["check"] = session.state_at(i).digest()
        final = session.state
        data["final"].update(
            scene=final.scene,
            ending=final.ending,
            turn=final.turn,
            clock=sample.summary.when,
            vars=dict(final.vars),
            check=final.digest(),
        )
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        path.write_text("\n".join(head) + "\n" + body, encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: refreshed from {sample.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main() or refresh_format1())

"""Hostile and damaged save files, and crash-safe writing (issue #6).

Truncated, empty, binary, edited, from another scenario or a newer version: a clear
SaveError (exit 2 for ``replay --check``), other saves untouched. Names cannot leave
the save folder. A process killed with SIGKILL while saving leaves only loadable saves.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import BrinkError, SaveError
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime import savefile
from brinkmanship.runtime.resume import Resumed, resume, scenario_for
from brinkmanship.runtime.session import MAX_TURNS, Session
from brinkmanship.runtime.store import SaveStore
from brinkmanship.runtime.views import clock
from tests.conftest import FIXTURES
from tests.hardening_helpers import MINI, run_all, write

SRC = Path(__file__).resolve().parents[1] / "src"
FORMAT1 = FIXTURES / "saves" / "format1-tutorial-lind-war.yaml"


def play(scenario_path: Path, seed: int, choices: list[str]) -> Session:
    s = Session(load_scenario(str(scenario_path)), "a", seed)
    for cid in choices:
        s.take(cid)
    return s


def format1(s: Session, name: str) -> dict[str, Any]:
    """A save of ``s`` exactly as Brinkmanship 0.1 (save format 1) wrote it: whole-state
    digests per turn and a 'final' mapping (checked against a real one below)."""
    sc, st = s.scenario, s.state
    return {
        "brinkmanship_save": 1,
        "app_version": "0.1.0",
        "name": name,
        "created": s.created,
        "saved": s.created,
        "scenario": {"id": sc.id, "title": sc.title, "hash": sc.content_hash, "source": sc.path},
        "role": s.role,
        "seed": s.seed,
        "choices": list(s.choices),
        "turns": [
            {
                "turn": t.number,
                "scene": t.scene,
                "choice": t.choice,
                "stance": t.stance,
                "check": s.state_at(t.number).digest(),
            }
            for t in s.turns
        ],
        "final": {
            "scene": st.scene,
            "ending": st.ending,
            "turn": st.turn,
            "clock": clock(sc, st).text,
            "vars": dict(st.vars),
            "check": st.digest(),
        },
    }


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("scen") / "mini.yaml", MINI)


@pytest.fixture(scope="module")
def good_game(scenario_path: Path) -> Session:
    return play(scenario_path, 7, ["go", "back", "go"])


@pytest.fixture(scope="module")
def good_save(good_game: Session, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = SaveStore(tmp_path_factory.mktemp("good")).write(good_game, "good")
    data = yaml.safe_load(path.read_text())
    assert data["brinkmanship_save"] == savefile.SAVE_FORMAT == 2
    return data


@pytest.fixture(scope="module")
def good_save_v1(good_game: Session) -> dict[str, Any]:
    return format1(good_game, "good")


def test_the_format1_helper_writes_what_version_0_1_wrote() -> None:
    real = yaml.safe_load(FORMAT1.read_text())
    save = savefile.read(FORMAT1)
    s = resume(save, scenario_for(save)).session
    made = format1(s, real["name"])
    for key in (
        "brinkmanship_save",
        "name",
        "created",
        "role",
        "seed",
        "choices",
        "turns",
        "final",
    ):
        assert made[key] == real[key], key
    assert {k: made["scenario"][k] for k in ("id", "title", "hash")} == {
        k: real["scenario"][k] for k in ("id", "title", "hash")
    }
    assert set(made) == set(real) and set(made["scenario"]) == set(real["scenario"])


def load_and_replay(path: Path) -> Resumed | None:
    """What ``play --load`` does; only our own errors may escape."""
    try:
        save = savefile.read(path)
        return resume(save, scenario_for(save))
    except BrinkError:
        return None


def put(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=[2, 1], ids=["format2", "format1"])
def any_good_save(
    request: pytest.FixtureRequest, good_save: dict[str, Any], good_save_v1: dict[str, Any]
) -> dict[str, Any]:
    return good_save if request.param == 2 else good_save_v1


def test_the_good_save_replays(
    any_good_save: dict[str, Any], good_game: Session, tmp_path: Path
) -> None:
    result = load_and_replay(put(tmp_path / "ok.yaml", any_good_save))
    assert result is not None and result.ok and result.save.turn == 3
    assert result.save.version == any_good_save["brinkmanship_save"]
    assert not result.scenario_changed
    assert result.session.state.key() == good_game.state.key()


# case: (field, value, what happens); a dotted field is inside a mapping; value None
# deletes it. "refused": reading raises SaveError; "diverges": it loads but does not
# replay; "loads": harmless (the field is informative only, or checked otherwise).
# For the save format written now (2):
MALFORMED: dict[str, tuple[str, Any, str]] = {
    "choices-int": ("choices", 5, "refused"),
    "choices-map": ("choices", {"a": 1}, "refused"),
    "choices-ints": ("choices", [1, 2], "refused"),
    "choices-bad-id": ("choices", ["go", "../../etc"], "refused"),
    "choices-newline": ("choices", ["go\n"], "refused"),
    "choices-huge": ("choices", ["go"] * (MAX_TURNS + 1), "refused"),
    "choices-unknown": ("choices", ["go", "fly"], "diverges"),
    "choices-missing": ("choices", None, "refused"),
    "turns-text": ("turns", "x", "refused"),
    "turns-odd": ("turns", [5, None, {"check": [1]}, {"check": {"a": 1}}], "diverges"),
    "turns-missing": ("turns", None, "loads"),  # the final check still checks the replay
    "summary-list": ("summary", [], "loads"),
    "summary-text": ("summary", "x", "refused"),
    "summary-fields": (
        "summary",
        {
            "ending": [1],
            "when": {"a": 1},
            "vars": 5,
            "last_choice": 10**200,
            "role_name": "x" * 5000,
        },
        "loads",
    ),
    "summary-vars-odd": ("summary.vars", {"tension": 1.5}, "loads"),  # ignored: not comparable
    "summary-vars-other": ("summary.vars", {"tension": 31}, "diverges"),
    "check-list": ("check", [1], "diverges"),
    "check-other": ("check", "0" * 16, "diverges"),
    "check-missing": ("check", None, "loads"),  # every turn's check still checks the replay
    "seed-text": ("seed", "abc", "refused"),
    "seed-bool": ("seed", True, "refused"),
    "seed-float": ("seed", 1.5, "refused"),
    # Seeds are now bounded (a whole number below 2**63, with its own message); format 1
    # saves never held a larger one (their seeds were below 2**31).
    "seed-huge": ("seed", 10**4000, "refused"),
    "seed-largest": ("seed", 2**63 - 1, "loads"),  # no reactions here, so no draw differs
    "role-list": ("role", [1], "refused"),
    "role-unknown": ("role", "nobody", "refused"),
    "role-path": ("role", "../x", "refused"),
    "scenario-int": ("scenario", 5, "refused"),
    "scenario-id-list": ("scenario.id", [1], "refused"),
    "scenario-id-other": ("scenario.id", "other-scenario", "refused"),
    "scenario-id-long": ("scenario.id", "x" * 5000, "refused"),
    "source-nul": ("scenario.source", "a\x00b", "refused"),
    "source-long": ("scenario.source", "a" * 100_000, "refused"),
    "source-dir": ("scenario.source", "/", "refused"),
    "source-device": ("scenario.source", "/dev/zero", "refused"),
    "source-map": ("scenario.source", {"a": 1}, "refused"),
    "hash-list": ("scenario.hash", [1], "loads"),
    "title-map": ("scenario.title", {"a": 1}, "loads"),
    "version-text": ("brinkmanship_save", "2", "refused"),
    "version-zero": ("brinkmanship_save", 0, "refused"),
    "version-negative": ("brinkmanship_save", -3, "refused"),
    "version-bool": ("brinkmanship_save", True, "refused"),
    "version-newer": ("brinkmanship_save", 3, "refused"),
    "version-missing": ("brinkmanship_save", None, "refused"),
    # read as format 1, whose checks are whole-state digests: they do not match
    "version-older": ("brinkmanship_save", 1, "diverges"),
    "name-map": ("name", {"a": [1]}, "loads"),
    "created-list": ("created", [1, 2], "loads"),
    "saved-map": ("saved", {"a": 1}, "loads"),
    "game-id-list": ("game_id", [1], "loads"),
    "app-version-long": ("app_version", "9" * 100_000, "loads"),
}

# The same for format 1 saves, which must stay readable: the cases (and outcomes) the
# format 1 reader had, except the newer version (2 is no longer newer) and the seed bound.
MALFORMED_FORMAT1: dict[str, tuple[str, Any, str]] = {
    **{
        k: v
        for k, v in MALFORMED.items()
        if not k.startswith(("summary", "check", "version", "turns-missing"))
    },
    "final-list": ("final", [], "loads"),
    "final-text": ("final", "x", "refused"),
    "final-fields": (
        "final",
        {"ending": [1], "clock": {"a": 1}, "vars": 5, "check": [1]},
        "diverges",
    ),
    "final-vars-other": ("final.vars", {"tension": 31}, "diverges"),
    "final-check-other": ("final.check", "0" * 16, "diverges"),
    "final-missing": ("final", None, "loads"),  # every turn's check still checks the replay
    "version-text": ("brinkmanship_save", "1", "refused"),
    "version-zero": ("brinkmanship_save", 0, "refused"),
    "version-negative": ("brinkmanship_save", -3, "refused"),
    "version-bool": ("brinkmanship_save", True, "refused"),
    "version-newer": ("brinkmanship_save", 3, "refused"),
    "version-missing": ("brinkmanship_save", None, "refused"),
    # read as format 2: its whole-state digests are not chained checks, so they do not match
    "version-two": ("brinkmanship_save", 2, "diverges"),
}


def apply_case(save: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(save))
    target = data
    *parents, last = field.split(".")
    for p in parents:
        target = target[p]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return data


def check_outcome(path: Path, outcome: str) -> None:
    result = load_and_replay(path)  # only our own errors escape
    if outcome == "refused":
        assert result is None
    elif outcome == "diverges":
        assert result is not None and not result.ok
    else:
        assert result is not None and result.ok, result.summary() if result else None
    assert SaveStore(path.parent).list()  # listing copes too


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_fields_are_save_errors(
    case: str, good_save: dict[str, Any], tmp_path: Path
) -> None:
    field, value, outcome = MALFORMED[case]
    check_outcome(put(tmp_path / "bad.yaml", apply_case(good_save, field, value)), outcome)


@pytest.mark.parametrize("case", list(MALFORMED_FORMAT1))
def test_malformed_fields_of_format1_saves(
    case: str, good_save_v1: dict[str, Any], tmp_path: Path
) -> None:
    field, value, outcome = MALFORMED_FORMAT1[case]
    check_outcome(put(tmp_path / "bad.yaml", apply_case(good_save_v1, field, value)), outcome)


# A YAML number of thousands of digits (hex or binary: quick to read) cannot be turned into
# text by Python (ValueError beyond 4300 digits): in any field it must be our error or none.
HUGE = "0x" + "f" * 5000


@pytest.mark.parametrize(
    ("key", "outcome"),
    [
        ("name:", "loads"),
        ("created:", "loads"),
        ("game_id:", "loads"),
        ("app_version:", "loads"),
        ("  when:", "loads"),
        ("  title:", "loads"),
        ("  hash:", "loads"),
        ("  vars:", "loads"),
        ("check:", "diverges"),
        ("seed:", "refused"),
        ("brinkmanship_save:", "refused"),
        ("  source:", "refused"),
        ("role:", "refused"),
    ],
)
def test_huge_numbers_are_our_errors(
    key: str, outcome: str, good_game: Session, tmp_path: Path
) -> None:
    path = SaveStore(tmp_path).write(good_game, "good")
    lines = path.read_text().splitlines()
    [i] = [i for i, ln in enumerate(lines) if ln.startswith(key)]
    lines[i] = f"{key} {HUGE}"
    path.write_text("\n".join(lines) + "\n")
    if key == "brinkmanship_save:":
        with pytest.raises(SaveError, match="save format version"):
            savefile.read(path)
    check_outcome(path, outcome)


def test_newer_and_other_scenario_saves_are_refused(
    any_good_save: dict[str, Any], tmp_path: Path
) -> None:
    newer = put(tmp_path / "newer.yaml", {**any_good_save, "brinkmanship_save": 9})
    with pytest.raises(SaveError, match="newer version"):
        savefile.read(newer)
    other = write(tmp_path / "other.yaml", MINI.replace("id: mini", "id: other"))
    save = savefile.read(put(tmp_path / "s.yaml", any_good_save))
    with pytest.raises(SaveError, match="for scenario 'mini'"):
        resume(save, load_scenario(str(other)))


def test_edited_saves_diverge(
    good_save: dict[str, Any], good_save_v1: dict[str, Any], tmp_path: Path
) -> None:
    edited = yaml.safe_load(yaml.safe_dump(good_save))
    edited["summary"]["vars"]["tension"] = 99
    del edited["check"]
    result = load_and_replay(put(tmp_path / "vars.yaml", edited))
    assert result is not None and not result.ok and result.divergence is not None
    assert "variables differ" in result.divergence.reason
    edited = yaml.safe_load(yaml.safe_dump(good_save_v1))
    edited["final"]["vars"]["tension"] = 99
    del edited["final"]["check"]
    result = load_and_replay(put(tmp_path / "vars1.yaml", edited))
    assert result is not None and not result.ok and result.divergence is not None
    assert "variables differ" in result.divergence.reason
    for good in (good_save, good_save_v1):
        edited = yaml.safe_load(yaml.safe_dump(good))
        edited["choices"] = ["go", "stop", "go"]
        result = load_and_replay(put(tmp_path / "choices.yaml", edited))
        assert result is not None and result.divergence is not None
        assert result.divergence.turn == 2
        assert result.session.choices == ("go",)  # as far as it replays


def test_truncated_saves_at_every_length(any_good_save: dict[str, Any], tmp_path: Path) -> None:
    full = put(tmp_path / "full.yaml", any_good_save).read_bytes()
    p = tmp_path / "cut.yaml"
    for n in range(0, len(full), 7):
        p.write_bytes(full[:n])
        result = load_and_replay(p)
        assert result is None or result.save.turn <= 3


def test_truncated_written_saves_at_every_length(good_game: Session, tmp_path: Path) -> None:
    full = SaveStore(tmp_path).write(good_game, "full").read_bytes()  # as written, comments
    p = tmp_path / "cut.yaml"
    for n in range(0, len(full), 3):
        p.write_bytes(full[:n])
        result = load_and_replay(p)
        assert result is None or result.save.turn <= 3


# (random bytes from a fixed seed, so that every pytest-xdist worker collects the same tests)
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 100,
        random.Random(6).randbytes(300),
        b"\xff\xfe\xfd",
        b"brinkmanship_save: 1\n",
        b"brinkmanship_save: 2\n",
        b"- 1\n- 2\n",
        b"[" * 10_000,
        b"a: &a [1,1,1,1,1,1,1,1,1,1]\n"
        + b"".join(b"a%d: &a%d [" % (i, i) + b",".join([b"*a"] * 10) + b"]\n" for i in range(8)),
    ],
)
def test_garbage_is_a_save_error(data: bytes, tmp_path: Path) -> None:
    p = tmp_path / "junk.yaml"
    p.write_bytes(data)
    with pytest.raises(SaveError) as info:
        savefile.read(p)
    assert info.value.exit_code == 2


def test_cli_exit_codes_and_other_saves_untouched(
    good_save: dict[str, Any],
    good_save_v1: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = tmp_path / "saves"
    d.mkdir()
    ok = put(d / "ok.yaml", good_save)
    put(d / "ok1.yaml", good_save_v1)
    diverged = yaml.safe_load(yaml.safe_dump(good_save))
    diverged["summary"]["vars"]["tension"] = 99
    del diverged["check"]
    put(d / "diverged.yaml", diverged)
    (d / "broken.yaml").write_bytes(ok.read_bytes()[:150])
    put(d / "newer.yaml", {**good_save, "brinkmanship_save": 5})
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(d))
    res = run_all(
        {
            "ok": ["replay", "ok", "--check"],
            "ok-format1": ["replay", "ok1", "--check"],
            "diverged": ["replay", "diverged", "--check"],
            "broken": ["replay", "broken", "--check"],
            "newer": ["replay", str(d / "newer.yaml"), "--check"],
            "missing": ["replay", "missing", "--check"],
            "load-broken": ["play", "--load", "broken", "--plain"],
            "load-newer": ["play", "--load", "newer", "--plain"],
        }
    )
    expected = {
        "ok": 0,
        "ok-format1": 0,
        "diverged": 1,
        "broken": 2,
        "newer": 2,
        "missing": 2,
        "load-broken": 2,
        "load-newer": 2,
    }
    for name, code in expected.items():
        r = res[name]
        assert r.returncode == code, (name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 6
    assert "newer version" in res["newer"].stderr
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


@pytest.mark.parametrize(
    "title",
    [
        '"Line\\nbrinkmanship_save: 99\\nrole: x"',
        '"\\e[31m\\x85\\uffff"',
        '"# not \\u2028 a \\u2029 comment\\r"',
    ],
)
def test_scenario_text_cannot_break_the_save_file(title: str, tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", MINI.replace("title: Mini", f"title: {title}"))
    game = play(path, 1, ["go"])
    saved = SaveStore(tmp_path).write(game, "t")
    assert savefile.read(saved).choices == ("go",)
    assert savefile.read(saved).scenario.title == game.scenario.title  # kept exactly
    assert resume(savefile.read(saved), load_scenario(str(path))).ok


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../escape",
        "/etc/passwd",
        "a/b",
        "a\\b",
        ".hidden",
        "",
        " ",
        "..",
        "x" * 65,
        "nul\x00byte",
        "new\nline",
        "tab\tname",
        "c:evil",
        "a" + "\u202e" + "b",
        "ends.",
        "*",
        "~root",
        "autosave-mini-a",
        "autosave-x.yaml",
    ],
)
def test_save_names_cannot_escape(name: str, tmp_path: Path, scenario_path: Path) -> None:
    game = play(scenario_path, 1, [])
    saves = SaveStore(tmp_path / "saves")
    with pytest.raises(BrinkError):
        saves.write(game, name)
    with pytest.raises(BrinkError):
        saves.write(game, name, overwrite=True)
    assert not any(tmp_path.rglob("*.yaml"))


def test_odd_but_valid_names_stay_inside(tmp_path: Path, scenario_path: Path) -> None:
    game = play(scenario_path, 1, [])
    saves = SaveStore(tmp_path / "saves")
    d = saves.directory
    for name in ["My game 1", "a.b-c_d", "x" * 64, "game.yaml", "autosave", "my autosave-1"]:
        path = saves.write(game, name)
        assert path.parent == d and path.suffix == ".yaml"
        assert savefile.read(path).name == name.removesuffix(".yaml")


# -- crash safety ----------------------------------------------------------------------------

WRITER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from brinkmanship.format.loader import load_scenario
    from brinkmanship.runtime.session import Session
    from brinkmanship.runtime.store import SaveStore

    scenario, directory = sys.argv[1], Path(sys.argv[2])
    game = Session(load_scenario(scenario), "a", 3)
    saves = SaveStore(directory)
    first = True
    while True:
        game.take("go")
        game.take("back")
        auto = saves.autosave(game)
        saves.write(game, "named", overwrite=True)
        if first:
            print("ready", auto.name, flush=True)
            first = False
""")


def test_sigkill_while_saving_leaves_only_loadable_saves(
    scenario_path: Path, tmp_path: Path
) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    rng = random.Random(int(time.time()))
    d = tmp_path / "saves"
    d.mkdir()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    deadline = time.monotonic() + 5
    rounds = 0
    autosaves: set[str] = set()  # every game (every run of the writer) has its own autosave
    while rounds < 3 or (time.monotonic() < deadline and rounds < 12):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(scenario_path), str(d)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        ready, auto = proc.stdout.readline().split()
        assert ready == "ready" and auto.startswith("autosave-") and auto not in autosaves
        autosaves.add(auto)
        time.sleep(rng.uniform(0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        rounds += 1
        found = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yaml.bak"))
        assert {p.name for p in d.glob("*.yaml")} == autosaves | {"named.yaml"}
        for p in found:
            save = savefile.read(p)  # loads...
            result = resume(save, scenario_for(save))
            assert result.ok, (p, result.summary())  # ...and replays
        infos = SaveStore(d).list()
        assert sorted(i.path.name for i in infos) == sorted(autosaves | {"named.yaml"})
        assert not any(i.error for i in infos)  # temp files are never taken for saves
    assert rounds >= 3


def test_saving_keeps_the_previous_version_as_a_backup(scenario_path: Path, tmp_path: Path) -> None:
    game = play(scenario_path, 1, [])
    saves = SaveStore(tmp_path)
    first = saves.autosave(game)
    old = first.read_text()
    game.take("go")
    assert saves.autosave(game) == first
    assert (tmp_path / (first.name + ".bak")).read_text() == old
    assert savefile.read(first).turn == 1
    assert savefile.read(tmp_path / (first.name + ".bak")).turn == 0
    # leftovers of a killed writer are not saves
    (tmp_path / f".{first.name}.abc123.tmp").write_text("half a sa")
    assert [i.path.name for i in saves.list()] == [first.name]
    # named saves keep a backup too, when overwritten
    named = saves.write(game, "mine")
    game.take("back")
    saves.write(game, "mine", overwrite=True)
    assert savefile.read(named).turn == 2
    assert savefile.read(tmp_path / "mine.yaml.bak").turn == 1


# -- property tests ----------------------------------------------------------------------------

JUNK = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["go", "back", "stop", "a", "mini", "s1"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "brinkmanship_save",
    "app_version",
    "game_id",
    "scenario",
    "role",
    "seed",
    "choices",
    "turns",
    "summary",
    "check",
    "final",
    "name",
    "created",
    "saved",
]


@settings(
    max_examples=150,
    deadline=1000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=5), data=st.data())
def test_fuzzed_save_fields_only_raise_our_errors(
    changes: dict[str, Any],
    data: st.DataObject,
    good_save: dict[str, Any],
    good_save_v1: dict[str, Any],
    tmp_path: Path,
) -> None:
    doc = yaml.safe_load(yaml.safe_dump(data.draw(st.sampled_from([good_save, good_save_v1]))))
    doc.update(changes)
    for part, keys in (
        ("scenario", ["id", "hash", "source", "title"]),
        ("summary", ["ending", "when", "vars", "scene", "role_name"]),
        ("final", ["ending", "clock", "vars", "check", "scene"]),
    ):
        if isinstance(doc.get(part), dict) and data.draw(st.booleans()):
            doc[part][data.draw(st.sampled_from(keys))] = data.draw(JUNK)
    if isinstance(doc.get("turns"), list) and doc["turns"] and data.draw(st.booleans()):
        turn = doc["turns"][data.draw(st.integers(0, len(doc["turns"]) - 1))]
        if isinstance(turn, dict):
            turn[data.draw(st.sampled_from(["check", "scene", "choice", "stance"]))] = data.draw(
                JUNK
            )
    p = tmp_path / "fuzz.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    load_and_replay(p)
    SaveStore(tmp_path).list()


@settings(
    max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode()))
def test_fuzzed_save_bytes_only_raise_save_error(blob: bytes, tmp_path: Path) -> None:
    p = tmp_path / "fuzz.yaml"
    p.write_bytes(blob)
    with contextlib.suppress(SaveError):
        savefile.read(p)
    load_and_replay(p)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "seed: 5",
                "seed: 1e5",
                "name: yes",
                'name: "a\\u2028b"',
                "choices:",
                '- "go"',
                "- 0x1f",
                "summary:",
                '  vars: {"t": 1.5}',
                '  when: "x"',
                "turns: []",
                "#c",
                "",
                "check: null",
                'role: "a" # x',
                "  - 1",
            ]
        ),
        max_size=12,
    )
)
def test_the_quick_save_reader_agrees_with_yaml_whenever_it_answers(lines: list[str]) -> None:
    from brinkmanship.format.errors import ScenarioError
    from brinkmanship.format.yamlsrc import parse_yaml
    from brinkmanship.runtime.savefile import SAVE_LIMITS, _read_as_written

    text = "\n".join(["brinkmanship_save: 2", *lines]) + "\n"
    quick = _read_as_written(text)
    if quick is None:
        return
    try:
        assert quick == parse_yaml(text, "s.yaml", SAVE_LIMITS).to_python()
    except ScenarioError:
        raise AssertionError(f"quick reader accepted what YAML refuses: {text!r}") from None

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

from brinkmanship import saves
from brinkmanship.engine import Engine, Game
from brinkmanship.errors import BrinkError, SaveError
from brinkmanship.loader import load_scenario
from tests.hardening_helpers import MINI, run_all, write

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("scen") / "mini.yaml", MINI)


@pytest.fixture(scope="module")
def good_save(scenario_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    game = Game(Engine(load_scenario(str(scenario_path)), "a"), 7, ["go", "back", "go"])
    path = saves.write_save(game, tmp_path_factory.mktemp("good"), "good")
    return yaml.safe_load(path.read_text())


def load_and_replay(path: Path) -> saves.Replay | None:
    """What ``play --load`` does; only our own errors may escape."""
    try:
        save = saves.read_save(path)
        return saves.replay(save, saves.scenario_for(save))
    except BrinkError:
        return None


def put(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_good_save_replays(good_save: dict[str, Any], tmp_path: Path) -> None:
    result = load_and_replay(put(tmp_path / "ok.yaml", good_save))
    assert result is not None and result.ok and result.save.turn == 3


# case: (field, value, what happens); a dotted field is inside a mapping; value None
# deletes it. "refused": read_save raises SaveError; "diverges": it loads but does not
# replay; "loads": harmless (the field is informative only).
MALFORMED: dict[str, tuple[str, Any, str]] = {
    "choices-int": ("choices", 5, "refused"),
    "choices-map": ("choices", {"a": 1}, "refused"),
    "choices-ints": ("choices", [1, 2], "refused"),
    "choices-bad-id": ("choices", ["go", "../../etc"], "refused"),
    "choices-newline": ("choices", ["go\n"], "refused"),
    "choices-huge": ("choices", ["go"] * (saves.MAX_CHOICES + 1), "refused"),
    "choices-unknown": ("choices", ["go", "fly"], "diverges"),
    "turns-text": ("turns", "x", "refused"),
    "turns-odd": ("turns", [5, None, {"check": [1]}, {"check": {"a": 1}}], "diverges"),
    "final-list": ("final", [], "loads"),
    "final-text": ("final", "x", "refused"),
    "final-fields": ("final", {"ending": [1], "clock": {"a": 1}, "vars": 5, "check": [1]},
                     "diverges"),
    "seed-text": ("seed", "abc", "refused"),
    "seed-bool": ("seed", True, "refused"),
    "seed-float": ("seed", 1.5, "refused"),
    "seed-huge": ("seed", 10**4000, "loads"),  # no reactions here, so no draw differs
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
    "version-text": ("brinkmanship_save", "1", "refused"),
    "version-zero": ("brinkmanship_save", 0, "refused"),
    "version-negative": ("brinkmanship_save", -3, "refused"),
    "version-bool": ("brinkmanship_save", True, "refused"),
    "version-newer": ("brinkmanship_save", 2, "refused"),
    "version-missing": ("brinkmanship_save", None, "refused"),
    "name-map": ("name", {"a": [1]}, "loads"),
    "created-list": ("created", [1, 2], "loads"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_fields_are_save_errors(case: str, good_save: dict[str, Any],
                                          tmp_path: Path) -> None:
    field, value, outcome = MALFORMED[case]
    data = yaml.safe_load(yaml.safe_dump(good_save))
    target = data
    *parents, last = field.split(".")
    for p in parents:
        target = target[p]
    if value is None:
        del target[last]
    else:
        target[last] = value
    path = put(tmp_path / "bad.yaml", data)
    result = load_and_replay(path)  # only our own errors escape
    if outcome == "refused":
        assert result is None
    elif outcome == "diverges":
        assert result is not None and not result.ok
    else:
        assert result is not None and result.ok
    assert saves.list_saves(tmp_path)  # listing copes too


def test_newer_and_other_scenario_saves_are_refused(good_save: dict[str, Any],
                                                    tmp_path: Path) -> None:
    newer = put(tmp_path / "newer.yaml", {**good_save, "brinkmanship_save": 9})
    with pytest.raises(SaveError, match="newer version"):
        saves.read_save(newer)
    other = write(tmp_path / "other.yaml", MINI.replace("id: mini", "id: other"))
    save = saves.read_save(put(tmp_path / "s.yaml", good_save))
    with pytest.raises(SaveError, match="for scenario 'mini'"):
        saves.replay(save, load_scenario(str(other)))


def test_edited_saves_diverge(good_save: dict[str, Any], tmp_path: Path) -> None:
    edited = yaml.safe_load(yaml.safe_dump(good_save))
    edited["final"]["vars"]["tension"] = 99
    del edited["final"]["check"]
    result = load_and_replay(put(tmp_path / "vars.yaml", edited))
    assert result is not None and not result.ok and "variables differ" in result.reason
    edited = yaml.safe_load(yaml.safe_dump(good_save))
    edited["choices"] = ["go", "stop", "go"]
    result = load_and_replay(put(tmp_path / "choices.yaml", edited))
    assert result is not None and result.diverged_at == 2


def test_truncated_saves_at_every_length(good_save: dict[str, Any], tmp_path: Path) -> None:
    full = put(tmp_path / "full.yaml", good_save).read_bytes()
    p = tmp_path / "cut.yaml"
    for n in range(0, len(full), 7):
        p.write_bytes(full[:n])
        result = load_and_replay(p)
        assert result is None or result.save.turn <= 3


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, os.urandom(300), b"\xff\xfe\xfd",
                                  b"brinkmanship_save: 1\n", b"- 1\n- 2\n", b"[" * 10_000,
                                  b"a: &a [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
                                      b"a%d: &a%d [" % (i, i) + b",".join([b"*a"] * 10) + b"]\n"
                                      for i in range(8))])
def test_garbage_is_a_save_error(data: bytes, tmp_path: Path) -> None:
    p = tmp_path / "junk.yaml"
    p.write_bytes(data)
    with pytest.raises(SaveError) as info:
        saves.read_save(p)
    assert info.value.exit_code == 2


def test_cli_exit_codes_and_other_saves_untouched(good_save: dict[str, Any], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "saves"
    d.mkdir()
    ok = put(d / "ok.yaml", good_save)
    diverged = yaml.safe_load(yaml.safe_dump(good_save))
    diverged["final"]["vars"]["tension"] = 99
    del diverged["final"]["check"]
    put(d / "diverged.yaml", diverged)
    (d / "broken.yaml").write_bytes(ok.read_bytes()[:150])
    put(d / "newer.yaml", {**good_save, "brinkmanship_save": 5})
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(d))
    res = run_all({
        "ok": ["replay", "ok", "--check"],
        "diverged": ["replay", "diverged", "--check"],
        "broken": ["replay", "broken", "--check"],
        "newer": ["replay", str(d / "newer.yaml"), "--check"],
        "missing": ["replay", "missing", "--check"],
        "load-broken": ["play", "--load", "broken", "--plain"],
        "load-newer": ["play", "--load", "newer", "--plain"],
    })
    expected = {"ok": 0, "diverged": 1, "broken": 2, "newer": 2, "missing": 2,
                "load-broken": 2, "load-newer": 2}
    for name, code in expected.items():
        r = res[name]
        assert r.returncode == code, (name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 6
    assert "newer version" in res["newer"].stderr
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


@pytest.mark.parametrize("title", ['"Line\\nbrinkmanship_save: 99\\nrole: x"',
                                   '"\\e[31m\\x85\\uffff"',
                                   '"# not \\u2028 a \\u2029 comment\\r"'])
def test_scenario_text_cannot_break_the_save_file(title: str, tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", MINI.replace("title: Mini", f"title: {title}"))
    game = Game(Engine(load_scenario(str(path)), "a"), 1, ["go"])
    saved = saves.write_save(game, tmp_path, "t")
    assert saves.read_save(saved).choices == ("go",)
    assert saves.replay(saves.read_save(saved), load_scenario(str(path))).ok


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "a\\b", ".hidden", "",
                                  " ", "..", "x" * 65, "nul\x00byte", "new\nline", "tab\tname",
                                  "c:evil", "a" + "\u202e" + "b", "ends.", "*", "~root"])
def test_save_names_cannot_escape(name: str, tmp_path: Path, scenario_path: Path) -> None:
    game = Game(Engine(load_scenario(str(scenario_path)), "a"), 1)
    d = tmp_path / "saves"
    with pytest.raises(BrinkError):
        saves.write_save(game, d, name)
    assert not any(tmp_path.rglob("*.yaml"))


def test_odd_but_valid_names_stay_inside(tmp_path: Path, scenario_path: Path) -> None:
    game = Game(Engine(load_scenario(str(scenario_path)), "a"), 1)
    d = tmp_path / "saves"
    for name in ["My game 1", "a.b-c_d", "x" * 64, "game.yaml"]:
        path = saves.write_save(game, d, name)
        assert path.parent == d and path.suffix == ".yaml"


# -- crash safety ----------------------------------------------------------------------------

WRITER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from brinkmanship import saves
    from brinkmanship.engine import Engine, Game
    from brinkmanship.loader import load_scenario

    scenario, directory = sys.argv[1], Path(sys.argv[2])
    game = Game(Engine(load_scenario(scenario), "a"), 3)
    first = True
    while True:
        game.choose("go")
        game.choose("back")
        saves.autosave(game, directory)
        saves.write_save(game, directory, "named", overwrite=True)
        if first:
            print("ready", flush=True)
            first = False
""")


def test_sigkill_while_saving_leaves_only_loadable_saves(scenario_path: Path,
                                                         tmp_path: Path) -> None:
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
    while rounds < 3 or (time.monotonic() < deadline and rounds < 12):
        proc = subprocess.Popen([sys.executable, str(script), str(scenario_path), str(d)],
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        rounds += 1
        found = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yaml.bak"))
        assert {p.name for p in d.glob("*.yaml")} == {"autosave-mini-a.yaml", "named.yaml"}
        for p in found:
            save = saves.read_save(p)  # loads...
            result = saves.replay(save, saves.scenario_for(save))
            assert result.ok, (p, result.reason)  # ...and replays
        infos = saves.list_saves(d)
        assert sorted(i.path.name for i in infos) == ["autosave-mini-a.yaml", "named.yaml"]
        assert not any(i.error for i in infos)  # temp files are never taken for saves
    assert rounds >= 3


def test_saving_keeps_the_previous_version_as_a_backup(scenario_path: Path,
                                                       tmp_path: Path) -> None:
    game = Game(Engine(load_scenario(str(scenario_path)), "a"), 1)
    first = saves.autosave(game, tmp_path)
    old = first.read_text()
    game.choose("go")
    saves.autosave(game, tmp_path)
    assert (tmp_path / (first.name + ".bak")).read_text() == old
    assert saves.read_save(first).turn == 1
    assert saves.read_save(tmp_path / (first.name + ".bak")).turn == 0
    # leftovers of a killed writer are not saves
    (tmp_path / f".{first.name}.abc123.tmp").write_text("half a sa")
    assert [i.path.name for i in saves.list_saves(tmp_path)] == [first.name]


# -- property tests ----------------------------------------------------------------------------

JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20), st.sampled_from(["go", "back", "stop", "a", "mini", "s1"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
FIELDS = ["brinkmanship_save", "scenario", "role", "seed", "choices", "turns", "final", "name",
          "created", "saved"]


@settings(max_examples=150, deadline=1000, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=5), data=st.data())
def test_fuzzed_save_fields_only_raise_our_errors(changes: dict[str, Any], data: st.DataObject,
                                                  good_save: dict[str, Any],
                                                  tmp_path: Path) -> None:
    doc = yaml.safe_load(yaml.safe_dump(good_save))
    doc.update(changes)
    if isinstance(doc.get("scenario"), dict) and data.draw(st.booleans()):
        doc["scenario"][data.draw(st.sampled_from(["id", "hash", "source"]))] = data.draw(JUNK)
    p = tmp_path / "fuzz.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    load_and_replay(p)
    saves.list_saves(tmp_path)


@settings(max_examples=150, deadline=1000, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode()))
def test_fuzzed_save_bytes_only_raise_save_error(blob: bytes, tmp_path: Path) -> None:
    p = tmp_path / "fuzz.yaml"
    p.write_bytes(blob)
    with contextlib.suppress(SaveError):
        saves.read_save(p)
    load_and_replay(p)


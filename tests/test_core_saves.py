"""Saves: readable, atomic, never silently overwritten, and checked by replay."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import BrinkError, SaveError
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime import savefile, store
from brinkmanship.runtime.resume import resume, scenario_for
from brinkmanship.runtime.savefile import (
    AUTOSAVE_PREFIX,
    SAVE_FORMAT,
    SaveFile,
    ScenarioRef,
    Summary,
    TurnRecord,
)
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore, autosave_name, check_name
from tests.conftest import FIXTURES

SRC = FIXTURES / "core"


def copy_fixture(tmp_path: Path) -> Path:
    dst = tmp_path / "scenario"
    shutil.copytree(SRC, dst)
    return dst / "crisis.yaml"


def session(path: Path, choices: list[str], seed: int = 4) -> Session:
    s = Session(load_scenario(str(path)), "north", seed)
    for cid in choices:
        s.take(cid)
    return s


def test_round_trip_is_human_readable_and_replays(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    g = session(path, ["call", "deal", "sign"])
    out = SaveStore(tmp_path / "saves").write(g, "first try")
    text = out.read_text()
    assert text.startswith("# Brinkmanship saved game")
    data = yaml.safe_load(text)
    assert data["brinkmanship_save"] == SAVE_FORMAT == 2
    assert data["choices"] == ["call", "deal", "sign"]
    assert data["scenario"]["id"] == "core-crisis" and data["scenario"]["hash"].startswith("sha")
    assert data["summary"]["ending"] == "peace" and data["role"] == "north" and data["seed"] == 4
    assert data["created"] and data["saved"] and data["game_id"] == g.game_id
    assert [t["choice"] for t in data["turns"]] == ["call", "deal", "sign"]
    assert data["check"] == g.check and data["turns"][-1]["check"] == g.check
    s = savefile.read(out)
    assert s.name == "first try" and s.path == out and s.over and s.turn == 3
    result = resume(s, scenario_for(s))
    assert result.ok and not result.scenario_changed
    assert result.session.state.key() == g.state.key()
    assert result.session.choices == g.choices and result.session.created == g.created


def test_named_saves_are_never_silently_overwritten(tmp_path: Path) -> None:
    g = session(copy_fixture(tmp_path), ["call"])
    saves = SaveStore(tmp_path / "saves")
    d = saves.directory
    first = saves.write(g, "mine")
    g.take("deal")
    with pytest.raises(BrinkError, match="already exists"):
        saves.write(g, "mine")
    assert yaml.safe_load(first.read_text())["choices"] == ["call"]
    saves.write(g, "mine", overwrite=True)
    assert yaml.safe_load(first.read_text())["choices"] == ["call", "deal"]
    assert yaml.safe_load((d / "mine.yaml.bak").read_text())["choices"] == ["call"]


def test_two_writes_of_one_new_name_the_second_is_refused(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    saves = SaveStore(tmp_path / "saves")
    a, b = session(path, ["call"]), session(path, ["seize"])
    first = saves.write(a, "taken")
    with pytest.raises(BrinkError, match="already exists"):
        saves.write(b, "taken")
    with pytest.raises(BrinkError, match="already exists"):
        saves.write(b, "taken.yaml")  # the same name, spelt as a file name
    assert savefile.read(first).choices == ("call",)
    assert sorted(p.name for p in saves.directory.iterdir()) == ["taken.yaml"]  # no temp left


def test_racing_writers_of_one_new_name_exactly_one_wins(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    saves = SaveStore(tmp_path / "saves")
    games = [session(path, ["call"] if i % 2 else ["seize"], seed=i) for i in range(8)]
    barrier = threading.Barrier(len(games))
    won: list[Session] = []
    refused: list[str] = []

    def writer(g: Session) -> None:
        barrier.wait()
        try:
            saves.write(g, "race")
            won.append(g)
        except BrinkError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=writer, args=(g,)) for g in games]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(won) == 1 and len(refused) == len(games) - 1
    assert all("already exists" in r for r in refused)
    s = savefile.read(saves.path_for("race"))  # a whole file, the winner's
    assert s.game_id == won[0].game_id and s.choices == won[0].choices and s.seed == won[0].seed
    assert sorted(p.name for p in saves.directory.iterdir()) == ["race.yaml"]


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/passwd", "a/b", ".hidden", "", "x" * 80, "nul\x00byte"]
)
def test_save_names_cannot_escape_the_directory(tmp_path: Path, name: str) -> None:
    g = session(copy_fixture(tmp_path), [])
    with pytest.raises(BrinkError, match="bad save name"):
        SaveStore(tmp_path / "saves").write(g, name)
    assert not (tmp_path / "evil.yaml").exists()


@pytest.mark.parametrize(
    "name",
    [
        "autosave-",
        "autosave-x",
        "autosave-core-crisis-north",
        "AutoSave-x",
        "autosave-20260101-000000-abcdef.yaml",
        " autosave-x",
    ],
)
def test_autosave_names_are_kept_for_autosaves(tmp_path: Path, name: str) -> None:
    with pytest.raises(BrinkError, match="kept for autosaves"):
        check_name(name)
    g = session(copy_fixture(tmp_path), ["call"])
    saves = SaveStore(tmp_path / "saves")
    with pytest.raises(BrinkError, match="kept for autosaves"):
        saves.write(g, name)
    with pytest.raises(BrinkError, match="kept for autosaves"):
        saves.write(g, name, overwrite=True)
    assert not saves.directory.exists() or not any(saves.directory.iterdir())


@pytest.mark.parametrize("name", ["autosave", "my autosave-1", "autosave_1", "autosaves"])
def test_names_that_only_resemble_autosaves_are_fine(name: str) -> None:
    assert check_name(name) == name
    assert check_name(f" {name}.yaml ") == name


def test_each_new_game_has_its_own_autosave(tmp_path: Path) -> None:
    sc = load_scenario(str(copy_fixture(tmp_path)))
    saves = SaveStore(tmp_path / "saves")
    one, two = Session.new(sc, "north"), Session.new(sc, "north")
    assert one.game_id != two.game_id
    p1, p2 = saves.autosave(one), saves.autosave(two)
    assert p1 != p2
    assert p1.name == f"{AUTOSAVE_PREFIX}{one.game_id}.yaml" == f"{autosave_name(one)}.yaml"
    assert p2.name == f"{autosave_name(two)}.yaml"
    one.take("call")
    assert saves.autosave(one) == p1  # the same game keeps its one autosave
    infos = {i.name: i for i in saves.list()}
    assert set(infos) == {autosave_name(one), autosave_name(two)}
    assert infos[autosave_name(one)].save.turn == 1 and infos[autosave_name(two)].save.turn == 0
    assert all(i.save.is_autosave for i in infos.values())
    assert savefile.read(p1).game_id == one.game_id and savefile.read(p2).game_id == two.game_id
    # a game resumed from its autosave keeps its id, so it goes on writing the same file
    again = resume(savefile.read(p1), sc)
    assert again.ok and again.session.game_id == one.game_id
    assert saves.autosave(again.session) == p1
    # a branch is a new game with a new autosave
    assert saves.autosave(one.branch(0)) not in (p1, p2)


def test_changed_scenario_names_the_diverging_turn(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    g = session(path, ["call", "deal", "sign"])
    out = SaveStore(tmp_path / "saves").write(g, "x")
    # the writer changes the second scene's choice: "deal" now adds less trust
    text = path.read_text().replace(
        "effects: {trust: +30}, next: n3", "effects: {trust: +29}, next: n3"
    )
    path.write_text(text)
    s = savefile.read(out)
    result = resume(s, scenario_for(s))
    assert result.scenario_changed and result.divergence is not None
    assert result.divergence.turn == 2
    assert "diverges at turn 2" in result.summary()


def test_removed_choice_diverges_at_its_turn(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    out = SaveStore(tmp_path / "saves").write(session(path, ["call", "deal", "sign"]), "x")
    path.write_text(
        path.read_text().replace(
            'id: sign, text: Sign, stance: negotiate, if: "trust >= 50"',
            'id: signed, text: Sign, stance: negotiate, if: "trust >= 50"',
        )
    )
    s = savefile.read(out)
    result = resume(s, scenario_for(s))
    assert result.divergence is not None
    assert result.divergence.turn == 3 and "'sign' is not available" in result.divergence.reason


def test_edited_save_is_detected(tmp_path: Path) -> None:
    out = SaveStore(tmp_path).write(session(copy_fixture(tmp_path), ["call", "deal"]), "x")
    data = yaml.safe_load(out.read_text())
    data["summary"]["vars"]["trust"] = 99
    data["check"] = "0" * 16
    out.write_text(yaml.safe_dump(data))
    s = savefile.read(out)
    assert not resume(s, scenario_for(s)).ok


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02binary",
        b"brinkmanship_save: 1\n",
        b"brinkmanship_save: 2\n",
        b"- just\n- a list\n",
        b"brinkmanship_save: [1\n",
        b"brinkmanship_save: 99\nscenario: {id: x}\n",
    ],
)
def test_unusable_saves_are_clear_errors(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "broken.yaml"
    p.write_bytes(content)
    with pytest.raises(SaveError) as info:
        savefile.read(p)
    assert info.value.exit_code == 2


def test_newer_format_asks_for_upgrade(tmp_path: Path) -> None:
    p = tmp_path / "new.yaml"
    p.write_text("brinkmanship_save: 7\nscenario: {id: x}\n")
    with pytest.raises(SaveError, match="newer version"):
        savefile.read(p)


def test_save_for_another_scenario_is_refused(tmp_path: Path) -> None:
    out = SaveStore(tmp_path).write(session(copy_fixture(tmp_path), ["call"]), "x")
    s = savefile.read(out)
    other = tmp_path / "other.yaml"
    other.write_text(
        (SRC / "crisis.yaml")
        .read_text()
        .replace("id: core-crisis", "id: other")
        .replace("include: [parts/endings.yaml]", "include: [scenario/parts/endings.yaml]")
    )
    with pytest.raises(SaveError, match="for scenario 'core-crisis'"):
        resume(s, load_scenario(str(other)))


def test_list_and_latest_autosave(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    saves = SaveStore(tmp_path / "saves")
    d = saves.directory
    saves.write(session(path, ["call"]), "named")
    auto = session(path, ["call", "deal"])
    saves.autosave(auto)
    (d / "junk.yaml").write_text("not: a save\n")
    infos = {i.name: i for i in saves.list()}
    assert infos["named"].save is not None
    assert infos["named"].save.turn == 1 and infos["named"].save.role == "north"
    assert infos["junk"].error and infos["junk"].save is None
    latest = saves.latest_autosave()
    assert latest is not None and latest.name == autosave_name(auto) == f"autosave-{auto.game_id}"
    saves.write(session(path, ["call"]), "named", overwrite=True)  # makes named.yaml.bak
    saves.delete(d / "named.yaml")
    assert not (d / "named.yaml").exists() and not (d / "named.yaml.bak").exists()


def test_save_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert store.save_dir(str(tmp_path / "x")) == tmp_path / "x"
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(tmp_path / "env"))
    assert store.save_dir() == tmp_path / "env"
    monkeypatch.delenv("BRINKMANSHIP_SAVE_DIR")
    monkeypatch.setenv("BRINKMANSHIP_DATA_DIR", str(tmp_path / "data"))
    assert store.save_dir() == tmp_path / "data" / "saves"
    assert store.data_dir() == tmp_path / "data"
    assert store.data_dir(tmp_path / "over") == tmp_path / "over"


# -- the file's text -------------------------------------------------------------------------

# Text a scenario or a player could put in a save: anything at all, and especially what a
# YAML or JSON writer gets wrong (YAML's extra line breaks, C1 controls, the BOM, quotes,
# comment and document markers, non-characters, astral code points).
AWKWARD = [
    "\u2028",
    "\u2029",
    "\x85",
    "\x9b",
    "\x7f",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0001f4a3",
    "\U0001f1fa\U0001f1f8",
    '"',
    "'",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "# ",
    " #",
    "---",
    "...",
    ": ",
    "- ",
    "&a",
    "*a",
    "!!python/object",
    "{",
    "[",
    "\u202e",
    "\u200b",
    "\U0010ffff",
    "null",
    "~",
    "yes",
    "0x1F",
    "1e3",
    " ",
]
TEXT = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(AWKWARD)), max_size=6).map("".join)
# Lone surrogates cannot be written as UTF-8: the documented escaping turns them into U+FFFD.
SURROGATE_TEXT = st.lists(
    st.one_of(TEXT, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)), max_size=4
).map("".join)
IDENT = st.from_regex(r"\A[a-z][a-z0-9-]{0,10}\Z")
VALUE = st.one_of(st.booleans(), st.integers(-(10**15), 10**15), TEXT)


def survives(text: str) -> str:
    """What the save file keeps of a text: all of it, except lone surrogates (U+FFFD)."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


@st.composite
def save_files(draw: st.DrawFn) -> SaveFile:
    t = draw
    choices = tuple(t(st.lists(IDENT, max_size=4)))
    turns = tuple(
        TurnRecord(i, t(SURROGATE_TEXT), t(SURROGATE_TEXT), t(SURROGATE_TEXT), t(SURROGATE_TEXT))
        for i in range(1, t(st.integers(0, len(choices))) + 1)
    )
    return SaveFile(
        name=t(SURROGATE_TEXT),
        scenario=ScenarioRef(
            t(IDENT),
            t(SURROGATE_TEXT),
            t(SURROGATE_TEXT),
            t(SURROGATE_TEXT.filter(lambda s: "\x00" not in s)),
        ),
        role=t(IDENT),
        seed=t(st.integers(-(2**63) + 1, 2**63 - 1)),
        choices=choices,
        turns=turns,
        check=t(SURROGATE_TEXT),
        summary=Summary(
            *(t(SURROGATE_TEXT) for _ in range(7)), vars=t(st.dictionaries(TEXT, VALUE, max_size=4))
        ),
        game_id=t(SURROGATE_TEXT),
        created=t(SURROGATE_TEXT),
        saved=t(SURROGATE_TEXT),
        app_version=t(SURROGATE_TEXT),
    )


def expected_after_round_trip(x: SaveFile) -> SaveFile:
    """``x`` as the file keeps it: surrogates become U+FFFD, and an empty scenario source
    reads back as "bundled" (the default)."""
    s = survives
    sm = x.summary
    return SaveFile(
        name=s(x.name),
        scenario=ScenarioRef(
            x.scenario.id,
            s(x.scenario.title),
            s(x.scenario.hash),
            s(x.scenario.source) or "bundled",
        ),
        role=x.role,
        seed=x.seed,
        choices=x.choices,
        turns=tuple(
            TurnRecord(r.turn, s(r.scene), s(r.choice), s(r.stance), s(r.check)) for r in x.turns
        ),
        check=s(x.check),
        summary=Summary(
            s(sm.role_name),
            s(sm.when),
            s(sm.last_choice),
            s(sm.ending),
            s(sm.ending_title),
            s(sm.outcome),
            s(sm.scene),
            vars={s(k): s(v) if isinstance(v, str) else v for k, v in sm.vars.items()},
        ),
        game_id=s(x.game_id),
        created=s(x.created),
        saved=s(x.saved),
        version=x.version,
        app_version=s(x.app_version),
    )


@settings(max_examples=120, deadline=None)
@given(x=save_files())
def test_save_text_round_trips_every_text_field(x: SaveFile) -> None:
    text = x.to_text()
    back = SaveFile.from_text(text, "t.yaml")
    assert back == expected_after_round_trip(x)
    assert back.to_text() == expected_after_round_trip(x).to_text()
    # the structure is the writer's, whatever the text: the two comment lines, then fields
    lines = text.splitlines()
    assert lines[0].startswith("# Brinkmanship saved game: ") and lines[1].startswith("# ")
    assert lines[2] == f"brinkmanship_save: {SAVE_FORMAT}"
    assert len(lines) == 27 + len(x.choices) + len(x.turns)
    assert not any(c in text for c in "\x85\u2028\u2029\ufeff\r")  # all written escaped
    data = yaml.safe_load(text)  # and any YAML reader agrees
    assert data["name"] == survives(x.name) and data["summary"]["vars"] == x.summary.vars
    assert data["scenario"]["title"] == survives(x.scenario.title)


@pytest.mark.parametrize(
    "text", [*AWKWARD, "".join(AWKWARD), "\ud800", "a\udfffb", "\U0001f600\u2028\x85\"'\n# x"]
)
def test_awkward_text_survives_exactly(text: str) -> None:
    src = text.replace("\x00", "") or "bundled"  # a NUL in a path is refused, as it should be
    x = SaveFile(
        name=text,
        scenario=ScenarioRef("s", text, text, src),
        role="r",
        seed=1,
        choices=("c",),
        turns=(TurnRecord(1, text, text, text, text),),
        check=text,
        summary=Summary(text, text, text, text, text, text, text, vars={text: text}),
        game_id=text,
        created=text,
        saved=text,
        app_version=text,
    )
    assert SaveFile.from_text(x.to_text(), "t.yaml") == expected_after_round_trip(x)


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Exports and saves are readable like any file the user writes (umask), not 0600,
    and a file that is replaced keeps the permissions it had."""
    import os
    import stat

    from brinkmanship.runtime import atomic
    from brinkmanship.runtime.atomic import write_atomic, write_new

    old = os.umask(0o022)
    atomic._new_file_mode.cache_clear()  # read once per process; this test sets its own
    try:
        new = tmp_path / "export.md"
        write_atomic(new, "# Game\n", backup=False)
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        claimed = tmp_path / "claimed.yaml"
        assert write_new(claimed, "x: 1\n")
        assert stat.S_IMODE(claimed.stat().st_mode) == 0o644
        new.chmod(0o600)
        write_atomic(new, "# Game, again\n")
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
        assert new.read_text(encoding="utf-8") == "# Game, again\n"
    finally:
        os.umask(old)
        atomic._new_file_mode.cache_clear()

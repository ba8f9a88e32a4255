"""Saves: readable, atomic, never silently overwritten, and checked by replay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from brinkmanship import saves
from brinkmanship.engine import Engine, Game
from brinkmanship.errors import BrinkError, SaveError
from brinkmanship.loader import load_scenario
from tests.conftest import FIXTURES

SRC = FIXTURES / "core"


def copy_fixture(tmp_path: Path) -> Path:
    dst = tmp_path / "scenario"
    shutil.copytree(SRC, dst)
    return dst / "crisis.yaml"


def game(path: Path, choices: list[str], seed: int = 4) -> Game:
    return Game(Engine(load_scenario(str(path)), "north"), seed, choices)


def test_round_trip_is_human_readable_and_replays(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    g = game(path, ["call", "deal", "sign"])
    out = saves.write_save(g, tmp_path / "saves", "first try")
    text = out.read_text()
    assert text.startswith("# Brinkmanship saved game")
    data = yaml.safe_load(text)
    assert data["brinkmanship_save"] == 1 and data["choices"] == ["call", "deal", "sign"]
    assert data["scenario"]["id"] == "core-crisis" and data["scenario"]["hash"].startswith("sha")
    assert data["final"]["ending"] == "peace" and data["role"] == "north" and data["seed"] == 4
    assert data["created"] and data["saved"]
    s = saves.read_save(out)
    result = saves.replay(s, saves.scenario_for(s))
    assert result.ok and not result.scenario_changed
    assert result.game.state.key() == g.state.key()


def test_named_saves_are_never_silently_overwritten(tmp_path: Path) -> None:
    g = game(copy_fixture(tmp_path), ["call"])
    d = tmp_path / "saves"
    first = saves.write_save(g, d, "mine")
    g.choose("deal")
    with pytest.raises(BrinkError, match="already exists"):
        saves.write_save(g, d, "mine")
    assert yaml.safe_load(first.read_text())["choices"] == ["call"]
    saves.write_save(g, d, "mine", overwrite=True)
    assert yaml.safe_load(first.read_text())["choices"] == ["call", "deal"]
    assert yaml.safe_load((d / "mine.yaml.bak").read_text())["choices"] == ["call"]


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "a/b", ".hidden", "", "x" * 80,
                                  "nul\x00byte"])
def test_save_names_cannot_escape_the_directory(tmp_path: Path, name: str) -> None:
    g = game(copy_fixture(tmp_path), [])
    with pytest.raises(BrinkError, match="bad save name"):
        saves.write_save(g, tmp_path / "saves", name)
    assert not (tmp_path / "evil.yaml").exists()


def test_changed_scenario_names_the_diverging_turn(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    g = game(path, ["call", "deal", "sign"])
    out = saves.write_save(g, tmp_path / "saves", "x")
    # the writer changes the second scene's choice: "deal" now adds less trust
    text = path.read_text().replace("effects: {trust: +30}, next: n3", "effects: {trust: +29}, "
                                    "next: n3")
    path.write_text(text)
    s = saves.read_save(out)
    result = saves.replay(s, saves.scenario_for(s))
    assert result.scenario_changed and result.diverged_at == 2
    assert "diverges at turn 2" in result.summary()


def test_removed_choice_diverges_at_its_turn(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    out = saves.write_save(game(path, ["call", "deal", "sign"]), tmp_path / "saves", "x")
    path.write_text(path.read_text().replace("id: sign, text: Sign, stance: negotiate, if: "
                                             "\"trust >= 50\"", "id: signed, text: Sign, "
                                             "stance: negotiate, if: \"trust >= 50\""))
    s = saves.read_save(out)
    result = saves.replay(s, saves.scenario_for(s))
    assert result.diverged_at == 3 and "'sign' is not available" in result.reason


def test_edited_save_is_detected(tmp_path: Path) -> None:
    out = saves.write_save(game(copy_fixture(tmp_path), ["call", "deal"]), tmp_path, "x")
    data = yaml.safe_load(out.read_text())
    data["final"]["vars"]["trust"] = 99
    data["final"]["check"] = "0" * 16
    out.write_text(yaml.safe_dump(data))
    s = saves.read_save(out)
    assert not saves.replay(s, saves.scenario_for(s)).ok


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"brinkmanship_save: 1\n",
                                     b"- just\n- a list\n", b"brinkmanship_save: [1\n",
                                     b"brinkmanship_save: 99\nscenario: {id: x}\n"])
def test_unusable_saves_are_clear_errors(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "broken.yaml"
    p.write_bytes(content)
    with pytest.raises(SaveError) as info:
        saves.read_save(p)
    assert info.value.exit_code == 2


def test_newer_format_asks_for_upgrade(tmp_path: Path) -> None:
    p = tmp_path / "new.yaml"
    p.write_text("brinkmanship_save: 7\nscenario: {id: x}\n")
    with pytest.raises(SaveError, match="newer version"):
        saves.read_save(p)


def test_save_for_another_scenario_is_refused(tmp_path: Path) -> None:
    out = saves.write_save(game(copy_fixture(tmp_path), ["call"]), tmp_path, "x")
    s = saves.read_save(out)
    other = tmp_path / "other.yaml"
    other.write_text((SRC / "crisis.yaml").read_text().replace("id: core-crisis", "id: other")
                     .replace("include: [parts/endings.yaml]", "include: [scenario/parts/"
                              "endings.yaml]"))
    with pytest.raises(SaveError, match="for scenario 'core-crisis'"):
        saves.replay(s, load_scenario(str(other)))


def test_list_and_latest_autosave(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path)
    d = tmp_path / "saves"
    saves.write_save(game(path, ["call"]), d, "named")
    saves.autosave(game(path, ["call", "deal"]), d)
    (d / "junk.yaml").write_text("not: a save\n")
    infos = {i.name: i for i in saves.list_saves(d)}
    assert infos["named"].turn == 1 and infos["named"].role == "north"
    assert infos["junk"].error
    latest = saves.latest_autosave(d)
    assert latest is not None and latest.name == "autosave-core-crisis-north"
    saves.delete_save(d / "named.yaml")
    assert not (d / "named.yaml").exists()


def test_save_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert saves.save_dir(str(tmp_path / "x")) == tmp_path / "x"
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(tmp_path / "env"))
    assert saves.save_dir() == tmp_path / "env"
    monkeypatch.delenv("BRINKMANSHIP_SAVE_DIR")
    monkeypatch.setenv("BRINKMANSHIP_DATA_DIR", str(tmp_path / "data"))
    assert saves.save_dir() == tmp_path / "data" / "saves"

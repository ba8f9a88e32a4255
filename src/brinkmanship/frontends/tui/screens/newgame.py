"""New game: scenario → role → start. Scenarios load off the UI thread.

The seed is offered only under "Advanced", in the player's words: the same crisis
again (the number of an earlier game), or a crisis by its number.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from brinkmanship.format import catalog
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario, Text, interpolate
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import one_line
from brinkmanship.runtime.session import Session


def static_text(text: Text, sc: Scenario) -> str:
    """The unconditional paragraphs of ``text``, with variables at their initial values."""

    def value(name: str) -> object:
        v = sc.variables.get(name)
        return v.initial if v is not None else ""

    return "\n\n".join(interpolate(p.text, value).strip("\n") for p in text.parts if p.cond is None)


STEPS = {
    "scenario": "1 · Choose a scenario",
    "role": "2 · Choose your role",
    "seed": "3 · Begin",
}
MUTED = "$foreground-muted"
CHANCE = (
    "The other side's answers have some chance in them. Every crisis has a number: "
    "play the same number again and chance falls the same way."
)


class NewGameScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("a", "advanced", "Advanced"),
    ]
    AUTO_FOCUS = "#pick"

    def __init__(
        self,
        ctx: Context,
        scenario_path: str | None = None,
        seed: int | None = None,
        skip_role: str | None = None,
        scenario: Scenario | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.scenario_path = scenario_path
        self.seed = seed
        self.skip_role = skip_role
        self.entries: list[catalog.Entry] = []
        self.scenario: Scenario | None = scenario  # given: loaded already (from the command line)
        self.role: str | None = None
        self.step = "scenario"
        self.advanced = seed is not None
        self.last_seed: int | None = None  # the crisis number of the latest game like this one

    def compose(self) -> ComposeResult:
        with Vertical(id="newgame"):
            yield Static(id="step-title")
            with Horizontal(id="newgame-body"):
                yield OptionList(id="pick", markup=False)
                with VerticalScroll(id="preview"):
                    yield Static(id="preview-head")
                    yield SafeMarkdown(id="preview-text")
            yield Static(CHANCE, id="chance")
            with Horizontal(id="seed-row"):
                yield Label("Crisis number · Enter starts:")
                yield Input(
                    str(self.seed) if self.seed is not None else "",
                    id="seed",
                    type="integer",
                    placeholder="a new one",
                    max_length=12,
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#seed-row").display = False
        self.query_one("#chance").display = False
        if self.scenario is not None:
            self._show_roles(self.scenario)
        elif self.scenario_path:
            self._set_step("role")
            self.query_one("#preview-head", Static).update("Loading the scenario…")
            self.load(self.scenario_path)
        else:
            self._set_step("scenario")
            self.query_one("#preview-head", Static).update("Looking for scenarios…")
            self.find_entries()

    def _set_step(self, step: str) -> None:
        self.step = step
        self.query_one("#step-title", Static).update(
            Content.assemble(("NEW GAME  ", "bold $accent"), STEPS[step])
        )
        self.query_one("#seed-row").display = step == "seed" and self.advanced
        self.refresh_bindings()
        self.query_one("#pick", OptionList).focus()

    # -- step 1: scenario ----------------------------------------------------

    @work(thread=True, exclusive=True, group="entries")
    def find_entries(self) -> None:
        entries = self.ctx.entries()
        self.app.call_from_thread(self._show_entries, entries)

    def _show_entries(self, entries: list[catalog.Entry]) -> None:
        self.entries = entries
        pick = self.query_one("#pick", OptionList)
        pick.clear_options()
        pick.add_options(
            Option(
                Content.assemble(
                    (one_line(e.title or e.id), "bold"),
                    "\n",
                    (", ".join(one_line(r) for r in e.shown_roles), "$foreground-muted"),
                ),
                id=f"s{i}",
            )
            for i, e in enumerate(entries)
        )
        if not entries:
            self.query_one("#preview-head", Static).update(
                "No scenarios found. Run `brinkmanship play FILE` to play your own."
            )
        else:
            pick.highlighted = 0

    def _entry_preview(self, e: catalog.Entry) -> None:
        self.query_one("#preview-head", Static).update(
            Content.assemble(
                (one_line(e.title or e.id), "bold $accent"),
                "\n",
                ("Roles: ", "bold"),
                ", ".join(one_line(r) for r in e.shown_roles),
            )
        )
        self.query_one("#preview-text", SafeMarkdown).update(e.description)

    @work(thread=True, exclusive=True, group="load")
    def load(self, path: str) -> None:
        try:
            sc = load_scenario(path)
        except BrinkError as exc:
            self.app.call_from_thread(self._load_failed, str(exc))
            return
        self.app.call_from_thread(self._show_roles, sc)

    def _load_failed(self, message: str) -> None:
        self.notify(message, title="Cannot load this scenario", severity="error", timeout=10)
        self.query_one("#preview-head", Static).update("")
        if self.scenario_path and not self.entries:
            self.scenario_path = None
            self._set_step("scenario")
            self.find_entries()

    # -- step 2: role --------------------------------------------------------

    def _show_roles(self, sc: Scenario) -> None:
        self.scenario = sc
        if self.skip_role in sc.roles:
            self.role = self.skip_role
            self._begin()
            return
        self._set_step("role")
        pick = self.query_one("#pick", OptionList)
        pick.clear_options()
        for rid, role in sc.roles.items():
            pick.add_option(
                Option(
                    Content.assemble(
                        (one_line(role.name), "bold"),
                        ("\n" + one_line(role.title) if role.title else "", "$foreground-muted"),
                    ),
                    id=f"r:{rid}",
                )
            )
        roles = list(sc.roles)
        pick.highlighted = roles.index(self.role) if self.role in roles else 0  # back: the same

    def _role_preview(self, rid: str) -> None:
        sc = self.scenario
        if sc is None or rid not in sc.roles:
            return
        role = sc.roles[rid]
        blurb, desc = static_text(role.blurb, sc), static_text(sc.description, sc)
        self.query_one("#preview-head", Static).update(
            Content.assemble(
                (one_line(sc.title), "bold $accent"),
                "\n",
                ("You are ", "$foreground-muted"),
                (one_line(role.name), "bold"),
                (", " + one_line(role.title) if role.title else "", ""),
            )
        )
        self.query_one("#preview-text", SafeMarkdown).update(
            "\n\n".join(x for x in (blurb, desc) if x)
        )

    @on(OptionList.OptionHighlighted, "#pick")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        oid = event.option.id or ""
        if self.step == "scenario" and oid.startswith("s"):
            self._entry_preview(self.entries[int(oid[1:])])
        elif self.step == "role" and oid.startswith("r:"):
            self._role_preview(oid[2:])

    @on(OptionList.OptionSelected, "#pick")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if self.step == "scenario" and oid.startswith("s"):
            entry = self.entries[int(oid[1:])]
            self.query_one("#preview-head", Static).update("Loading the scenario…")
            self.load(str(entry.path))
        elif self.step == "role" and oid.startswith("r:"):
            self.role = oid[2:]
            self._begin()
        elif self.step == "seed" and oid == "start":
            self._start(None)
        elif self.step == "seed" and oid == "again" and self.last_seed is not None:
            self._start(self.last_seed)
        elif self.step == "seed" and oid == "number":
            self.query_one("#seed", Input).focus()
        elif self.step == "seed" and oid == "advanced":
            self.action_advanced()

    # -- step 3: begin (the crisis number under "Advanced") ------------------

    def _begin(self) -> None:
        self._set_step("seed")
        self._role_preview(self.role or "")
        self._show_start()
        assert self.scenario is not None
        self.find_last_seed(self.scenario.id, self.role or "")

    @work(thread=True, exclusive=True, group="last-seed")
    def find_last_seed(self, scenario_id: str, role: str) -> None:
        seed = next(
            (
                i.save.seed
                for i in self.ctx.saves.list()
                if i.save is not None and (i.save.scenario.id, i.save.role) == (scenario_id, role)
            ),
            None,
        )
        self.app.call_from_thread(self._got_last_seed, seed)

    def _got_last_seed(self, seed: int | None) -> None:
        self.last_seed = seed
        if self.step == "seed":
            self._show_start()

    def _show_start(self) -> None:
        pick = self.query_one("#pick", OptionList)
        pick.clear_options()
        pick.add_option(
            Option(Content.assemble(("Start", "bold"), ("\na new crisis", MUTED)), id="start")
        )
        if self.advanced:
            if self.last_seed is not None:
                pick.add_option(
                    Option(
                        Content.assemble(
                            ("Same crisis again", "bold"),
                            (f"\nnumber {self.last_seed}, as in your last game", MUTED),
                        ),
                        id="again",
                    )
                )
            pick.add_option(
                Option(
                    Content.assemble(
                        ("A crisis by its number…", "bold"), ("\ntype it below", MUTED)
                    ),
                    id="number",
                )
            )
        else:
            pick.add_option(
                Option(Content.styled("Advanced: the same crisis again (a)", MUTED), id="advanced")
            )
        pick.highlighted = 0
        self.query_one("#seed-row").display = self.advanced
        self.query_one("#chance", Static).display = self.advanced

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The Advanced key works only once there is a game to begin."""
        if action == "advanced":
            return self.step == "seed"
        return True

    def action_advanced(self) -> None:
        if self.step != "seed":
            return
        self.advanced = not self.advanced
        self._show_start()
        if self.advanced:  # on the first of the advanced options
            self.query_one("#pick", OptionList).highlighted = 1

    @on(Input.Submitted, "#seed")
    def _number(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        try:
            seed = int(value) if value else None
        except ValueError:
            self.notify(
                "A crisis number is a whole number (or blank for a new one).", severity="error"
            )
            return
        self._start(seed)

    def _start(self, seed: int | None) -> None:
        assert self.scenario is not None and self.role is not None
        try:
            session = Session.new(self.scenario, self.role, seed)
        except BrinkError as exc:
            self.notify(str(exc), title="Cannot start", severity="error")
            return
        self.post_message(msg.ShowGame(session, autosave=True))

    def action_back(self) -> None:
        if self.step == "seed" and self.skip_role is None and self.scenario is not None:
            self._show_roles(self.scenario)
        elif self.step == "role" and self.entries:
            self.scenario = None
            self._set_step("scenario")
            self._show_entries(self.entries)
        elif self.step == "role" and not self.scenario_path:
            self._set_step("scenario")
            self.find_entries()
        else:
            self.post_message(msg.ToMenu())

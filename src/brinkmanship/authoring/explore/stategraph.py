"""The explored state graph of one role: abstract states numbered in the order found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Graph:
    """The explored state graph of one role (abstract states, numbered in BFS order)."""

    parent: list[int] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # the choice that first led here
    place: list[str] = field(default_factory=list)  # scene, or ending id for an ending state
    ending: list[bool] = field(default_factory=list)
    edges: list[list[int]] = field(default_factory=list)

    def path(self, i: int) -> list[str]:
        out = []
        while self.parent[i] >= 0:
            out.append(self.via[i])
            i = self.parent[i]
        out.reverse()
        return out

"""Turning YAML nodes into cards, openers and personas, collecting every problem."""

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.playbooks.model import Card, Opener, Persona
from app.playbooks.problems import Problem

BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"

HEADER_KEYS = {"name": True, "version": True, "language": False, "categories": False}
TOP_KEYS = ("playbook", "cards", "openers", "personas", "not_objections")
CARD_KEYS = {
    "id": True,
    "category": True,
    "title": True,
    "rebuttal": True,
    "follow_up": True,
    "proof_points": False,
    "triggers": True,
    "examples": False,
    "threshold": False,
}
OPENER_KEYS = {"id": True, "title": True, "script": True, "personas": False}
PERSONA_KEYS = {
    "id": True,
    "name": True,
    "description": False,
    "openers": False,
    "proof_points": False,
}


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed item with the node it came from, for later cross-checks."""

    item: Any
    node: yaml.Node
    fields: dict[str, yaml.Node]
    path: Path


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ", did you mean 'x'?" for the nearest choice, or an empty string."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {found[0]!r}?" if found else ""


class NodeReader:
    """Reads typed values from the nodes of one file, recording problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        """Record a problem at the start of ``node``."""
        mark = node.start_mark
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, message)
        )

    def fields(
        self, node: yaml.Node, keys: dict[str, bool], what: str
    ) -> dict[str, yaml.Node] | None:
        """Return the key nodes of a mapping, reporting unknown and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a set of 'key: value' lines")
            return None
        found: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name not in keys:
                hint = closest(name, list(keys))
                self.problem(key, f"unknown key {name!r} in {what}{hint}")
                continue
            found[name] = value
        for name, required in keys.items():
            if required and name not in found:
                self.problem(node, f"{what} is missing the required key {name!r}")
        return found

    def text(self, node: yaml.Node | None, what: str) -> str:
        """Return a scalar as text; booleans, empty values and lists are problems."""
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text, not a list or a mapping")
            return ""
        if node.tag == BOOL_TAG and not node.style:
            self.problem(
                node,
                f"{what} {node.value!r} is read as a yes/no value, not text; "
                f'put it in quotes: "{node.value}"',
            )
            return ""
        if node.tag == NULL_TAG and not node.style:
            self.problem(node, f"{what} is empty; write the text after the colon")
            return ""
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"{what} is empty; write the text after the colon")
        return value

    def text_list(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        """Return a list of texts; a single text counts as a list of one."""
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):
            if node.tag == NULL_TAG and not node.style:
                return ()
            return (self.text(node, what),)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of '- text' lines")
            return ()
        return tuple(self.text(item, f"an item of {what}") for item in node.value)

    def threshold(self, node: yaml.Node | None) -> float | None:
        """Return a 0..1 threshold, or None when absent or invalid."""
        if node is None:
            return None
        try:
            value = float(node.value)
        except (TypeError, ValueError):
            value = -1.0
        if not 0.0 < value <= 1.0:
            self.problem(node, f"threshold {node.value!r} must be a number 0..1")
            return None
        return value

    def card(self, node: yaml.Node, body: str | None = None) -> Located | None:
        """Read one card; ``body`` is the Markdown text used as its rebuttal."""
        keys = dict(CARD_KEYS)
        if body is not None:
            keys["rebuttal"] = False
        fields = self.fields(node, keys, "a card")
        if fields is None:
            return None
        rebuttal = self.text(fields.get("rebuttal"), "rebuttal")
        if body is not None:
            if "rebuttal" in fields:
                self.problem(
                    fields["rebuttal"],
                    "the rebuttal is given twice: in the front matter and as the "
                    "text below it; keep one",
                )
            rebuttal = rebuttal or body.strip()
        card = Card(
            id=self.text(fields.get("id"), "id"),
            category=self.text(fields.get("category"), "category"),
            title=self.text(fields.get("title"), "title"),
            rebuttal=rebuttal,
            follow_up=self.text(fields.get("follow_up"), "follow_up"),
            proof_points=self.text_list(fields.get("proof_points"), "proof_points"),
            triggers=self.text_list(fields.get("triggers"), "triggers"),
            examples=self.text_list(fields.get("examples"), "examples"),
            threshold=self.threshold(fields.get("threshold")),
        )
        return Located(card, node, fields, self.path)

    def opener(self, node: yaml.Node) -> Located | None:
        """Read one opener."""
        fields = self.fields(node, OPENER_KEYS, "an opener")
        if fields is None:
            return None
        opener = Opener(
            id=self.text(fields.get("id"), "id"),
            title=self.text(fields.get("title"), "title"),
            script=self.text(fields.get("script"), "script"),
            personas=self.text_list(fields.get("personas"), "personas"),
        )
        return Located(opener, node, fields, self.path)

    def persona(self, node: yaml.Node) -> Located | None:
        """Read one persona."""
        fields = self.fields(node, PERSONA_KEYS, "a persona")
        if fields is None:
            return None
        persona = Persona(
            id=self.text(fields.get("id"), "id"),
            name=self.text(fields.get("name"), "name"),
            description=self.text(fields.get("description"), "description"),
            openers=self.text_list(fields.get("openers"), "openers"),
            proof_points=self.text_list(fields.get("proof_points"), "proof_points"),
        )
        return Located(persona, node, fields, self.path)

    def items(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """Return the entries of a top-level list such as ``cards``."""
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of '- ' entries")
            return []
        return list(node.value)

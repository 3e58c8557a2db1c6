"""Loading a playbook from a file or a folder of files, with full validation.

A folder's ``.yaml``, ``.yml`` and ``.md`` files form one playbook. They are
found recursively and read in name order, skipping README.md. Exactly one of them
contains the ``playbook:`` header with the name and version.
"""

import hashlib
import logging
from pathlib import Path

import yaml

from app import paths
from app.errors import CuecardError
from app.playbooks.model import OBJECTION_IDS, Playbook
from app.playbooks.phrases import weight
from app.playbooks.problems import PlaybookError, Problem
from app.playbooks.schema import HEADER_KEYS, TOP_KEYS, Located, NodeReader, closest
from app.playbooks.source import Document, read_document
from app.playbooks.text import words

__all__ = [
    "PlaybookError",
    "Problem",
    "load_playbook",
    "resolve_playbook_path",
    "validate_path",
]

PLAYBOOK_SUFFIXES = (".yaml", ".yml", ".md")

log = logging.getLogger(__name__)


def playbook_files(path: Path) -> list[Path]:
    """Return the files that make up the playbook at ``path``."""
    if path.is_file():
        return [path]
    return sorted(
        file
        for file in path.rglob("*")
        if file.is_file()
        and file.suffix.lower() in PLAYBOOK_SUFFIXES
        and file.name.lower() != "readme.md"
    )


class _Assembler:
    """Collects the parts of every file and cross-checks them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.header: dict[str, object] | None = None
        self.cards: list[Located] = []
        self.openers: list[Located] = []
        self.personas: list[Located] = []
        self.not_objections: list[str] = []
        self.extra_categories: tuple[str, ...] = ()

    def add(self, document: Document) -> None:
        reader = NodeReader(document.path)
        if document.body is not None:
            located = reader.card(document.root, document.body)
            if located:
                self.cards.append(located)
            self.problems.extend(reader.problems)
            return
        for key, value in document.root.value:
            name = str(key.value)
            if name == "playbook":
                self._add_header(reader, key, value)
            elif name == "cards":
                self._extend(self.cards, reader.card, reader.items(value, "cards"))
            elif name == "openers":
                items = reader.items(value, "openers")
                self._extend(self.openers, reader.opener, items)
            elif name == "personas":
                items = reader.items(value, "personas")
                self._extend(self.personas, reader.persona, items)
            elif name == "not_objections":
                phrases = reader.text_list(value, "not_objections")
                self.not_objections.extend(p for p in phrases if p)
            else:
                hint = closest(name, TOP_KEYS)
                reader.problem(key, f"unknown key {name!r} at the top level{hint}")
        self.problems.extend(reader.problems)

    @staticmethod
    def _extend(target: list[Located], read, nodes: list[yaml.Node]) -> None:  # type: ignore[no-untyped-def]
        for node in nodes:
            located = read(node)
            if located is not None:
                target.append(located)

    def _add_header(self, reader: NodeReader, key: yaml.Node, node: yaml.Node) -> None:
        if self.header is not None:
            reader.problem(key, "a second 'playbook:' header; keep one per playbook")
            return
        fields = reader.fields(node, HEADER_KEYS, "the playbook header")
        if fields is None:
            return
        language = fields.get("language")
        self.header = {
            "name": reader.text(fields.get("name"), "name"),
            "version": reader.text(fields.get("version"), "version"),
            "language": reader.text(language, "language") if language else "en",
        }
        self.extra_categories = reader.text_list(fields.get("categories"), "categories")

    def check(self, first_file: Path, all_read: bool) -> None:
        if self.header is None and all_read:
            self.problems.append(
                Problem(
                    first_file,
                    1,
                    1,
                    "no 'playbook:' header with name and version; add one to this file",
                )
            )
        categories = OBJECTION_IDS + self.extra_categories
        for located in self.cards:
            card = located.item
            node = located.fields.get("category")
            if node is not None and card.category and card.category not in categories:
                hint = closest(card.category, categories)
                message = f"unknown objection id {card.category!r}{hint}"
                self._at(located.path, node, message)
            self._check_triggers(located)
            if not any(card.triggers):
                node = located.fields.get("triggers", located.node)
                message = f"card {card.id!r} needs at least one trigger"
                self._at(located.path, node, message)
        self._unique(self.cards, "card")
        self._unique(self.openers, "opener")
        self._unique(self.personas, "persona")
        opener_ids = {located.item.id for located in self.openers}
        persona_ids = {located.item.id for located in self.personas}
        self._references(self.personas, "openers", opener_ids, "opener")
        self._references(self.openers, "personas", persona_ids, "persona")

    def _check_triggers(self, located: Located) -> None:
        node = located.fields.get("triggers")
        if not isinstance(node, yaml.SequenceNode):
            return
        for item in node.value:
            found = words(str(item.value)) if isinstance(item, yaml.ScalarNode) else []
            if len(found) == 1 and weight(found[0]) < 1.0:
                message = (
                    f"trigger {item.value!r} is a single common word and would fire "
                    "on almost anything; make it a phrase"
                )
                self._at(located.path, item, message)

    def _at(self, path: Path, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(path, mark.line + 1, mark.column + 1, message))

    def _unique(self, items: list[Located], what: str) -> None:
        seen: dict[str, Located] = {}
        for located in items:
            item_id = located.item.id
            if not item_id:
                continue
            if item_id in seen:
                first = seen[item_id]
                where = f"{first.path.name}:{first.node.start_mark.line + 1}"
                node = located.fields.get("id", located.node)
                message = (
                    f"duplicate {what} id {item_id!r} (first used at {where}); "
                    "give each one its own id"
                )
                self._at(located.path, node, message)
            else:
                seen[item_id] = located

    def _references(
        self, items: list[Located], key: str, known: set[str], what: str
    ) -> None:
        for located in items:
            for reference in getattr(located.item, key):
                if reference and reference not in known:
                    hint = closest(reference, sorted(known))
                    message = f"unknown {what} {reference!r}{hint}"
                    self._at(located.path, located.fields[key], message)


def _assemble(path: Path) -> tuple[Playbook | None, list[Problem]]:
    if not path.exists():
        return None, [Problem(path, 1, 1, "no such file or folder")]
    files = playbook_files(path)
    if not files:
        message = "the folder has no .yaml, .yml or .md playbook files"
        return None, [Problem(path, 1, 1, message)]
    assembler = _Assembler(path)
    digest = hashlib.sha256()
    all_read = True
    for file in files:
        document, problems, data = read_document(file)
        digest.update(data)
        assembler.problems.extend(problems)
        if document is None:
            all_read = False
        else:
            assembler.add(document)
    assembler.check(files[0], all_read)
    if assembler.problems or assembler.header is None:
        assembler.problems.sort(key=lambda p: (str(p.path), p.line, p.column))
        return None, assembler.problems
    playbook = Playbook(
        name=str(assembler.header["name"]),
        version=str(assembler.header["version"]),
        language=str(assembler.header["language"]),
        cards=tuple(located.item for located in assembler.cards),
        openers=tuple(located.item for located in assembler.openers),
        personas=tuple(located.item for located in assembler.personas),
        source=path,
        content_hash=digest.hexdigest(),
        not_objections=tuple(assembler.not_objections),
    )
    return playbook, []


def validate_path(path: Path) -> list[Problem]:
    """Return every problem in the playbook at ``path``; empty when it is valid."""
    return _assemble(path)[1]


def load_playbook(path: Path) -> Playbook:
    """Load and validate the playbook file or folder at ``path``.

    Raises PlaybookError listing every problem found.
    """
    playbook, problems = _assemble(path)
    if playbook is None:
        log.warning("playbook %s is invalid: %d problem(s)", path, len(problems))
        raise PlaybookError(problems)
    log.info(
        "loaded playbook %s %s from %s (%d cards)",
        playbook.name,
        playbook.version,
        path,
        len(playbook.cards),
    )
    return playbook


def resolve_playbook_path(argument: str | None) -> Path:
    """Return the playbook path given to ``--playbook``, else the default one."""
    if not argument:
        return paths.default_playbook_dir()
    path = Path(argument).expanduser()
    if not path.exists():
        raise CuecardError(
            f"playbook not found: {path}; pass a playbook .yaml file or a folder "
            "of playbook files to --playbook"
        )
    return path

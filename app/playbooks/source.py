"""Reading playbook files into YAML nodes that remember their line and column.

PyYAML's composer keeps a mark on every node, so each later check can point at the
exact spot. The byte-level checks (empty file, byte-order mark, Windows-1252 text,
tab indentation) run first because the YAML parser reports them badly or not at all.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from app.playbooks.problems import Problem

UTF8_BOM = b"\xef\xbb\xbf"
FRONT_MATTER_FENCE = "---"
# libyaml composes about ten times faster and keeps the same marks.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Document:
    """The YAML root of one file plus, for Markdown, the text after front matter."""

    path: Path
    root: yaml.MappingNode
    body: str | None
    body_line: int


def decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode the bytes of a playbook file as UTF-8, reporting what a user must fix."""
    problems: list[Problem] = []
    if data.startswith(UTF8_BOM):
        problems.append(
            Problem(
                path,
                1,
                1,
                "the file starts with a UTF-8 byte-order mark (BOM); save it as "
                "UTF-8 without BOM",
            )
        )
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(data, error.start)
        byte = data[error.start]
        try:
            shown = f" ({bytes([byte]).decode('cp1252')!r} in Windows-1252)"
        except UnicodeDecodeError:
            shown = ""
        problems.append(
            Problem(
                path,
                line,
                column,
                f"byte 0x{byte:02x}{shown} is not UTF-8, which usually means text "
                "pasted from Word; save the file as UTF-8",
            )
        )
        return None, problems
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        problems.append(Problem(path, 1, 1, "the file is empty; add a playbook"))
        return None, problems
    for number, row in enumerate(text.splitlines(), start=1):
        indent = row[: len(row) - len(row.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    path,
                    number,
                    indent.index("\t") + 1,
                    "tab used for indentation; indent with spaces",
                )
            )
    return text, problems


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def split_front_matter(path: Path, text: str) -> tuple[str, str, int, list[Problem]]:
    """Split Markdown into (front matter YAML, body, first body line, problems).

    The YAML comes back padded with one blank line for the opening fence, so YAML
    line numbers equal file line numbers.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        message = "a Markdown card must start with a '---' line and YAML front matter"
        return "", "", 1, [Problem(path, 1, 1, message)]
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            front = "\n" + "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return front, body, index + 2, []
    message = "the front matter has no closing '---' line"
    return "", "", 1, [Problem(path, 1, 1, message)]


def compose(path: Path, text: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse YAML text into a node tree, reporting syntax errors and duplicate keys."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        reason = error.problem or str(error)
        if "mapping values are not allowed" in reason:
            reason += "; text that contains ': ' must be in quotes"
        return None, [Problem(path, line, column, f"invalid YAML: {reason}")]
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        code = error.character
        if isinstance(code, str):
            code = ord(code)
        message = (
            f"control character U+{code:04X} is not allowed in YAML; "
            "delete it or save the file again as plain text"
        )
        return None, [Problem(path, line, column, message)]
    if root is None:
        return None, [Problem(path, 1, 1, "the file is empty; add a playbook")]
    return root, list(_duplicate_keys(path, root))


def _duplicate_keys(path: Path, node: yaml.Node):  # type: ignore[no-untyped-def]
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                first = seen[name].start_mark.line + 1
                yield Problem(
                    path,
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                    f"duplicate key {name!r} (first given on line {first}); "
                    "keep one of them",
                )
            else:
                seen[name] = key
            yield from _duplicate_keys(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(path, item)


def read_document(path: Path) -> tuple[Document | None, list[Problem], bytes]:
    """Read one .yaml/.yml/.md file; return its document, problems and raw bytes."""
    data = path.read_bytes()
    text, problems = decode(path, data)
    if text is None or problems:
        return None, problems, data
    body: str | None = None
    body_line = 0
    if path.suffix.lower() == ".md":
        text, body, body_line, problems = split_front_matter(path, text)
        if problems:
            return None, problems, data
    # Duplicate keys leave a usable tree, so the other checks still run.
    root, problems = compose(path, text)
    if root is None:
        return None, problems, data
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        message = "the file must be a set of 'key: value' lines at the top level"
        return None, [Problem(path, mark.line + 1, mark.column + 1, message)], data
    return Document(path, root, body, body_line), problems, data

"""Texts a rule writes (notes, emails, Slack posts): Jinja2 in its sandbox, with a fixed set of
placeholders checked when the rule is saved, so a typo or an escape attempt (``{{ ''.__class__ }}``)
is refused then and never met at run time. Pure code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

PLACEHOLDERS: dict[str, frozenset[str]] = {
    "ticket": frozenset({"number", "subject", "status", "priority", "queue", "channel", "tags", "url"}),
    "requester": frozenset({"name", "email"}),
    "agent": frozenset({"name", "email"}),
    "rule": frozenset({"name"}),
}
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "truncate", "default", "join"})

_ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def template_error(source: str) -> str | None:
    """Why ``source`` may not be a rule's text, or None. Only ``{{ group.name }}`` placeholders of
    ``PLACEHOLDERS``, the harmless ``FILTERS`` and ``if``/``for`` over them are allowed."""
    try:
        tree = _ENVIRONMENT.parse(source)
    except TemplateSyntaxError as error:
        return f"is not a valid template: {error.message} (line {error.lineno})"
    loop_names = {
        n.name
        for f in tree.find_all(nodes.For)
        for n in (f.target, *f.target.find_all(nodes.Name))
        if isinstance(n, nodes.Name)
    }
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Call, nodes.Filter)):
        problem = _node_problem(node, loop_names)
        if problem is not None:
            return problem
    return None


def _node_problem(node: nodes.Node, loop_names: set[str]) -> str | None:
    if isinstance(node, nodes.Call):
        return "may not call functions or methods"
    if isinstance(node, nodes.Filter):
        return None if node.name in FILTERS else f"uses an unknown filter '{node.name}'"
    if isinstance(node, nodes.Getitem):
        return "may not index values; use {{ group.name }} placeholders"
    if isinstance(node, nodes.Getattr):
        if node.attr.startswith("_"):
            return "may not reach into Python objects (the template sandbox refuses it)"
        if not isinstance(node.node, nodes.Name) or node.node.name in loop_names:
            return f"uses an unknown placeholder '…{node.attr}'"
        group = node.node.name
        if node.attr not in PLACEHOLDERS.get(group, frozenset()):
            return f"uses an unknown placeholder '{group}.{node.attr}'"
        return None
    assert isinstance(node, nodes.Name)
    if node.ctx == "store" or node.name in loop_names:
        return None
    if node.name not in PLACEHOLDERS:
        return f"uses an unknown placeholder '{node.name}'"
    return None


def render(source: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """The text for one ticket; ``values`` holds every group of ``PLACEHOLDERS``."""
    return _ENVIRONMENT.from_string(source).render(**{k: dict(v) for k, v in values.items()})

"""The calculators cite their rules by key (tools/rd_credit_rules.py's SLIDE_*, kept pure); the bundle names
the slide each key stands for. This module resolves one to the other."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel

from corpus.bundle import DocumentBundle
from tools.spec import RuleSlide as ToolRuleSlide


def resolve_rule_slide(rule: ToolRuleSlide | None, bundle: DocumentBundle) -> ToolRuleSlide | None:
    """A tool's rule slide as this bundle prints it: the spec names the rule by key (its `title`), the bundle
    gives the slide's title, the query that finds it and the terms quoted from it. A key the bundle does not
    know is returned as it is (its title is then taken as printed)."""
    if rule is None:
        return None
    slide = bundle.rule_slide(rule.title)
    if slide is None:
        return rule
    return dataclasses.replace(
        rule, title=slide.title, query=slide.search_query, quote_terms=slide.quote_terms or rule.quote_terms
    )


def cite_rule_slides(value: Any, bundle: DocumentBundle) -> Any:
    """A copy of a calculator result whose figures cite slides by title: every model with a `slide` that is a
    rule key of the bundle gets that slide's title and heading. Anything else is returned as it is."""
    if isinstance(value, BaseModel):
        updates = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            cited = cite_rule_slides(item, bundle)
            if cited is not item:
                updates[name] = cited
        key = getattr(value, "slide", None)
        rule = bundle.rule_slide(key) if isinstance(key, str) else None
        if rule is not None and "heading" in type(value).model_fields:
            updates |= {"slide": rule.title, "heading": rule.heading or getattr(value, "heading", None)}
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list | tuple):
        cited_items = [cite_rule_slides(item, bundle) for item in value]
        changed = any(new is not old for new, old in zip(cited_items, value, strict=True))
        return type(value)(cited_items) if changed else value
    if isinstance(value, dict):
        cited_values = {k: cite_rule_slides(v, bundle) for k, v in value.items()}
        return cited_values if any(cited_values[k] is not v for k, v in value.items()) else value
    return value

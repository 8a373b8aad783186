"""Click options derived from a pydantic input model, so a new input field needs no CLI edit.

One option per field, named after it (``fiscal_year_start`` -> ``--fiscal-year-start``), with its description
as help and the model's default shown:

- ``bool`` -> a flag (``--venture``); a field defaulting to True or None gets ``--x/--no-x``;
- ``Literal[...]`` -> a choice;
- ``list[X]`` -> several values after one flag (``--prior 10億 10億 10億``), or the flag repeated;
- ``dict[str, X]`` -> ``KEY=VALUE``, several (``--fx USD=150 EUR=160``);
- a nested model -> one option per sub-field, prefixed (``--oi-university``); built when any is given;
- a list of models -> one option per sub-field, unprefixed: each value of a required sub-field is one item
  (``--price 10億 --price 60億``) and an optional sub-field applies to every item (``--type ma``);
- anything else -> text the model validates (amounts go through tools.amounts: ``12億``).

Extra option names and flag shortcuts come from `tools.spec.Cli` in the field's ``Annotated`` metadata.
No option is click-required: the model names what is missing (in ja and en), and a command may take its
input another way (``rdcredit --batch``).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import click
from pydantic import BaseModel, BeforeValidator, PlainValidator, WrapValidator
from pydantic.fields import FieldInfo

from tools.spec import Cli

Kind = Literal["value", "list", "flag", "mapping"]
_INPUT_VALIDATORS = (BeforeValidator, PlainValidator, WrapValidator)  # they accept text the type would not


@dataclass(frozen=True)
class _Shape:
    """A field's annotation with Optional and Annotated peeled off."""

    base: Any
    optional: bool
    metadata: tuple[Any, ...]


def _shape(annotation: Any, metadata: Sequence[Any] = ()) -> _Shape:
    found, optional = list(metadata), False
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            found += list(annotation.__metadata__)
            annotation = annotation.__origin__
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return _Shape(annotation, optional, tuple(found))  # a real union: read as text
            annotation = args[0]
        else:
            return _Shape(annotation, optional, tuple(found))


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _cli(metadata: Sequence[Any]) -> Cli:
    """The field's Cli hints merged (a type alias such as Yen may bring its own metavar)."""
    hints = [item for item in metadata if isinstance(item, Cli)]
    names = tuple(name for hint in hints for name in hint.names)
    flags = {flag: value for hint in hints for flag, value in hint.flags.items()}
    metavar = next((hint.metavar for hint in reversed(hints) if hint.metavar), None)
    return Cli(names=names, flags=flags, metavar=metavar)


@dataclass
class _Binding:
    """One input field (or sub-field) and the click parameters that carry it."""

    path: tuple[str, ...]  # (field,), (nested model, field) or (list of models, field)
    param: str
    kind: Kind
    container: Literal["model", "items"] | None = None
    per_item: bool = False
    two_way: bool = False  # a --x/--no-x flag: False is a value, None is "not given"
    flags: list[tuple[str, Any]] = field(default_factory=list)  # (click param, value it sets)

    def read(self, values: dict[str, Any]) -> Any:
        """The raw value from the parsed options; None when not given."""
        value = values.get(self.param)
        for param, flag_value in self.flags:
            if values.get(param):
                value = [flag_value] if self.kind == "list" else flag_value
        if self.kind == "flag":
            return value if value or (self.two_way and value is False) else None
        if self.kind == "list":
            return list(value) if value else None
        if self.kind == "mapping":
            return _mapping(value, self.param) if value else None
        return value


def _mapping(items: Sequence[str], param: str) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}' is not KEY=VALUE / KEY=VALUE の形式で指定してください")
        pairs[key.strip()] = value.strip()
    return pairs


@dataclass
class ModelOptions:
    """A model's fields as click parameters, and the way back from parsed values to the model's raw input."""

    model: type[BaseModel]
    params: list[click.Parameter] = field(default_factory=list)
    bindings: list[_Binding] = field(default_factory=list)
    option_names: dict[str, str] = field(default_factory=dict)  # "oi.university" -> "--oi-university"

    @property
    def list_options(self) -> tuple[str, ...]:
        """Option names that take several values after one flag."""
        params = [p for p in self.params if isinstance(p, click.Option) and p.multiple]
        return tuple(name for p in params for name in p.opts)

    def raw_input(self, values: dict[str, Any]) -> dict[str, Any]:
        """The model's raw input from parsed click values; options not given are left out."""
        raw: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        per_item: dict[str, dict[str, list[Any]]] = {}
        shared: dict[str, dict[str, Any]] = {}
        for binding in self.bindings:
            value = binding.read(values)
            if value is None:
                continue
            top, name = binding.path[0], binding.path[-1]
            if binding.container is None:
                raw[top] = value
            elif binding.container == "model":
                nested.setdefault(top, {})[name] = value
            elif binding.per_item:
                per_item.setdefault(top, {})[name] = value
            else:
                shared.setdefault(top, {})[name] = value
        raw.update(nested)
        for top, columns in per_item.items():
            count = max(len(column) for column in columns.values())
            raw[top] = [
                {
                    **{name: column[i] for name, column in columns.items() if i < len(column)},
                    **shared.get(top, {}),
                }
                for i in range(count)
            ]
        return raw


def model_options(model: type[BaseModel]) -> ModelOptions:
    """Derive the options of one input model (see the module docstring for the rules).

    Raises:
        ValueError: when two fields would answer to the same option name.
    """
    options = ModelOptions(model=model)
    for name, info in model.model_fields.items():
        shape = _shape(info.annotation, info.metadata)
        element = _element(shape)
        if _is_model(shape.base):
            for sub, sub_info in shape.base.model_fields.items():
                _add(options, (name, sub), sub_info, container="model", required=info.is_required())
        elif element is not None and _is_model(element.base):
            fields = element.base.model_fields
            required = [sub for sub, sub_info in fields.items() if sub_info.is_required()]
            for sub, sub_info in fields.items():
                each = () if sub in required else required
                _add(options, (name, sub), sub_info, container="items", per_item=sub in required, each=each)
            # an error about the whole list ("deals" missing) points at the options that make its items
            options.option_names[name] = " ".join(options.option_names[f"{name}.{sub}"] for sub in required)
        else:
            _add(options, (name,), info)
    return options


def _element(shape: _Shape) -> _Shape | None:
    """The item shape of a list field, else None."""
    if typing.get_origin(shape.base) is not list:
        return None
    return _shape(typing.get_args(shape.base)[0])


def _add(
    options: ModelOptions,
    path: tuple[str, ...],
    info: FieldInfo,
    *,
    container: Literal["model", "items"] | None = None,
    per_item: bool = False,
    required: bool = True,
    each: Sequence[str] = (),
) -> None:
    """Add one field's option (and its flag shortcuts) and the binding that reads it back."""
    shape = _shape(info.annotation, info.metadata)
    element = _element(shape)
    value_shape = element or shape
    hints = _cli(shape.metadata + (element.metadata if element else ()))
    kind = "list" if per_item else _kind(shape)
    main = "--" + "-".join(path[1:] if container == "items" else path).replace("_", "-")
    names = [main, *hints.names]
    taken = set(iter_option_names(options))
    for option in [*names, *hints.flags]:
        if option in taken:
            raise ValueError(f"{options.model.__name__}: two fields would both answer to {option}")
    param = "__".join(path)
    binding = _Binding(path=path, param=param, kind=kind, container=container, per_item=per_item)
    help_text = _help(info, kind, required=required and info.is_required(), each=each)
    if kind == "flag":
        two_way = binding.two_way = shape.optional or info.default is True  # True / None must be switchable
        declared = [f"{main}/--no-{main[2:]}", *names[1:]] if two_way else names
        option = click.Option(
            [param, *declared], is_flag=True, default=None if two_way else False, help=help_text
        )
    else:
        click_type, metavar = _value_type(
            value_shape.base, hints.metavar, shape.metadata + value_shape.metadata
        )
        if kind == "mapping":
            click_type, metavar = click.STRING, "KEY=VALUE"
        option = click.Option(
            [param, *names], type=click_type, multiple=kind != "value", metavar=metavar, help=help_text
        )
    options.params.append(option)
    for index, (flag, value) in enumerate(hints.flags.items()):
        flag_param = f"{param}__flag{index}"
        options.params.append(click.Option([flag_param, flag], is_flag=True, help=f"Same as {main} {value}."))
        binding.flags.append((flag_param, value))
    options.bindings.append(binding)
    options.option_names[".".join(path)] = main


def _kind(shape: _Shape) -> Kind:
    origin = typing.get_origin(shape.base)
    if shape.base is bool:
        return "flag"
    if origin is list:
        return "list"
    if origin is dict:
        return "mapping"
    return "value"


def _value_type(
    base: Any, metavar: str | None, metadata: Sequence[Any]
) -> tuple[click.ParamType, str | None]:
    """The click type of a value: choices for a Literal; text the model parses when it has an input validator
    (amounts, dates, ratios); else the plain type."""
    if typing.get_origin(base) is Literal:
        return click.Choice([str(choice) for choice in typing.get_args(base)]), metavar
    if base is date:
        return click.STRING, metavar or "YYYY-MM-DD"
    if any(isinstance(item, _INPUT_VALIDATORS) for item in metadata):
        return click.STRING, metavar or "TEXT"
    if base is int:
        return click.INT, metavar
    if base is float:
        return click.FLOAT, metavar
    return click.STRING, metavar


def _help(info: FieldInfo, kind: Kind, *, required: bool, each: Sequence[str]) -> str:
    parts = [info.description or ""]
    if kind == "list":
        parts.append("(several values after one flag)")
    if kind == "mapping":
        parts.append("(KEY=VALUE, several)")
    if each:
        parts.append(f"(applies to every {' / '.join('--' + name.replace('_', '-') for name in each)})")
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if default not in (None, False, [], {}, ""):
        parts.append(f"[default: {default}]")
    if required:
        parts.append("[required]")
    return " ".join(part for part in parts if part)


def iter_option_names(options: ModelOptions) -> Iterator[str]:
    """Every option name the model's parameters answer to."""
    for param in options.params:
        if isinstance(param, click.Option):
            yield from param.opts
            yield from param.secondary_opts

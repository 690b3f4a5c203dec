"""The command line in Chinese: help pages, metavars and usage errors, for every command.

typer (and the click it builds on, vendored in recent typer releases) writes "Usage:",
"Options", "[default: text]", "<list[Path]>", "Missing argument 'files'" and the like, partly
through gettext and partly as plain f-strings, so neither a gettext catalogue nor a patched
`_` reaches all of it. Three hooks do, whatever the typer version:

* `ZhGroup`, the root group's class: before it parses, it walks every command below it —
  those registered later by other modules included — giving each parameter a Chinese metavar
  (路径, 文字, 整数 …), hiding the default of on/off flags (“--pdf [default: True]” says
  nothing) and the “--no-x” twin of a flag, and giving each command `ZhContext`.
* `ZhContext` formats help through `ZhHelpFormatter`, which writes “用法：”, the section
  names, “［默认：…］” / “［必填］” and the built-in help texts in Chinese.
* `ZhGroup.main` shows a usage error (missing argument, unknown option, bad value …) itself,
  in Chinese and with the code PE940, instead of click's English `show()`; the exit code stays 2.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any

import typer
import typer.core

__all__ = ["ZhGroup", "usage_error_text"]

USAGE_CODE = "PE940"

_HEADINGS = {"Usage": "用法", "Options": "选项", "Arguments": "参数", "Positional arguments": "参数",
             "Commands": "命令"}
_HELP_TEXTS = {"Show this message and exit.": "显示本帮助并退出。",
               "Show the version and exit.": "显示版本并退出。"}
_METAVARS = {"path": "路径", "file": "文件", "directory": "文件夹", "text": "文字", "string": "文字",
             "str": "文字", "integer": "整数", "int": "整数", "float": "数字", "boolean": "是/否",
             "bool": "是/否", "uuid": "编号", "datetime": "日期"}
_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]\s*$")
_TYPE_TOKEN = re.compile(r"\s*<[^<>]*>")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _extra_item(item: str) -> str:
    item = item.strip()
    for en, zh in (("default: ", "默认："), ("env var: ", "环境变量：")):
        if item.startswith(en):
            return zh + item[len(en):]
    return {"required": "必填"}.get(item, item)


def _help_text(text: str) -> str:
    """An option's help column: built-in texts and the trailing “[default: …; required]”."""
    text = _HELP_TEXTS.get(text, text)
    m = _EXTRA.search(text)
    if m:
        items = "；".join(_extra_item(i) for i in m.group(1).split(";"))
        text = text[: m.start()] + ("  " if text[: m.start()] else "") + f"［{items}］"
    return text


def _name_column(text: str) -> str:
    # typer writes an argument as “name <type>”: the Chinese metavar already says what it is.
    if _CJK.search(text):
        return _TYPE_TOKEN.sub("", text)
    return _TYPE_TOKEN.sub(lambda m: " " + _METAVARS.get(m.group(0).strip(" <>").lower(), "值"), text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _formatter_class(base: type) -> type:
    class ZhHelpFormatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]…")
            args = re.sub(r"\{([^{}]+)\}", r"\1", args)  # typer's braces around required arguments
            args = args.replace("...", "…")
            super().write_usage(prog, args, prefix="用法：")

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2, **_: Any) -> None:
            # click pads by character count; a Chinese character takes two columns.
            rows = [(_name_column(a), _help_text(b or "")) for a, b in rows]
            if not rows:
                return
            width = min(max(_width(a) for a, _ in rows), col_max)
            indent = " " * self.current_indent
            for name, text in rows:
                self.write(indent + name)
                if not text:
                    self.write("\n")
                elif _width(name) <= width:
                    self.write(" " * (width - _width(name) + col_spacing) + text + "\n")
                else:
                    self.write("\n" + indent + " " * (width + col_spacing) + text + "\n")

    return ZhHelpFormatter


def _context_class(base: type) -> type:
    class ZhContext(base):  # type: ignore[misc, valid-type]
        formatter_class = _formatter_class(base.formatter_class)

    return ZhContext


_CONTEXTS: dict[type, type] = {}


def _metavar(param) -> str | None:
    type_name = str(getattr(getattr(param, "type", None), "name", "") or "").lower()
    desc = getattr(param, "type_descriptor", None)  # typer ≥ 0.20 keeps the annotation here
    if desc is not None:
        if getattr(desc, "is_path", False):
            type_name = "path"
        elif getattr(desc, "is_choice", False):
            return None  # the choices themselves are the best metavar
        else:
            annotation = getattr(desc, "annotation", None)
            args = getattr(annotation, "__args__", None)
            inner = args[0] if args else annotation
            type_name = getattr(inner, "__name__", type_name).lower()
    if type_name == "choice":
        return None
    label = _METAVARS.get(type_name, "值")
    if param.__class__.__name__.endswith("Argument"):
        if label == "路径":
            label = "文件"
    return label


def localize(command) -> None:
    """Chinese metavars, flag help and contexts for `command` and everything below it."""
    if getattr(command, "_perfeval_zh", False):
        return
    base = command.context_class
    if base not in _CONTEXTS:
        _CONTEXTS[base] = _context_class(base)
    command.context_class = _CONTEXTS[base]
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        command.options_metavar = "[选项]"
    for param in getattr(command, "params", ()):
        if getattr(param, "is_flag", False):
            param.show_default = False
            if getattr(param, "secondary_opts", None) and not param.default:
                param.secondary_opts = []  # “--force / --no-force”: only the switch that does something
        elif getattr(param, "metavar", None) is None:
            label = _metavar(param)
            if label:
                param.metavar = label
        if getattr(param, "help", None):
            param.help = _HELP_TEXTS.get(param.help, param.help)
    command._perfeval_zh = True
    for sub in getattr(command, "commands", {}).values():
        localize(sub)


def _is(exc: BaseException, name: str) -> bool:
    return any(c.__name__ == name for c in type(exc).__mro__)


def _hint(exc) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint(exc.ctx)
        except TypeError:
            hint = param.get_error_hint()
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    return str(hint or "").replace("'", "")


_VALUE_MESSAGES = (
    (re.compile(r"^Input should be a valid (?:integer|int)\b.*$"), "应为整数"),
    (re.compile(r"^Input should be a valid (?:number|float)\b.*$"), "应为数字"),
    (re.compile(r"^Input should be a valid (?:boolean|bool)\b.*$"), "应为“是/否”"),
    (re.compile(r"^(?:Value )?'?(.*?)'? is not a valid (?:integer|int)\.?$"), "“{0}”不是整数"),
    (re.compile(r"^(?:Value )?'?(.*?)'? is not a valid (?:float|number)\.?$"), "“{0}”不是数字"),
    (re.compile(r"^(?:Value )?'?(.*?)'? is not a valid (?:boolean|bool)\b.*$"), "“{0}”不是“是/否”"),
    (re.compile(r"^'?(.*?)'? is not one of (.*?)\.?$"), "“{0}”不在可选值 {1} 之中"),
    (re.compile(r"^'?(.*?)'? is not (.*?)\.?$"), "“{0}”不是 {1}"),
    (re.compile(r"^(?:Path|File|Directory) '?(.*?)'? does not exist\.?$"), "“{0}”不存在"),
    (re.compile(r"^(?:Path|File|Directory) '?(.*?)'? is a file\.?$"), "“{0}”是文件，应为文件夹"),
    (re.compile(r"^(?:Path|File|Directory) '?(.*?)'? is a directory\.?$"), "“{0}”是文件夹，应为文件"),
    (re.compile(r"^(.*?) is not in the range (.*?)\.?$"), "{0} 不在范围 {1} 之内"),
)


def _value_message(message: str) -> str:
    for pattern, zh in _VALUE_MESSAGES:
        m = pattern.match(message.strip())
        if m:
            return zh.format(*m.groups())
    return message


def usage_error_text(exc) -> str:
    """The Chinese message of a click/typer usage error."""
    msg = str(getattr(exc, "message", "") or "")
    if _is(exc, "MissingParameter"):
        param = getattr(exc, "param", None)
        is_option = (getattr(exc, "param_type", "") == "option"
                     or type(param).__name__.endswith("Option"))
        kind = "选项" if is_option else "参数"
        what = getattr(param, "help", None) or ""
        return f"缺少{kind}“{_hint(exc)}”" + (f"（{what}）" if what else "") + "。"
    if _is(exc, "NoSuchOption"):
        text = f"没有选项 {exc.option_name}。"
        possible = sorted(getattr(exc, "possibilities", None) or ())
        return text + (f"是不是要用 {'、'.join(possible)}？" if possible else "")
    if _is(exc, "BadOptionUsage"):
        name = getattr(exc, "option_name", "")
        if "does not take a value" in msg:
            return f"选项 {name} 不带值。"
        if "requires" in msg:
            return f"选项 {name} 后面需要一个值。"
        return f"选项 {name} 用法有误：{msg}"
    if _is(exc, "BadParameter"):
        hint = _hint(exc)
        return f"{'参数 ' + hint + ' ' if hint else ''}的值有误：{_value_message(msg)}。".replace("：。", "。")
    m = re.match(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)", msg)
    if m:
        return f"多余的参数：{m.group(1)}。"
    m = re.match(r"^No such command '?(.*?)'?\.?(?: Did you mean (.*)\?)?$", msg)
    if m:
        return f"没有命令“{m.group(1)}”。" + (f"是不是要用 {m.group(2)}？" if m.group(2) else "") + \
            "用 perfeval --help 查看全部命令。"
    if msg.startswith("Missing command"):
        return "缺少命令；用 perfeval --help 查看全部命令。"
    return _value_message(msg)


def _show(exc) -> None:
    ctx = getattr(exc, "ctx", None)
    if _is(exc, "NoArgsIsHelpError") and ctx is not None:
        print(ctx.get_help(), file=sys.stderr)
        return
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        print(f"用 {ctx.command_path} --help 查看说明。\n", file=sys.stderr)
    print(f"错误 {USAGE_CODE}：{usage_error_text(exc)}", file=sys.stderr)


class ZhGroup(typer.core.TyperGroup):
    """The root group: every command below it speaks Chinese (see the module docstring)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        localize(self)
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=False, **extra)
        except Exception as exc:
            if _is(exc, "Abort"):
                print("已取消。", file=sys.stderr)
                if standalone_mode:
                    sys.exit(1)
                raise
            if not _is(exc, "ClickException"):
                raise
            if not standalone_mode:
                raise
            _show(exc)
            sys.exit(getattr(exc, "exit_code", 2))
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

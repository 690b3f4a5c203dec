"""The `perfeval` command's entry point, and `python -m perfeval …` for when Scripts is not on
PATH (a `pip install --user` on Windows puts perfeval.exe under %APPDATA%\\Python\\Python3xx\\Scripts,
which nobody added to PATH).

`perfeval --version` answers before typer, rich and pydantic are imported — the whole CLI costs
several times Python's own start-up, and a version check should not; everything else is
`perfeval.cli.main`.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        print(f"perfeval {__version__}")
        return
    # pydantic looks for plugins through every installed package's entry points when the first
    # model is built (importlib.metadata, ~10 ms a run); perfeval uses none. A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()

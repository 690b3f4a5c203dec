"""`python -m perfeval …`: the same commands as `perfeval …`.

For a Python whose Scripts folder is not on PATH (a `pip install --user` on Windows puts
perfeval.exe under %APPDATA%\\Python\\Python3xx\\Scripts, which nobody added to PATH).
"""

from perfeval.cli import main

if __name__ == "__main__":
    main()

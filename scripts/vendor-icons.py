#!/usr/bin/env python3
"""Writes crates/kontor/static/vendor/bootstrap-icons/icons.svg: the symbols
of the Bootstrap Icons sprite that Kontor uses, found where the code names
them (`icon("…")` in templates, `icon: "…"` in module descriptors and
`ICON_…` constants). Run it after using a new icon:

    scripts/vendor-icons.py [path/to/unpacked/npm/package]

Without a path it fetches the pinned release with `npm pack`.
"""
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile

VERSION = "1.13.2"
ROOT = pathlib.Path(__file__).resolve().parent.parent
KONTOR = ROOT / "crates" / "kontor"
OUT = KONTOR / "static" / "vendor" / "bootstrap-icons"
USES = [
    re.compile(r'icon\("([a-z0-9-]+)"\)'),
    re.compile(r'\bicon: "([a-z0-9-]+)"'),
    re.compile(r'\bICON_[A-Z_]+: &str = "([a-z0-9-]+)"'),
    re.compile(r'"(file-earmark[a-z0-9-]*)"'),
]


def used_names():
    names = set()
    for path in list(KONTOR.rglob("*.html")) + list(KONTOR.rglob("*.rs")):
        text = path.read_text(encoding="utf-8")
        for pattern in USES:
            names.update(pattern.findall(text))
    return sorted(names)


def package_dir(arg):
    if arg:
        return pathlib.Path(arg)
    tmp = pathlib.Path(tempfile.mkdtemp())
    subprocess.run(["npm", "pack", f"bootstrap-icons@{VERSION}"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    with tarfile.open(next(tmp.glob("bootstrap-icons-*.tgz"))) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "package"


def main():
    package = package_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    sprite = (package / "bootstrap-icons.svg").read_text(encoding="utf-8")
    symbols = {}
    for whole, name in re.findall(r'(<symbol[^>]*\bid="([a-z0-9-]+)".*?</symbol>)', sprite, re.S):
        symbols[name] = whole
    names = used_names()
    missing = [n for n in names if n not in symbols]
    if missing:
        sys.exit(f"not in Bootstrap Icons {VERSION}: {', '.join(missing)}")
    OUT.mkdir(parents=True, exist_ok=True)
    body = "\n".join(symbols[n] for n in names)
    (OUT / "icons.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg">\n<!-- Bootstrap Icons {VERSION} (MIT), '
        f'the symbols Kontor uses: scripts/vendor-icons.py -->\n{body}\n</svg>\n',
        encoding="utf-8")
    (OUT / "LICENSE").write_text((package / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{len(names)} icons: {' '.join(names)}")


if __name__ == "__main__":
    main()

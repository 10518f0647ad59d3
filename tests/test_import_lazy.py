"""`import biopipe` leaves the standard-library modules it needs only for files and the slow JSON paths unloaded."""

from __future__ import annotations

import subprocess
import sys

LAZY = ("pathlib", "json", "tempfile", "shutil", "urllib.parse", "fnmatch", "orjson", "msgspec")


def test_import_biopipe_leaves_file_and_json_modules_unloaded() -> None:
    """They cost ~5-20 ms of the whole run (more when nothing is compiled yet); each loads on first use."""
    code = f"import sys, biopipe; print(sorted(m for m in {LAZY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_first_use_loads_them() -> None:
    """A dump to a file and a load through the standard library's parser still work from a fresh interpreter."""
    code = (
        "import sys, tempfile, os, biopipe\n"
        "from biopipe.document import _jsonio\n"
        "js212 = biopipe.example('js212')\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        "    path = os.path.join(tmp, 'a.json')\n"
        "    biopipe.dump(js212, path)\n"
        "    text = open(path, encoding='utf-8').read()\n"
        "assert biopipe.load is not None and biopipe.loads(text)['JS212'] == js212\n"
        "doc, _ = _jsonio._parse_exact(text, subject='document')\n"
        "out = []\n"
        "_jsonio._write(doc, '\\n', out)\n"
        "assert ''.join(out) + '\\n' == text\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"

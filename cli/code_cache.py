"""The code dbt's classes generate as text, compiled once per installation, not per process.

Importing dbt makes about 600 dataclasses, and mashumaro gives most of them
serialization methods: both write each method as Python source and `exec` it, about
2,900 times per import (1,270 different sources), and again while dbt loads its parsed
project. Compiling those sources took about 0.7 s of every dbt process on a slow 2-core
machine (importing dbt 2.29 s to 1.54 s with them kept; docs/benchmarks.md, item 24), and
gives the same code every time.

The dbt process (cli.dbt_child) installs `keep` before it imports dbt: the `exec` that
`dataclasses` and mashumaro's code builder call is replaced, for this process only, by
one that takes the code of a source from `python_code.marshal` (Python's `marshal`
format, keyed by a SHA-256 of the source and of the compiler flags `exec` would use) or
compiles it as `exec` would and keeps it. The same globals and locals get the same code,
so the classes are the same. A source naming something with 32 hex digits (mashumaro
names some helpers with a random UUID) differs in every process: it is compiled, never
kept.

The file is kept with the installation's compiled modules, in the `__pycache__` folder
beside this module (or in the folder `SEGMENTS_CODE_CACHE` names; set it empty to keep
nothing), because the import it serves starts before the CLI knows its working folder. It
holds code this process runs, as `__pycache__` does: whoever can write there can already
change the installed code. The file carries Python's version and bytecode magic number; a
file for another, or one that cannot be read, is ignored and written again, and one that
cannot be written costs the next process the compiling, nothing else.
"""

from __future__ import annotations
import __future__

import builtins
import contextlib
import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from cli.dbt_cache import Kept, read_code, save_code

# Names the folder to keep the file in; empty keeps nothing. Unset: DEFAULT_FOLDER.
FOLDER_ENV = "SEGMENTS_CODE_CACHE"
DEFAULT_FOLDER = Path(__file__).resolve().parent / "__pycache__"
CODE_FILE = "python_code.marshal"
# Sources kept at most: past it, a process keeps only the code it used (a build uses
# about 1,500).
MAX_SOURCES = 20_000
# A name made new in every process: mashumaro names some helpers with a random UUID's 32
# hex digits. A source holding one is never the same twice, so it is compiled, not kept.
PER_PROCESS_NAME = re.compile(r"[0-9a-f]{32}")
# The compiler flags of `from __future__` imports, which `exec` passes on from its caller.
FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
# The modules whose `exec` of generated sources is kept: module name, then a name the
# module must define for its `exec` to be the one meant (else it is left alone).
MODULES = (
    ("dataclasses", "_create_fn"),
    ("mashumaro.core.meta.code.builder", "CodeBuilder"),
)


def cache_key() -> str:
    """What a compiled code object depends on beyond its source: the interpreter's version,
    its bytecode magic number, and the optimization level."""
    return (
        f"python-{sys.version.split()[0]} {sys.implementation.name}"
        f" magic-{importlib.util.MAGIC_NUMBER.hex()} optimize-{sys.flags.optimize}"
    )


def folder_from_environment() -> Path | None:
    """The folder to keep the code in: `SEGMENTS_CODE_CACHE`, or DEFAULT_FOLDER when it is
    unset; None when it is set empty."""
    named = os.environ.get(FOLDER_ENV)
    if named is None:
        return DEFAULT_FOLDER
    return Path(named) if named.strip() else None


def source_name(source: str, flags: int) -> str:
    """A source's entry: a SHA-256 of the compiler flags and the source."""
    digest = hashlib.sha256(f"{flags}\0".encode("ascii"))
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def caching_exec(kept: Kept) -> Callable[..., None]:
    """An `exec` that runs a source's kept code (compiled, when not kept, as `exec` would
    compile it in its caller) and anything else as `exec` does."""

    def exec_(
        source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /, **kwargs: Any
    ) -> None:
        caller = sys._getframe(1)
        if globals is None:  # `exec` runs in its caller's namespaces
            globals = caller.f_globals
            if locals is None:
                locals = caller.f_locals
        if not isinstance(source, str) or kwargs:
            builtins.exec(source, globals, locals, **kwargs)
            return
        flags = caller.f_code.co_flags & FUTURE_FLAGS

        def compiled() -> CodeType:
            return compile(source, "<string>", "exec", flags, dont_inherit=True)

        if PER_PROCESS_NAME.search(source):
            code = compiled()
        else:
            code = kept.get(source_name(source, flags), compiled)
        builtins.exec(code, globals, locals)

    return exec_


def patch_module(module: ModuleType, marker: str, exec_: Callable[..., None]) -> bool:
    """Make `module`'s `exec` the caching one, when the module is the one expected."""
    if not hasattr(module, marker) or "exec" in vars(module):
        return False
    module.exec = exec_  # type: ignore[attr-defined]
    return True


def save(kept: Kept) -> None:
    """Write the code this process compiled and did not find kept."""
    save_code(kept, MAX_SOURCES)


def keep(folder: Path) -> Kept | None:
    """Keep the code of the sources `dataclasses` and mashumaro generate in `folder`, for
    the rest of this process (`save` writes it); None (and both left as they are) when
    neither is found."""
    key = cache_key()
    path = folder / CODE_FILE
    kept = Kept(path, key, read_code(path, key))
    exec_ = caching_exec(kept)
    patched = False
    for name, marker in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        patched = patch_module(module, marker, exec_) or patched
    if not patched:
        return None
    with contextlib.suppress(OSError):  # otherwise the write fails, quietly
        folder.mkdir(parents=True, exist_ok=True)
    return kept

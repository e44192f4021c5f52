"""The code of the sources dbt's classes generate, compiled once per installation
(cli.code_cache): a real dbt run keeps it, the next one runs it, and the kept code is what
`exec` itself would have compiled."""

from __future__ import annotations
import __future__

import builtins
import marshal
import types
from pathlib import Path

import pytest

from cli import code_cache
from cli.dbt_cache import Kept
from tests.test_launch import build_grid_seed


@pytest.fixture
def code_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of its own for the dbt processes of the test to keep their code in."""
    folder = tmp_path / "code"
    monkeypatch.setenv(code_cache.FOLDER_ENV, str(folder))
    return folder


def kept_code(folder: Path) -> dict[str, types.CodeType]:
    content = marshal.loads((folder / code_cache.CODE_FILE).read_bytes())
    assert content["key"] == code_cache.cache_key()
    return content["code"]


def test_a_dbt_run_keeps_the_code_its_classes_generated(tmp_path: Path, code_folder: Path) -> None:
    run = build_grid_seed(tmp_path / "work")
    assert run.ok, run.output[-2000:]
    code = kept_code(code_folder)
    # The import alone generates about 1,270 different sources.
    assert len(code) > 1000
    assert all(isinstance(value, types.CodeType) for value in code.values())
    # dataclasses' methods and mashumaro's serializers are among them.
    functions = {
        const.co_name
        for value in code.values()
        for const in value.co_consts
        if isinstance(const, types.CodeType)
    }
    assert "__create_fn__" in functions
    assert any("from_dict" in name for name in functions)
    assert any("to_dict" in name for name in functions)


def test_the_next_run_finds_all_its_code_kept(tmp_path: Path, code_folder: Path) -> None:
    # The first run parses the project; the second loads it, with classes of its own.
    assert build_grid_seed(tmp_path / "work").ok
    assert build_grid_seed(tmp_path / "work").ok
    path = code_folder / code_cache.CODE_FILE
    first = path.read_bytes()
    path.touch()
    written = path.stat().st_mtime_ns
    assert build_grid_seed(tmp_path / "work").ok
    # Nothing new to keep: the sources that differ in every process were not kept.
    assert path.stat().st_mtime_ns == written
    assert path.read_bytes() == first


def test_the_next_run_runs_the_kept_code(tmp_path: Path, code_folder: Path) -> None:
    assert build_grid_seed(tmp_path / "work").ok
    path = code_folder / code_cache.CODE_FILE
    content = marshal.loads(path.read_bytes())
    marker = compile("raise RuntimeError('kept_code_marker')", "<string>", "exec")
    content["code"] = {name: marker for name in content["code"]}
    path.write_bytes(marshal.dumps(content))

    run = build_grid_seed(tmp_path / "work")

    # The first class dbt's import made ran the code from the file.
    assert not run.ok
    assert "kept_code_marker" in run.output


def test_a_file_for_another_python_or_unreadable_is_written_again(
    tmp_path: Path, code_folder: Path
) -> None:
    code_folder.mkdir()
    path = code_folder / code_cache.CODE_FILE
    marker = compile("raise RuntimeError('kept_code_marker')", "<string>", "exec")
    for content in (
        marshal.dumps({"key": "python-0.0 another", "code": {"x": marker}}),
        b"not marshal",
    ):
        path.write_bytes(content)
        run = build_grid_seed(tmp_path / "work")
        assert run.ok, run.output[-2000:]
        assert "x" not in kept_code(code_folder)
        assert len(kept_code(code_folder)) > 1000


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(code_cache.FOLDER_ENV, str(blocker / "code"))
    run = build_grid_seed(tmp_path / "work")
    assert run.ok, run.output[-2000:]
    assert not (blocker / "code").exists()


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(code_cache.FOLDER_ENV, raising=False)
    assert code_cache.folder_from_environment() == code_cache.DEFAULT_FOLDER
    assert code_cache.DEFAULT_FOLDER.name == "__pycache__"
    monkeypatch.setenv(code_cache.FOLDER_ENV, "")
    assert code_cache.folder_from_environment() is None
    monkeypatch.setenv(code_cache.FOLDER_ENV, "/somewhere/else")
    assert code_cache.folder_from_environment() == Path("/somewhere/else")


def caller(source: str, flags: int = 0) -> types.CodeType:
    """Code that calls `exec_(<source>, namespace)`, compiled with `flags`."""
    return compile(
        f"namespace = {{}}\nexec_({source!r}, namespace)\n",
        "<caller>",
        "exec",
        flags,
        dont_inherit=True,
    )


def test_kept_code_is_compiled_as_exec_compiles_it_in_its_caller(tmp_path: Path) -> None:
    kept = Kept(tmp_path / code_cache.CODE_FILE, "k", {})
    exec_ = code_cache.caching_exec(kept)
    source = "def f(x: undefined_name) -> None:\n    return None\n"
    annotations = __future__.annotations.compiler_flag

    # A caller with `from __future__ import annotations`: the annotation stays text.
    postponed: dict = {"exec_": exec_}
    builtins.exec(caller(source, annotations), postponed)
    assert postponed["namespace"]["f"].__annotations__ == {
        "x": "undefined_name",
        "return": "None",
    }
    # A caller without it: the annotation is evaluated, as `exec` itself would.
    for run_exec in (exec_, builtins.exec):
        with pytest.raises(NameError, match="undefined_name"):
            builtins.exec(caller(source), {"exec_": run_exec})
    assert len(kept.made) == 2  # one entry per set of flags

    # The same source again takes the kept code.
    again: dict = {"exec_": exec_}
    builtins.exec(caller(source, annotations), again)
    assert len(kept.made) == 2
    assert again["namespace"]["f"].__code__ is postponed["namespace"]["f"].__code__


def test_a_source_with_a_per_process_name_is_run_not_kept() -> None:
    kept = Kept(Path("unused"), "k", {})
    exec_ = code_cache.caching_exec(kept)
    name = "helper_4f0c2b9e8d7a41c3b5e6f7a8b9c0d1e2"  # as mashumaro names some helpers
    source = f"def f(x: undefined_name):\n    return x\n{name} = f\n"
    namespace: dict = {"exec_": exec_}
    flags = __future__.annotations.compiler_flag
    builtins.exec(compile(f"ns = {{}}\nexec_({source!r}, ns)", "<c>", "exec", flags), namespace)
    assert namespace["ns"][name](3) == 3
    assert namespace["ns"]["f"].__annotations__ == {"x": "undefined_name"}
    assert kept.made == {}


def test_exec_without_namespaces_runs_in_its_callers() -> None:
    kept = Kept(Path("unused"), "k", {})
    exec_ = code_cache.caching_exec(kept)
    namespace: dict = {"exec_": exec_}
    builtins.exec("exec_('made_here = 42')", namespace)
    assert namespace["made_here"] == 42
    # Code objects and keyword arguments go to `exec` as they are, and are not kept.
    exec_(compile("y = 1", "<s>", "exec"), namespace)
    assert namespace["y"] == 1
    assert len(kept.made) == 1


def test_a_module_that_is_not_the_one_expected_is_left_alone() -> None:
    module = types.ModuleType("other")
    assert not code_cache.patch_module(module, "_create_fn", print)
    assert "exec" not in vars(module)
    module._create_fn = object()  # type: ignore[attr-defined]
    assert code_cache.patch_module(module, "_create_fn", print)
    assert module.exec is print  # type: ignore[attr-defined]

"""A repository as files: folders and zips read alike, zips checked member by member before
anything is read, and only metadata and data files ever opened (no database)."""

import io
import zipfile
from pathlib import Path

import pytest

from tests.opensdg.conftest import REPOS, zip_folder
from tracker.opensdg import source
from tracker.opensdg.reader import open_repository, read_metadata
from tracker.opensdg.rows import classify
from tracker.opensdg.source import RepositoryError, open_source

pytestmark = pytest.mark.usefixtures("app_ctx")


def archive(members: dict[str, bytes]) -> bytes:
    """Return a zip of the given members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return out.getvalue()


def test_a_zip_with_its_top_folder_lists_the_same_files_as_the_folder() -> None:
    folder = open_source(REPOS / "v2")
    zipped = open_source(zip_folder(REPOS / "v2", top="city-data-main/"))
    try:
        assert zipped.names == folder.names
        assert "data/indicator_10-x-2.csv" in zipped.names
        assert zipped.read_text("indicator-config/10-x-2.yml") == \
            (REPOS / "v2/indicator-config/10-x-2.yml").read_text()
    finally:
        zipped.close()


def test_only_data_and_metadata_files_are_listed() -> None:
    data = archive({"data/indicator_1-1-1.csv": b"Year,Value\n", "run.sh": b"rm -rf /",
                    "data/x.exe": b"MZ", "meta/1-1-1.md": b"---\n---\n",
                    "translations/en.json": b"{}"})
    zipped = open_source(data)
    assert zipped.names == ["data/indicator_1-1-1.csv", "meta/1-1-1.md",
                            "translations/en.json"]
    zipped.close()


def test_too_many_members_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_MEMBERS", 3)
    data = archive({f"data/indicator_1-1-{i}.csv": b"Year,Value\n" for i in range(4)})
    with pytest.raises(RepositoryError, match="more than 3 files"):
        open_source(data)


def test_a_zip_too_large_or_not_a_zip_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setattr(source, "MAX_ZIP_BYTES", 100)
    with pytest.raises(RepositoryError, match="larger than"):
        open_source(b"PK" + b"x" * 200)
    monkeypatch.undo()
    path = tmp_path / "repo.zip"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(RepositoryError, match="not a readable zip"):
        open_source(path)
    with pytest.raises(RepositoryError, match="neither a folder nor a zip"):
        open_source(tmp_path / "missing")


def test_metadata_that_expands_without_end_is_not_read(tmp_path: Path) -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(9)]  # 10 × 8⁹ values from a file of 700 bytes
    (tmp_path / "data").mkdir()
    (tmp_path / "indicator-config").mkdir()
    (tmp_path / "data/indicator_1-1-1.csv").write_text("Year,Value\n2015,1\n")
    (tmp_path / "indicator-config/1-1-1.yml").write_text("\n".join(laughs) + "\n")
    repository = open_repository(open_source(tmp_path))
    assert read_metadata(repository, "1-1-1") == {}
    assert [(p.file, "more than 100000 values" in p.message) for p in repository.problems] \
        == [("indicator-config/1-1-1.yml", True)]


def test_a_header_of_many_columns_is_refused_at_once() -> None:
    header = ["Year", *(f"c{i}" for i in range(200_000)), "Value"]
    assert classify(header, set()) == "The file has more than 200 columns."
    assert classify(["Year", "Sex", "sex", "Value"], set()) == \
        "The column Sex appears twice."

"""Start-up: a web process imports neither WeasyPrint nor Alembic; they load where a PDF is
made or a migration is run (each cost ~0.5 s CPU in every process that started)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Run in a fresh interpreter: the test process has imported everything already.
SERVE_PAGES = """
import json, sys
from sqlmodel import SQLModel
from tracker import create_app
import tracker.models  # every table
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                  "RATELIMIT_ENABLED": False, "INSTANCE_PATH": sys.argv[2]})
with app.app_context():
    SQLModel.metadata.create_all(app.extensions["tracker_db"].engine)
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/", "/login", "/cities/")]
print(json.dumps({"statuses": statuses,
                  "loaded": sorted(m for m in ("weasyprint", "alembic") if m in sys.modules)}))
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[object]]:
    """What a fresh process loaded after creating the app and serving three pages."""
    folder = tmp_path_factory.mktemp("startup")
    url = f"sqlite:///{folder / 'start.db'}"
    result = subprocess.run([sys.executable, "-c", SERVE_PAGES, url, str(folder)],
                            capture_output=True, text=True, check=True, timeout=300,
                            cwd=Path(__file__).resolve().parent.parent)
    answer: dict[str, list[object]] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_serving_pages_does_not_import_weasyprint_or_alembic(
        started: dict[str, list[object]]) -> None:
    assert started["statuses"] == [200, 200, 200]
    assert started["loaded"] == []


def test_the_probe_sees_weasyprint_once_a_pdf_module_is_imported() -> None:
    """The check above can fail: importing the fetcher, as the PDF layout does, loads it."""
    probe = "import sys, tracker.reports.fetch; print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, timeout=300)
    assert result.stdout.strip() == "True"

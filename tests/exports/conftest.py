import csv
import io

import pytest

from exports.tasks import build_export


def download_rows(client, job) -> list[list[str]]:
    response = client.get(f"/exports/{job.token}/download/")
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def run_job():
    def run(job):
        outcome = build_export(job.pk)
        job.refresh_from_db()
        return outcome

    return run

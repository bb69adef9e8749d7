"""moto server for the AWS APIs without a local engine of their own (SES, SQS, S3), started through
``infra.local.moto_app`` (moto's own server plus a read of the mail sent since a point)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3

from infra.local.processes import LOOPBACK, http_answers, start_process, stop_process, wait_until_ready

DEFAULT_EMAIL_SENDER = "support@pulsedesk.local"


REPO_ROOT = Path(__file__).resolve().parents[2]


def moto_server_command(port: int) -> list[str]:
    return [sys.executable, "-m", "infra.local.moto_app", "-H", LOOPBACK, "-p", str(port)]


class MotoServer:
    def __init__(self, port: int, log_dir: Path, region: str) -> None:
        self.port = port
        self.region = region
        self._log_path = log_dir / "moto-server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self._process = start_process(moto_server_command(self.port), self._log_path, cwd=REPO_ROOT)
        ready_url = f"{self.endpoint}/moto-api/"
        wait_until_ready("moto server", self._process, lambda: http_answers(ready_url), self._log_path)

    def verify_sender(self, email: str) -> None:
        """SES refuses unverified senders, in moto as in a sandboxed account."""
        ses = boto3.client("ses", endpoint_url=self.endpoint, region_name=self.region)
        ses.verify_email_identity(EmailAddress=email)

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process)
            self._process = None

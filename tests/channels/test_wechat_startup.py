"""A half-configured WeChat account stops the start, naming what is missing or wrong."""

import subprocess
import sys

import pytest

from scripts.processes import ROOT, free_port, start_rasa, write_endpoints

AES_KEY = "P9Ryxdfxi6xNJPYLUL8kNm7U+fj0inX7KGhMSCmkSWs"


@pytest.mark.parametrize(
    "env, named",
    [
        ({"WECHAT_TOKEN": "t", "WECHAT_ENCODING_AES_KEY": AES_KEY}, "WECHAT_APP_ID"),
        ({"WECHAT_TOKEN": "t", "WECHAT_APP_ID": "wx0123456789abcdef"}, "WECHAT_ENCODING_AES_KEY"),
        ({"WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s"}, "WECHAT_TOKEN"),
    ],
)
def test_run_sh_composing_the_credentials_stops_naming_the_missing_variable(env, named):
    done = subprocess.run(
        [sys.executable, "-m", "channels.platforms", "credentials.yml"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert named in done.stderr and "wechat" in done.stderr


def test_rasa_refuses_an_encoding_aes_key_that_is_not_one(tmp_path):
    env = {
        "WECHAT_TOKEN": "t",
        "WECHAT_APP_ID": "wx0123456789abcdef",
        "WECHAT_ENCODING_AES_KEY": "too-short",
    }
    endpoints = write_endpoints(tmp_path, free_port(), tmp_path / "conversations.db")
    rasa = start_rasa(free_port(), endpoints, tmp_path, env=env)
    try:
        code = rasa.popen.wait(timeout=240)
    finally:
        rasa.stop()
    assert code != 0
    assert "WECHAT_ENCODING_AES_KEY" in rasa.log.read_text(errors="replace")

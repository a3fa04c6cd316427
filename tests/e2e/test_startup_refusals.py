"""What stops the start, as the servers are really started (`sscard`): never a half-working
server that loses conversations, skips its checks or runs a model it cannot trust."""

import shutil
import subprocess

import yaml

from knowledge.base import DATA_DIR, KNOWLEDGE_DIR_VARIABLE
from tests.servers import MODEL, free_port, start_action_server, start_rasa, write_endpoints


def exit_and_log(process, timeout=240):
    """Wait for a server that must refuse to start; its exit status and log."""
    try:
        code = process.popen.wait(timeout=timeout)
    finally:
        process.stop()
    return code, process.log.read_text(errors="replace")


def test_the_action_server_refuses_a_broken_knowledge_file(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, knowledge)
    topics = yaml.safe_load((knowledge / "topics.yml").read_text(encoding="utf-8"))
    del topics["topics"]["materials"]["answer"][0]["zh"]
    (knowledge / "topics.yml").write_text(
        yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8"
    )
    code, log = exit_and_log(
        start_action_server(free_port(), tmp_path, env={KNOWLEDGE_DIR_VARIABLE: str(knowledge)})
    )
    assert code != 0
    assert "topics.yml" in log and "materials.answer.0.zh" in log


def test_the_action_server_starts_with_an_intact_copy(tmp_path):
    # The same start with an unbroken copy: the refusal above is the file, not the setting.
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, knowledge)
    process = start_action_server(
        free_port(), tmp_path, env={KNOWLEDGE_DIR_VARIABLE: str(knowledge)}
    )
    try:
        assert process.popen.wait(timeout=20) is None
    except subprocess.TimeoutExpired:
        pass  # still running, as it should
    finally:
        process.stop()
    assert "Knowledge module loaded" in process.log.read_text(errors="replace")


def test_rasa_refuses_a_tracker_store_it_cannot_load(tmp_path):
    endpoints = write_endpoints(tmp_path, free_port(), tmp_path / "conversations.db")
    config = yaml.safe_load(endpoints.read_text(encoding="utf-8"))
    config["tracker_store"]["type"] = "tracker_store.not_shipped.TrackerStore"
    endpoints.write_text(yaml.safe_dump(config), encoding="utf-8")
    code, log = exit_and_log(start_rasa(free_port(), endpoints, tmp_path))
    assert code != 0
    assert "tracker_store.not_shipped.TrackerStore" in log and "cannot be loaded" in log


def test_rasa_refuses_a_model_that_is_not_the_one_trained_here(tmp_path):
    model = tmp_path / "sscard.tar.gz"
    shutil.copyfile(MODEL, model)
    (tmp_path / "sscard.tar.gz.sha256").write_text("0" * 64 + "  sscard.tar.gz\n")
    endpoints = write_endpoints(tmp_path, free_port(), tmp_path / "conversations.db")
    code, log = exit_and_log(start_rasa(free_port(), endpoints, tmp_path, model=model))
    assert code != 0
    assert "refusing to load" in log
    assert "Rasa server is up" not in log

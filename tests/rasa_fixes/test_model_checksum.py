"""rasa_fixes/model_checksum.py: a model loads only with the checksum recorded at training."""

import shutil

import pytest

import rasa_fixes
from rasa_fixes import model_checksum
from rasa_fixes.model_checksum import ModelChecksumError, checksum_file, record, verify
from tests.servers import MODEL

rasa_fixes.install()


@pytest.fixture
def model_copy(tmp_path):
    copy = tmp_path / "model.tar.gz"
    shutil.copyfile(MODEL, copy)
    return copy


def test_the_trained_model_carries_its_recorded_checksum():
    verify(MODEL)


def test_a_model_without_a_recorded_checksum_is_refused(model_copy):
    with pytest.raises(ModelChecksumError, match="no recorded checksum"):
        verify(model_copy)


def test_a_changed_model_is_refused_and_an_unchanged_one_loads(model_copy):
    from rasa.core.agent import Agent

    record(model_copy)
    assert Agent.load(str(model_copy)).is_ready()
    with open(model_copy, "ab") as archive:
        archive.write(b"\0")
    with pytest.raises(ModelChecksumError, match="is not the recorded"):
        Agent.load(str(model_copy))


def test_the_environment_can_pin_the_expected_checksum(model_copy, monkeypatch):
    monkeypatch.setenv(model_checksum.ENVIRONMENT_VARIABLE, model_checksum.sha256(model_copy))
    verify(model_copy)
    monkeypatch.setenv(model_checksum.ENVIRONMENT_VARIABLE, "0" * 64)
    checksum_file(model_copy).write_text(model_checksum.sha256(model_copy))
    with pytest.raises(ModelChecksumError):
        verify(model_copy)

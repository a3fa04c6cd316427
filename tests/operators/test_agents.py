"""The agents' secrets file: hashes only, verified in constant time."""

import pytest

from operators.agents import read_agents, remove_agent, secret_matches, set_agent


def test_an_agent_logs_in_with_their_secret_and_no_other(tmp_path):
    path = tmp_path / "agents.yml"
    set_agent(path, "li", "correct horse battery")
    set_agent(path, "王芳", "another long secret")
    agents = read_agents(path)
    assert secret_matches("correct horse battery", agents["li"])
    assert not secret_matches("correct horse batterY", agents["li"])
    assert not secret_matches("another long secret", agents["li"])
    assert "correct horse battery" not in path.read_text(encoding="utf-8")
    assert remove_agent(path, "li") and list(read_agents(path)) == ["王芳"]


@pytest.mark.parametrize("name, secret", [("li", "short"), ("bad name!", "long enough secret")])
def test_weak_secrets_and_odd_names_are_refused(tmp_path, name, secret):
    with pytest.raises(ValueError):
        set_agent(tmp_path / "agents.yml", name, secret)


def test_a_missing_file_means_no_agents(tmp_path):
    assert read_agents(tmp_path / "none.yml") == {}
    assert not secret_matches("anything", "not-a-hash")

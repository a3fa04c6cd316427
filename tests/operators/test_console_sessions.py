"""The console's session cookies: signed, expiring, and only for agents who still exist."""

from channels.agent_console import SESSION_SECONDS, Sessions
from operators.agents import set_agent


def test_a_session_is_the_agent_s_until_it_expires_or_is_tampered_with(tmp_path, monkeypatch):
    agents = tmp_path / "agents.yml"
    set_agent(agents, "li", "correct horse battery")
    monkeypatch.setenv("SSCARD_AGENTS_FILE", str(agents))
    sessions = Sessions(b"k" * 32)
    cookie = sessions.issue("li", now=1000.0)
    assert sessions.agent(cookie, now=1000.0 + SESSION_SECONDS - 1) == "li"
    assert sessions.agent(cookie, now=1000.0 + SESSION_SECONDS + 1) is None
    assert Sessions(b"x" * 32).agent(cookie, now=1000.0) is None
    body, signature = cookie.rsplit(".", 1)
    assert sessions.agent(body.replace("l", "m", 1) + "." + signature, now=1000.0) is None
    assert sessions.agent(sessions.issue("wang", now=1000.0), now=1000.0) is None  # not an agent
    assert sessions.agent(None) is None and sessions.agent("garbage") is None

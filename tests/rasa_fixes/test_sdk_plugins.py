"""rasa_fixes/sdk_plugins.py: the action server does not start without its plugins."""

import builtins

import pluggy
import pytest
import rasa_sdk.plugin

import rasa_fixes

rasa_fixes.install()


def test_the_project_plugins_are_registered():
    manager = pluggy.PluginManager("rasa_sdk")
    rasa_sdk.plugin._discover_plugins(manager)
    assert {type(plugin).__name__ for plugin in manager.get_plugins()} >= {
        "KnowledgeAtStartup",
        "SharedSecret",
        "FrozenStartupObjects",
    }


def test_a_missing_plugin_package_is_an_error(monkeypatch):
    real_import = builtins.__import__

    def without_plugins(name, *args, **kwargs):
        if name == "rasa_sdk_plugins":
            raise ModuleNotFoundError("No module named 'rasa_sdk_plugins'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_plugins)
    with pytest.raises(ModuleNotFoundError):
        rasa_sdk.plugin._discover_plugins(pluggy.PluginManager("rasa_sdk"))

"""Action server plugins (rasa_sdk imports a package of this name at start-up; the
project's launcher makes a missing one an error, rasa_fixes/sdk_plugins.py).

- The knowledge files are loaded and validated when the server starts: a broken file
  stops the start, naming the file and the field, instead of failing the first question.
- When ACTION_SERVER_SECRET is set, the action server answers only requests that carry
  it in the X-Action-Server-Secret header, i.e. only Rasa (endpoints.yml sends it).
- Once it listens, the objects loaded at start-up (the knowledge module, the word lists)
  are frozen out of the garbage collector's full collections, as in Rasa
  (rasa_fixes/gc_freeze.py).
"""

import gc
import hmac
import logging
import os

import pluggy
from sanic import Sanic, response

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Action-Server-Secret"
hookimpl = pluggy.HookimplMarker("rasa_sdk")


class KnowledgeAtStartup:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        from knowledge import load_knowledge

        knowledge = load_knowledge()  # raises KnowledgeError on a broken file
        logger.info(
            f"Knowledge module loaded: {len(knowledge.topics)} topics, "
            f"{len(knowledge.regions)} places"
        )


class SharedSecret:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        secret = os.environ.get("ACTION_SERVER_SECRET")
        if not secret:
            return
        logger.info("Action server accepts only requests with the shared secret")

        @app.middleware("request")
        async def require_secret(request):
            if request.path == "/health":
                return None
            sent = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(sent.encode(), secret.encode()):
                return response.json({"error": "forbidden"}, status=401)
            return None


class FrozenStartupObjects:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        async def freeze(app, loop) -> None:
            gc.collect()
            gc.freeze()
            logger.debug(f"gc: {gc.get_freeze_count()} start-up objects frozen")

        app.register_listener(freeze, "after_server_start")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(KnowledgeAtStartup())
    manager.register(SharedSecret())
    manager.register(FrozenStartupObjects())

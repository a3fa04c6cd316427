"""The single source of every answer: data files in `knowledge/data/` and a small API."""

from knowledge.base import Button, KnowledgeBase, KnowledgeError, Reply, load_knowledge
from knowledge.regions import RegionDirectory
from knowledge.schema import LANGUAGES, Region

__all__ = [
    "LANGUAGES",
    "Button",
    "KnowledgeBase",
    "KnowledgeError",
    "Region",
    "RegionDirectory",
    "Reply",
    "load_knowledge",
]

"""The project's own spaCy pipeline: a bilingual tokenizer and an entity ruler for places.

Pretrained spaCy models cannot be downloaded here, and the assistant needs none:
it needs Chinese segmented into words and place names found, both fed from the
knowledge module. `build.py` writes the pipeline to disk; Rasa's SpacyNLP loads it
from that path, and spaCy finds the tokenizer through this package's entry point.
"""

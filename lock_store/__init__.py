"""Conversation lock stores for running several Rasa instances and workers at once."""

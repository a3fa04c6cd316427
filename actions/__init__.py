"""Rasa SDK action server: thin actions that ask the knowledge module and send its reply."""

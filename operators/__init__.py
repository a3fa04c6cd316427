"""The office's side of the assistant: hand-over to a person, feedback, left messages.

Everything here runs in the Rasa process and keeps its rows in the tracker store's own
database (SQLite by default, PostgreSQL in the scale-out profile), next to the events.
"""

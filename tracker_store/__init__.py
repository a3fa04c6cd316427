"""Tracker stores: where Rasa keeps each conversation's events between messages."""

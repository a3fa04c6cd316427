"""Rasa input channels of this assistant: the webhooks, the widget's socket.io and the
messaging platforms. Changes to Rasa's own behaviour live in rasa_fixes/, not here."""

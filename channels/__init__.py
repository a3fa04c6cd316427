"""Rasa input channels of this assistant: REST webhooks with validated input and a `custom` payload."""

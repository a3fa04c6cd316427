"""Rasa input channels of this assistant, and the fixes to Rasa that load with them.

Rasa imports the configured channels when it starts, before any message: that makes
this package the place where the project's changes to Rasa's own behaviour apply.
"""
from channels import action_request, action_response, event_types

action_request.install()
action_response.install()
event_types.install()

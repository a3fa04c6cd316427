"""Custom Rasa NLU components of this assistant."""

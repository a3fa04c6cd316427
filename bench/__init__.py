"""`make bench`: the project's configuration against Rasa's stock one (see bench/run.py)."""

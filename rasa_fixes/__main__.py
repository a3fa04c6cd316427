"""python -m rasa_fixes ARGS: the same as the `sscard` launcher."""

from rasa_fixes.launcher import main

main()

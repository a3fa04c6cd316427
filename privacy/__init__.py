"""Personal data (PIPL): what is recognised in a message, how it is masked, how long
conversations are kept and how one person's conversation is deleted."""

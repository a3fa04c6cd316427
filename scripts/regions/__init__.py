"""The region directory's generator: China's administrative divisions from a maintained dataset."""

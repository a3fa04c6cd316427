"""How well the assistant understands the held-out test sentences (tests/nlu/): the test
gates (`make test-nlu`) and the benchmark (`make bench`) both measure through this package."""

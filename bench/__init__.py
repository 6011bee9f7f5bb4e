"""The benchmark and its tools (`make bench`, `make profile`, the data
generator): imported by no server code; run as `python -m bench.run` etc."""

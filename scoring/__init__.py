"""newsscore: score how news articles are reported, with the evidence behind every number."""

__version__ = "0.1.0"

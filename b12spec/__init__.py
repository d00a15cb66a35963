"""b12spec: the vitamin B12 deficiency guideline as executable DMN-style decision tables."""

__version__ = "0.1.0"

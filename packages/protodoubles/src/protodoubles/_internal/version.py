"""The distribution's version, as the package reports it (``protodoubles.__version__``)."""

__version__ = "0.2.0"

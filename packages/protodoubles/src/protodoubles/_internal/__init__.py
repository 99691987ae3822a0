"""The implementation of protodoubles, by stage: ``gen`` (load, model, render, check), ``doubles``,
``annotate`` and ``plugin``. Nothing here is public API: import from ``protodoubles``."""

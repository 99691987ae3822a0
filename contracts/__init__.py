"""This project's generated protocols (``python tools/gen_protocol.py`` writes them; see [tool.gen_protocol]).

The tool that generates them and builds doubles from them is the ``protodoubles`` distribution
(``packages/protodoubles``); nothing here is hand-written but this file.
"""

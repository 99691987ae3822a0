"""Real SDK objects for doubles to return, built in one call and validated by the SDK's own models:
``protodoubles.builders.openai`` (``pip install 'protodoubles[openai]'``) and
``protodoubles.builders.anthropic`` (``pip install 'protodoubles[anthropic]'``). Importing this package
imports neither SDK."""

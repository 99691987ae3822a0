"""What the SDK builders (``protodoubles.builders``) share: no SDK is imported here."""

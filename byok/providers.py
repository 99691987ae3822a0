"""The providers the handler knows: wire protocol, key and endpoint variables, public endpoints."""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from byok.errors import InvalidRequestError

Wire = Literal["openai", "anthropic"]


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    provider_id: str
    wire: Wire
    key_env: tuple[str, ...]
    base_url_env: str
    default_base_url: str
    stream_usage_option: bool = True  # send stream_options={"include_usage": True}


PROVIDERS: Mapping[str, ProviderSpec] = {
    spec.provider_id: spec
    for spec in (
        ProviderSpec("openai", "openai", ("OPENAI_API_KEY",), "OPENAI_BASE_URL", "https://api.openai.com/v1"),
        ProviderSpec("anthropic", "anthropic", ("ANTHROPIC_API_KEY",), "ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
        ProviderSpec("deepseek", "openai", ("DEEPSEEK_API_KEY",), "DEEPSEEK_BASE_URL", "https://api.deepseek.com/v1"),
        ProviderSpec(
            "gemini",
            "openai",
            ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            "GEMINI_BASE_URL",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
        ),
        ProviderSpec("moonshot", "openai", ("MOONSHOT_API_KEY",), "MOONSHOT_BASE_URL", "https://api.moonshot.ai/v1"),
        # Mistral reports usage in its last stream chunk on its own and does not take stream_options.
        ProviderSpec("mistral", "openai", ("MISTRAL_API_KEY",), "MISTRAL_BASE_URL", "https://api.mistral.ai/v1", False),
    )
}


def keys_from_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The key of every provider whose key variable is set and not blank."""
    env = os.environ if env is None else env
    keys: dict[str, str] = {}
    for spec in PROVIDERS.values():
        for name in spec.key_env:
            value = env.get(name, "").strip()
            if value:
                keys[spec.provider_id] = value
                break
    return keys


def checked_keys(api_keys: Mapping[str, object]) -> dict[str, str]:
    """The non-blank keys of ``api_keys``; a key that is not a str is bad input (its value is never shown)."""
    keys: dict[str, str] = {}
    for provider_id, key in api_keys.items():
        if not isinstance(key, str):
            raise InvalidRequestError(f"api_keys[{provider_id!r}] must be a str, got {type(key).__name__}")
        if key.strip():
            keys[provider_id] = key.strip()
    return keys


def check_key(provider_id: str, key: str) -> str:
    """``key`` if it can go into an HTTP header as it is: printable ASCII, else InvalidRequestError (which
    says what is wrong, never the key)."""
    if not key.isascii() or not key.isprintable():
        raise InvalidRequestError(f"the API key of {provider_id!r} contains a control or non-ASCII character: a key is printable ASCII")
    return key


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its user and password, and those two (percent-decoded), or None when it has none.
    They are sent as HTTP basic auth, as the HTTP client would send them, so that no URL that is logged,
    shown or put in an error ever carries them."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return bare, (urllib.parse.unquote(user), urllib.parse.unquote(password))


def public_url(url: str) -> str:
    """``url`` as it may be shown: with ``***`` for its user and password."""
    bare, credentials = split_credentials(url)
    return bare if credentials is None else bare.replace("://", "://***@", 1)


def check_base_url(provider_id: str, url: str) -> str:
    """``url`` if it is an absolute http(s) URL with a host, else InvalidRequestError. The URL itself is
    not repeated in the message: it may carry credentials."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # parsing the port is what rejects "host:notaport"
    except ValueError as exc:
        raise InvalidRequestError(f"the base URL of {provider_id!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError(f"the base URL of {provider_id!r} must be an http:// or https:// URL with a host")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidRequestError(f"the base URL of {provider_id!r} contains whitespace or control characters")
    return url


def base_url_for(provider_id: str, overrides: Mapping[str, str], env: Mapping[str, str] | None = None) -> str:
    spec = PROVIDERS[provider_id]
    env = os.environ if env is None else env
    return overrides.get(provider_id) or env.get(spec.base_url_env, "").strip() or spec.default_base_url


def mask_key(key: str) -> str:
    """A key as it may be shown to a person: its length and last four characters at most."""
    if len(key) < 12:
        return "*" * len(key)
    return f"{'*' * 8}{key[-4:]}"


_KEYLIKE = re.compile(r"\b(?:sk|key|pk|api)[-_][A-Za-z0-9_\-*.]{6,}", re.IGNORECASE)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every given secret and anything shaped like an API key replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)

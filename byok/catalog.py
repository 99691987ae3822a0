"""The model catalog: prices, context windows and tiers, read from the package's data file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

from byok.errors import InvalidRequestError
from byok.types import ModelInfo

TIER_NAMES: Mapping[int, str] = {1: "economy", 2: "standard", 3: "premium"}


class ModelCatalog:
    """An immutable set of models, looked up by name or by provider."""

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self._by_name: dict[str, ModelInfo] = {}
        self._by_provider: dict[str, list[ModelInfo]] = {}
        for info in models:
            if info.model in self._by_name:
                raise ValueError(f"model {info.model!r} is listed twice in the catalog")
            self._by_name[info.model] = info
            self._by_provider.setdefault(info.provider_id, []).append(info)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelCatalog:
        try:
            return cls(
                ModelInfo(
                    model=str(row["model"]),
                    provider_id=str(row["provider"]),
                    input_usd_per_mtok=float(row["input"]),
                    output_usd_per_mtok=float(row["output"]),
                    context_window=int(row["context"]),
                    tier=int(row["tier"]),
                )
                for row in data["models"]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed model catalog: {exc!r}") from exc

    @classmethod
    def default(cls) -> ModelCatalog:
        text = resources.files("byok").joinpath("data/models.json").read_text(encoding="utf-8")
        return cls.from_json(json.loads(text))

    def get(self, model: str) -> ModelInfo | None:
        return self._by_name.get(model)

    def require(self, model: str) -> ModelInfo:
        info = self._by_name.get(model)
        if info is None:
            raise InvalidRequestError(f"unknown model {model!r}; known models: {', '.join(sorted(self._by_name))}")
        return info

    def for_provider(self, provider_id: str) -> list[ModelInfo]:
        return list(self._by_provider.get(provider_id, ()))

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

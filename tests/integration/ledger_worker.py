"""One worker process of the shared-budget tests: a BYOKHandler on the shared ledger sends N requests at
once to the loopback providers and prints, as one JSON line, how each ended.

    python -m tests.integration.ledger_worker CONFIG_JSON

CONFIG_JSON: a WorkerConfig.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from typing import NotRequired, TypedDict

import byok.handler
from byok import BYOKHandler
from byok.errors import BudgetExceededError, BudgetStoreError


class WorkerConfig(TypedDict):
    base_urls: dict[str, str]
    budget_url: str
    budget_key: str
    budget_usd: float
    requests: int
    prompt: str
    max_tokens: int
    timeout_s: float
    lease_grace_s: NotRequired[float]


async def run(config: WorkerConfig) -> Counter[str]:
    if "lease_grace_s" in config:  # the kill test waits for a lease to expire: a short one keeps it quick
        byok.handler.LEASE_GRACE_S = config["lease_grace_s"]
    providers = list(config["base_urls"])
    handler = BYOKHandler(
        api_keys={p: f"sk-{p}-worker-0123456789abcdef" for p in providers},
        base_urls=config["base_urls"],
        budget_usd=config["budget_usd"],
        budget_url=config["budget_url"],
        budget_key=config["budget_key"],
        timeout_s=config["timeout_s"],
    )

    async def one(index: int) -> str:
        provider_id = providers[index % len(providers)]
        try:
            await handler.generate_response(
                [{"role": "user", "content": config["prompt"]}], provider_id=provider_id, max_tokens=config["max_tokens"]
            )
        except BudgetExceededError:
            return "over budget"
        except BudgetStoreError as exc:
            return f"ledger {exc.problem}"
        except Exception as exc:  # reported, and the test fails on it
            return f"{type(exc).__name__}: {exc}"[:300]
        return "ok"

    try:
        return Counter(await asyncio.gather(*(one(i) for i in range(config["requests"]))))
    finally:
        await handler.aclose()


def main() -> None:
    config: WorkerConfig = json.loads(sys.argv[1])
    ended = asyncio.run(run(config))
    print(json.dumps(dict(ended)), flush=True)


if __name__ == "__main__":
    main()

"""BYOKHandler: chat with six LLM providers through the user's own keys."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Self

from byok.adapters import adapter_module, build_adapter
from byok.adapters.base import ProviderAdapter
from byok.attempts import Plan, Step, begin, charge, charge_unanswered, no_provider_message, plan_request
from byok.budget import Budget
from byok.catalog import ModelCatalog
from byok.deadline import Deadline, within
from byok.errors import (
    AllProvidersFailedError,
    Attempt,
    InvalidRequestError,
    NoProvidersConfiguredError,
    ProviderError,
    StreamInterruptedError,
)
from byok.health import HealthTracker
from byok.ledger import BudgetStatus, Ledger, LocalLedger, budget_place, open_ledger
from byok.providers import PROVIDERS, base_url_for, check_base_url, check_key, checked_keys, keys_from_env
from byok.routing import DEFAULT_OUTPUT_TOKENS, analyze_query_complexity, estimate_tokens, rank_routes, truncate_text
from byok.types import ChatResult, Message, ModelInfo, QueryComplexity, Route, RoutingInfo, StreamChunk
from byok.validation import positive_int, positive_number

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024  # a whole reply, after decompression
MAX_RESPONSE_BYTES = 1 << 40  # the largest max_response_bytes: 1 TiB
LEASE_GRACE_S: float = 30.0  # a shared ledger's lease outlives the attempt's timeout by this much
ROUTE_CACHE_SIZE = 256  # rankings kept per handler (by complexity, preference and token counts)


class BYOKHandler:
    """Chat with OpenAI, Anthropic, DeepSeek, Gemini, Moonshot and Mistral through the user's own keys.

    Requests are routed by complexity and cost, fail over to the next provider on retryable errors,
    stream without ever replaying text, and stay within an optional budget.
    """

    # Writing any other attribute fails at run time (a test cannot bolt state onto the real handler).
    __slots__ = (
        "_available",
        "_base_urls",
        "_built_on",
        "_clients",
        "_guards",
        "_keys",
        "_owned",
        "_routes",
        "_routes_of",
        "budget",
        "catalog",
        "health",
        "idle_timeout_s",
        "ledger",
        "max_response_bytes",
        "timeout_s",
    )

    idle_timeout_s: float | None
    max_response_bytes: int
    _available: tuple[str, ...]
    _routes: dict[tuple[QueryComplexity, bool, int, int], list[Route]]
    _routes_of: ModelCatalog | None

    def __init__(
        self,
        *,
        api_keys: Mapping[str, str] | None = None,
        base_urls: Mapping[str, str] | None = None,
        budget_usd: float | None = None,
        budget_url: str | None = None,
        budget_key: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clients: Mapping[str, ProviderAdapter] | None = None,
        catalog: ModelCatalog | None = None,
        failure_threshold: int = 3,
        cooldown_s: float = 30.0,
        idle_timeout_s: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        """Every setting is checked here: a bad one raises InvalidRequestError before anything is sent.

        ``timeout_s`` bounds each attempt as a whole, from connecting to the last byte of the reply;
        ``idle_timeout_s`` (optional) bounds each wait for the next piece of a stream;
        ``max_response_bytes`` bounds the size of a reply after decompression;
        ``budget_url`` (a ``redis://`` URL, else BYOK_BUDGET_URL) shares ``budget_usd`` with every worker
        that names the same server and ``budget_key`` (else BYOK_BUDGET_KEY, else "default").
        """
        keys = keys_from_env() if api_keys is None else checked_keys(api_keys)
        for where, ids in (("api_keys", keys), ("base_urls", base_urls or {}), ("clients", clients or {})):
            unknown = sorted(set(ids) - set(PROVIDERS))
            if unknown:
                raise InvalidRequestError(f"unknown provider(s) in {where}: {unknown}; known: {list(PROVIDERS)}")
        timeout_s = positive_number("timeout_s", timeout_s)
        self.idle_timeout_s = None if idle_timeout_s is None else positive_number("idle_timeout_s", idle_timeout_s)
        self.max_response_bytes = positive_int("max_response_bytes", max_response_bytes, at_most=MAX_RESPONSE_BYTES)
        for provider_id, key in keys.items():
            check_key(provider_id, key)
            check_base_url(provider_id, base_url_for(provider_id, base_urls or {}))
        self._keys = keys
        self._base_urls = dict(base_urls or {})
        self._clients: dict[str, ProviderAdapter] = dict(clients or {})
        self._owned: list[ProviderAdapter] = []
        self._built_on: dict[str, asyncio.AbstractEventLoop] = {}  # the event loop each owned client belongs to
        self._guards: dict[str, AsyncGenerator[None]] = {}  # one per owned client: see _close_with_loop
        self._available = tuple(p for p in PROVIDERS if p in keys or p in self._clients)
        self._routes, self._routes_of = {}, None
        self.timeout_s = timeout_s
        self.catalog: ModelCatalog = catalog or ModelCatalog.default()
        self.ledger: Ledger = open_ledger(budget_usd, budget_place(budget_url, budget_key), lease_s=timeout_s + LEASE_GRACE_S)
        self.budget: Budget = self.ledger.local  # what this handler spent and holds
        if not isinstance(self.ledger, LocalLedger):  # a shared ledger's deadline counts event-loop time: import the
            for module in sorted({adapter_module(p) for p in keys}):  # SDKs now, not while a reservation is in flight
                importlib.import_module(module)
        self.health = HealthTracker(
            threshold=positive_int("failure_threshold", failure_threshold),
            cooldown_s=positive_number("cooldown_s", cooldown_s, allow_zero=True),
        )

    def __repr__(self) -> str:
        return f"BYOKHandler(providers={self.get_available_providers()!r}, spent_usd={self.total_cost_usd:.6f})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the SDK clients this handler created (injected clients belong to their owner). A client
        built on another event loop is let go: its connections went with that loop."""
        loop = asyncio.get_running_loop()
        for client in list(self._owned):
            guard = self._guards.get(client.provider_id)
            if guard is not None and self._built_on.get(client.provider_id) is loop:
                await guard.aclose()  # closes the client
            self._forget(client)
        await self.ledger.aclose()

    # ----- providers, routing and costs -------------------------------------------------------------

    def get_available_providers(self) -> list[str]:
        """Providers with a key or an injected client, in the handler's fixed provider order."""
        return list(self._available)

    def analyze_query_complexity(self, prompt: str, task_type: str | None = None) -> QueryComplexity:
        return analyze_query_complexity(prompt, task_type)

    def get_ranked_providers(
        self,
        complexity: QueryComplexity = QueryComplexity.MODERATE,
        *,
        prefer_cost: bool = True,
        input_tokens: int = 0,
        output_tokens: int = DEFAULT_OUTPUT_TOKENS,
    ) -> list[Route]:
        """The failover chain: one route per available provider whose models fit, best first;
        providers that keep failing go last."""
        key = (complexity, prefer_cost, input_tokens, output_tokens)
        if self._routes_of is not self.catalog or len(self._routes) >= ROUTE_CACHE_SIZE:
            self._routes, self._routes_of = {}, self.catalog
        routes = self._routes.get(key)
        if routes is None:  # the catalog and the providers are fixed, so a ranking can be reused
            routes = rank_routes(
                self.catalog,
                self._available,
                complexity,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                prefer_cost=prefer_cost,
            )
            self._routes[key] = routes
        order = self.health.order([r.provider_id for r in routes])
        return sorted(routes, key=lambda r: order.index(r.provider_id))

    def get_optimal_provider(
        self, complexity: QueryComplexity = QueryComplexity.MODERATE, *, prefer_cost: bool = True, input_tokens: int = 0
    ) -> Route:
        routes = self.get_ranked_providers(complexity, prefer_cost=prefer_cost, input_tokens=input_tokens)
        if not routes:
            raise NoProvidersConfiguredError(no_provider_message())
        return routes[0]

    def get_routing_info(self, prompt: str, task_type: str | None = None) -> RoutingInfo:
        complexity = analyze_query_complexity(prompt, task_type)
        tokens = estimate_tokens(prompt)
        return RoutingInfo(complexity, tokens, tuple(self.get_ranked_providers(complexity, input_tokens=tokens)))

    def get_context_window(self, model: str) -> int:
        return self.catalog.require(model).context_window

    def truncate_to_context(self, text: str, model: str, reserve_tokens: int = 1000) -> str:
        """The newest part of ``text`` that fits the model's window with ``reserve_tokens`` left over."""
        return truncate_text(text, self.get_context_window(model) - reserve_tokens)

    def get_cheapest_models(self, limit: int = 5) -> list[ModelInfo]:
        """The available providers' models, cheapest first (input plus output price per million tokens)."""
        available = set(self.get_available_providers())
        models = [m for m in self.catalog if m.provider_id in available]
        models.sort(key=lambda m: (m.input_usd_per_mtok + m.output_usd_per_mtok, m.model))
        return models[:limit]

    @property
    def total_cost_usd(self) -> float:
        return self.budget.spent_usd

    def costs_by_provider(self) -> dict[str, float]:
        return self.budget.spent_by_provider()

    async def budget_status(self) -> BudgetStatus:
        """The budget as its ledger holds it: with a shared ledger, every worker's spending and holds."""
        return await self.ledger.status()

    # ----- sending ----------------------------------------------------------------------------------

    async def generate_response(
        self,
        messages: Sequence[Message],
        *,
        model: str | None = None,
        provider_id: str | None = None,
        temperature: float = 0.7,
        max_tokens: int | None = None,
        stop: str | Sequence[str] | None = None,
        task_type: str | None = None,
        prefer_cost: bool = True,
    ) -> ChatResult:
        """Send a chat request to the best provider, failing over on retryable errors."""
        plan = self._plan(messages, model, provider_id, temperature, max_tokens, stop, task_type, prefer_cost)
        attempts: list[Attempt] = []
        for index in range(len(plan.chain)):
            client = await self._client(plan.chain[index][0])  # before the reservation: building one may block the loop
            held = await begin(self.catalog, self.ledger, plan, index, attempts)
            if held is None:
                continue
            step, request, reservation = held
            charged, reached = False, True  # from here on, the request may reach the provider
            try:
                reply = client.complete(request)
                completion = await within(step.provider_id, self.timeout_s, reply)
                usage, cost = await charge(self.ledger, step, request, reservation, completion.usage, completion.text)
                charged = True
                if not completion.text:
                    raise ProviderError(step.provider_id, "empty completion", retryable=True)
            except ProviderError as exc:
                reached = exc.reached
                self._record_failure(step, exc, attempts)
                continue
            finally:
                if not charged:  # failed, timed out or cancelled: its input is charged if it may have been read
                    await charge_unanswered(self.ledger, step, reservation, reached=reached)
            self.health.record_success(step.provider_id)
            return ChatResult(completion.text, step.provider_id, request.model, usage, cost, completion.finish_reason)
        raise AllProvidersFailedError(attempts)

    async def stream_completion(
        self,
        messages: Sequence[Message],
        *,
        model: str | None = None,
        provider_id: str | None = None,
        temperature: float = 0.7,
        max_tokens: int | None = None,
        stop: str | Sequence[str] | None = None,
        task_type: str | None = None,
        prefer_cost: bool = True,
    ) -> AsyncIterator[StreamChunk]:
        """Stream the reply as it arrives. Fails over only before the first text; after it, a failure
        raises StreamInterruptedError. The last chunk has empty text and carries finish_reason, usage, cost.
        A stream that ends early (an error, ``break``, a cancellation) is charged for what it delivered."""
        plan = self._plan(messages, model, provider_id, temperature, max_tokens, stop, task_type, prefer_cost)
        attempts: list[Attempt] = []
        for index in range(len(plan.chain)):
            client = await self._client(plan.chain[index][0])  # before the reservation: building one may block the loop
            held = await begin(self.catalog, self.ledger, plan, index, attempts)
            if held is None:
                continue
            step, request, reservation = held
            delivered: list[str] = []
            charged, reached = False, True
            deltas = client.stream(request)
            deadline = Deadline(step.provider_id, self.timeout_s, self.idle_timeout_s)
            try:
                while True:
                    try:
                        delta = await deadline.next(deltas)
                    except StopAsyncIteration:
                        raise ProviderError(step.provider_id, "stream ended without a finish reason", retryable=True) from None
                    if delta.text:
                        delivered.append(delta.text)
                        yield StreamChunk(delta.text, step.provider_id, request.model)
                    if delta.finish_reason is None:
                        continue
                    if not delivered:
                        raise ProviderError(step.provider_id, "empty completion", retryable=True)
                    usage, cost = await charge(self.ledger, step, request, reservation, delta.usage, "".join(delivered))
                    charged = True
                    self.health.record_success(step.provider_id)
                    yield StreamChunk("", step.provider_id, request.model, delta.finish_reason, usage, cost)
                    return
            except ProviderError as exc:
                reached = exc.reached
                if delivered:
                    self.health.record_failure(step.provider_id)
                    size = sum(map(len, delivered))
                    raise StreamInterruptedError(step.provider_id, exc.reason, delivered_chars=size) from None
                self._record_failure(step, exc, attempts)
            finally:
                if isinstance(deltas, AsyncGenerator):  # close the provider's stream on every exit
                    await deltas.aclose()
                if not charged:  # ended early: the provider bills what it read and generated, so charge an estimate
                    if delivered:
                        await charge(self.ledger, step, request, reservation, None, "".join(delivered))
                    else:
                        await charge_unanswered(self.ledger, step, reservation, reached=reached)
        raise AllProvidersFailedError(attempts)

    # ----- internals --------------------------------------------------------------------------------

    def _plan(
        self,
        messages: Sequence[Message],
        model: str | None,
        provider_id: str | None,
        temperature: float,
        max_tokens: int | None,
        stop: str | Sequence[str] | None,
        task_type: str | None,
        prefer_cost: bool,
    ) -> Plan:
        """Validate the request and lay out its failover chain, ranked the way get_ranked_providers ranks
        (so provider health and the route cache apply); raises before anything is sent."""

        def rank(complexity: QueryComplexity, prefer: bool, input_tokens: int, output_tokens: int) -> list[Route]:
            return self.get_ranked_providers(complexity, prefer_cost=prefer, input_tokens=input_tokens, output_tokens=output_tokens)

        available = self.get_available_providers()
        options = (messages, model, provider_id, temperature, max_tokens, stop, task_type, prefer_cost)
        return plan_request(self.catalog, self.ledger.limit_usd, available, rank, *options)

    def _record_failure(self, step: Step, exc: ProviderError, attempts: list[Attempt]) -> None:
        if not exc.retryable:
            raise exc
        self.health.record_failure(step.provider_id)
        attempts.append(Attempt(step.provider_id, step.request.model, exc.status, exc.reason))

    async def _client(self, provider_id: str) -> ProviderAdapter:
        """The provider's client. One this handler built belongs to the event loop it was built on; used
        from another loop (a later ``asyncio.run``), it is let go and built again."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(provider_id)
        if client is not None and self._built_on.get(provider_id, loop) is not loop:
            self._forget(client)
            client = None
        if client is None:
            client = self._build_client(provider_id)
            self._clients[provider_id] = client
            self._owned.append(client)
            self._built_on[provider_id] = loop
            guard = self._close_with_loop(client)
            await anext(guard)
            self._guards[provider_id] = guard
        return client

    async def _close_with_loop(self, client: ProviderAdapter) -> AsyncGenerator[None]:
        """Waits, parked, for as long as ``client`` is in use, then closes it: on ``aclose()``, or when its
        event loop shuts down (``asyncio.run`` finalizes every async generator on its way out), so that no
        connection outlives the loop it belongs to."""
        try:
            yield
        finally:
            self._forget(client)
            await client.aclose()

    def _forget(self, client: ProviderAdapter) -> None:
        if client in self._owned:
            self._owned.remove(client)
        if self._clients.get(client.provider_id) is client:
            del self._clients[client.provider_id]
            self._built_on.pop(client.provider_id, None)
            self._guards.pop(client.provider_id, None)

    def _build_client(self, provider_id: str) -> ProviderAdapter:
        base_url = base_url_for(provider_id, self._base_urls)
        return build_adapter(provider_id, self._keys[provider_id], base_url, self.timeout_s, self.max_response_bytes)

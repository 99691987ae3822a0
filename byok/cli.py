"""Command line: ``byok providers``, ``byok route "prompt"``, ``byok chat "prompt"`` (also ``python -m byok``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from byok.catalog import TIER_NAMES
from byok.errors import (
    AllProvidersFailedError,
    BudgetExceededError,
    InvalidRequestError,
    NoProvidersConfiguredError,
    ProviderError,
    StreamInterruptedError,
)
from byok.providers import PROVIDERS, base_url_for, keys_from_env, mask_key
from byok.types import Message

if TYPE_CHECKING:
    from contracts.byok_protocol import BYOKProtocol

EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_KEYS, EXIT_PROVIDER_FAILED, EXIT_OVER_BUDGET = 0, 2, 3, 4, 5

EPILOG = f"""\
keys come from {", ".join(n for s in PROVIDERS.values() for n in s.key_env)};
endpoints from {", ".join(s.base_url_env for s in PROVIDERS.values())} (else each provider's own).

exit status: 0 ok, 2 bad input (unknown provider or model, empty prompt), 3 no provider has a key,
4 every provider failed (network, status, timeout), 5 over budget
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byok", description="Chat with six LLM providers through your own API keys.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("providers", help="configured providers, keys masked")
    route = commands.add_parser("route", help="how a prompt would be routed, and its estimated cost (offline)")
    route.add_argument("prompt")
    route.add_argument("--task-type", help="e.g. chat, code, analysis, reasoning")
    chat = commands.add_parser("chat", help="send a prompt; the reply streams as it arrives")
    chat.add_argument("prompt")
    chat.add_argument("--provider", help="provider to try first")
    chat.add_argument("--model", help="model to use (its provider goes first)")
    chat.add_argument("--system", help="a system message")
    chat.add_argument("--max-tokens", type=int)
    chat.add_argument("--budget-usd", type=float, help="refuse to spend more than this")
    chat.add_argument("--no-stream", action="store_true", help="print the reply when it is complete")
    return parser


def _default_handler(budget_usd: float | None = None) -> BYOKProtocol:
    from byok.handler import BYOKHandler

    return BYOKHandler(budget_usd=budget_usd)


def _offline_handler() -> BYOKProtocol:
    """A handler that ranks every provider as if each had a key; it is only asked to route, never to send."""
    from byok.handler import BYOKHandler

    return BYOKHandler(api_keys={p: "offline-routing-only" for p in PROVIDERS})


def main(
    argv: Sequence[str] | None = None,
    *,
    make_handler: Callable[[float | None], BYOKProtocol] = _default_handler,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = _parser().parse_args(argv)
    handler = make_handler(getattr(args, "budget_usd", None))
    try:
        if args.command == "providers":
            return _providers(handler, out)
        if args.command == "route":
            return _route(handler, args.prompt, args.task_type, out)
        return asyncio.run(_chat(handler, args, out, err))
    except InvalidRequestError as exc:
        print(f"byok: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    except NoProvidersConfiguredError as exc:
        print(f"byok: error: {exc}", file=err)
        return EXIT_NO_KEYS
    except BudgetExceededError as exc:
        print(f"byok: error: {exc}", file=err)
        return EXIT_OVER_BUDGET
    except (AllProvidersFailedError, ProviderError, StreamInterruptedError) as exc:
        print(f"\nbyok: error: {exc}", file=err)
        return EXIT_PROVIDER_FAILED


def _providers(handler: BYOKProtocol, out: TextIO) -> int:
    available = set(handler.get_available_providers())
    keys = keys_from_env()
    print(f"{'provider':<10} {'configured':<11} {'key':<14} endpoint", file=out)
    for provider_id in PROVIDERS:
        key = mask_key(keys[provider_id]) if provider_id in keys else "-"
        configured = "yes" if provider_id in available else "no"
        print(f"{provider_id:<10} {configured:<11} {key:<14} {base_url_for(provider_id, {})}", file=out)
    if not available:
        print("no provider is configured: set one of the key variables above (see --help)", file=out)
    return EXIT_OK


def _route(handler: BYOKProtocol, prompt: str, task_type: str | None, out: TextIO) -> int:
    note = ""
    if not handler.get_available_providers():
        handler, note = _offline_handler(), " (no keys set: every provider ranked as if it had one)"
    info = handler.get_routing_info(prompt, task_type)
    print(f"complexity: {info.complexity.name.lower()}; about {info.estimated_input_tokens} input tokens{note}", file=out)
    print(f"{'#':<3} {'provider':<10} {'model':<24} {'tier':<9} {'context':>9} {'est. cost':>12}", file=out)
    for rank, route in enumerate(info.routes, 1):
        tier = TIER_NAMES.get(route.tier, str(route.tier))
        print(
            f"{rank:<3} {route.provider_id:<10} {route.model:<24} {tier:<9} {route.context_window:>9} "
            f"{'$' + format(route.estimated_cost_usd, '.6f'):>12}",
            file=out,
        )
    return EXIT_OK


async def _chat(handler: BYOKProtocol, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not args.prompt.strip():
        raise InvalidRequestError("the prompt is empty")
    messages: list[Message] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": args.prompt})
    try:
        if args.no_stream:
            result = await handler.generate_response(
                messages, model=args.model, provider_id=args.provider, max_tokens=args.max_tokens
            )
            print(result.text, file=out)
            summary = (result.provider_id, result.model, result.usage.input_tokens, result.usage.output_tokens, result.cost_usd)
        else:
            summary = ("", "", 0, 0, 0.0)
            async for chunk in handler.stream_completion(
                messages, model=args.model, provider_id=args.provider, max_tokens=args.max_tokens
            ):
                out.write(chunk.text)
                out.flush()
                if chunk.finish_reason is not None:
                    usage = chunk.usage
                    summary = (
                        chunk.provider_id, chunk.model, usage.input_tokens if usage else 0,
                        usage.output_tokens if usage else 0, chunk.cost_usd or 0.0,
                    )
            print(file=out)
    finally:
        await handler.aclose()
    provider_id, model, tokens_in, tokens_out, cost = summary
    print(f"[{provider_id}/{model}: {tokens_in} in, {tokens_out} out, ${cost:.6f}]", file=err)
    return EXIT_OK

"""Command line: ``byok providers``, ``byok route "prompt"``, ``byok chat "prompt"`` (also ``python -m byok``).

No input reaches the user as a traceback: bad input exits 2 with one line, Ctrl-C exits 130 with one
line, and a reader that goes away (``| head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from byok.catalog import TIER_NAMES
from byok.errors import (
    AllProvidersFailedError,
    BudgetExceededError,
    BudgetStoreError,
    InvalidRequestError,
    NoProvidersConfiguredError,
    ProviderError,
    StreamInterruptedError,
    printable,
)
from byok.ledger import KEY_ENV, URL_ENV, BudgetSettings, BudgetStatus, budget_place
from byok.providers import PROVIDERS, base_url_for, keys_from_env, mask_key, public_url, redact
from byok.types import Message

if TYPE_CHECKING:
    from contracts.byok_protocol import BYOKProtocol

EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_KEYS, EXIT_PROVIDER_FAILED, EXIT_OVER_BUDGET, EXIT_LEDGER = 0, 2, 3, 4, 5, 6
EXIT_FAILED, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 1, 130, 141

EPILOG = f"""\
keys come from {", ".join(n for s in PROVIDERS.values() for n in s.key_env)};
endpoints from {", ".join(s.base_url_env for s in PROVIDERS.values())} (else each provider's own);
a budget shared by several workers from {URL_ENV} (redis://...) and {KEY_ENV}.

the prompt: an argument, "-" to read stdin, or --file PATH; with no prompt and stdin a pipe, stdin.

exit status: 0 ok, 1 output could not be written or an unexpected error, 2 bad input (unknown provider
or model, empty prompt, bad option), 3 no provider has a key, 4 every provider failed (network, status,
timeout), 5 over budget, 6 the shared budget's Redis is unreachable, slow or answers nonsense (nothing
was sent), 130 interrupted (Ctrl-C), 141 the reader of the output went away (quiet)
"""


class _OutputFailed(Exception):
    """Writing to stdout failed; ``cause`` says how."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Output:
    """stdout for the command: every write is flushed, and a failed write becomes _OutputFailed."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> None:
        try:
            try:
                self._stream.write(text)
            except UnicodeEncodeError:  # the reply was paid for: show what the output's encoding can carry
                encoding = getattr(self._stream, "encoding", None) or "ascii"
                self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
            self._stream.flush()
        except OSError as exc:
            raise _OutputFailed(exc) from None
        except ValueError as exc:  # a closed file
            raise _OutputFailed(OSError(errno.EBADF, str(exc))) from None

    def line(self, text: str = "") -> None:
        self.write(text + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byok",
        description="Chat with six LLM providers through your own API keys.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("providers", help="configured providers, keys masked")
    route = commands.add_parser("route", help="how a prompt would be routed, and its estimated cost (offline)")
    _prompt_arguments(route)
    route.add_argument("--task-type", help="e.g. chat, code, analysis, reasoning")
    chat = commands.add_parser("chat", help="send a prompt; the reply streams as it arrives")
    _prompt_arguments(chat)
    chat.add_argument("--provider", help="provider to try first")
    chat.add_argument("--model", help="model to use (its provider goes first)")
    chat.add_argument("--system", help="a system message")
    chat.add_argument("--max-tokens", type=int)
    chat.add_argument("--budget-usd", type=float, help="refuse to spend more than this")
    _ledger_arguments(chat)
    chat.add_argument("--no-stream", action="store_true", help="print the reply when it is complete")
    budget = commands.add_parser("budget", help="a shared budget: spent by provider, held, remaining")
    _ledger_arguments(budget)
    return parser


def _ledger_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--budget-url", help=f"share the budget through this Redis (else {URL_ENV})")
    parser.add_argument("--budget-key", help=f"the shared budget's name (else {KEY_ENV}, else 'default')")


def _prompt_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", nargs="?", help='the prompt; "-" (or none, with a pipe) reads it from stdin')
    parser.add_argument("--file", type=Path, help="read the prompt from this UTF-8 file")


def _read_prompt(args: argparse.Namespace, stdin: BinaryIO | None, stdin_is_tty: bool) -> str:
    """The prompt from the argument, --file or stdin; InvalidRequestError names what is wrong."""
    if args.file is not None and args.prompt is not None:
        raise InvalidRequestError("give the prompt as an argument or with --file, not both")
    if args.file is not None:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise InvalidRequestError(f"--file {str(args.file)!r}: {exc.strerror or exc}") from None
        return _decode(data, f"--file {str(args.file)!r}")
    if args.prompt is not None and args.prompt != "-":
        return str(args.prompt)
    if stdin is None or (args.prompt is None and stdin_is_tty):
        raise InvalidRequestError('no prompt: give it as an argument, with --file, or on stdin ("-")')
    try:
        data = stdin.read()
    except OSError as exc:
        raise InvalidRequestError(f"cannot read stdin: {exc}") from None
    return _decode(data, "stdin")


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(f"{where} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None


def _default_handler(budget: BudgetSettings) -> BYOKProtocol:
    from byok.handler import BYOKHandler

    return BYOKHandler(budget_usd=budget.limit_usd, budget_url=budget.url, budget_key=budget.key)


def _offline_handler() -> BYOKProtocol:
    """A handler that ranks every provider as if each had a key; it is only asked to route, never to send."""
    from byok.handler import BYOKHandler

    return BYOKHandler(api_keys=dict.fromkeys(PROVIDERS, "offline-routing-only"))


def main(
    argv: Sequence[str] | None = None,
    *,
    make_handler: Callable[[BudgetSettings], BYOKProtocol] = _default_handler,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: BinaryIO | None = None,
) -> int:
    real_stdout = stdout is None
    err = stderr or sys.stderr or open(os.devnull, "w")  # noqa: SIM115  # stderr closed: say nothing
    try:
        if stdin is None and sys.stdin is not None:
            stdin, tty = sys.stdin.buffer, sys.stdin.isatty()
        else:
            tty = False
        return _main(argv, make_handler, stdout or sys.stdout, err, stdin, tty)
    except KeyboardInterrupt:
        _say(err, "\nbyok: interrupted")
        return EXIT_INTERRUPTED
    except _OutputFailed as exc:
        if real_stdout:
            _silence_stdout()
        if exc.cause.errno in (errno.EPIPE, errno.ECONNRESET):
            return EXIT_BROKEN_PIPE
        if exc.cause.errno != errno.EBADF:
            _say(err, f"byok: error: cannot write the output: {exc.cause.strerror or exc.cause}")
        return EXIT_FAILED
    except Exception as exc:  # the last resort: one line, never a traceback, never a key
        _say(err, f"byok: error: unexpected {type(exc).__name__}: {redact(str(exc), tuple(keys_from_env().values()))}")
        return EXIT_FAILED


def _main(
    argv: Sequence[str] | None,
    make_handler: Callable[[BudgetSettings], BYOKProtocol],
    stdout: TextIO | None,
    err: TextIO,
    stdin: BinaryIO | None,
    stdin_is_tty: bool,
) -> int:
    args = _parser().parse_args(argv)
    try:
        prompt = _read_prompt(args, stdin, stdin_is_tty) if args.command in ("route", "chat") else ""
        if stdout is None:
            return EXIT_FAILED  # stdout is closed: nothing could be delivered, so nothing is sent
        out = _Output(stdout)
        budget = BudgetSettings(getattr(args, "budget_usd", None), getattr(args, "budget_url", None), getattr(args, "budget_key", None))
        if args.command == "budget" and budget_place(budget.url, budget.key) is None:
            raise InvalidRequestError(f"budget shows a shared budget: give --budget-url or set {URL_ENV}")
        handler = make_handler(budget)
        if args.command == "providers":
            return _providers(handler, out)
        if args.command == "budget":
            return asyncio.run(_budget(handler, out))
        if args.command == "route":
            return _route(handler, prompt, args.task_type, out)
        return asyncio.run(_chat(handler, args, prompt, out, err))
    except InvalidRequestError as exc:
        _say(err, f"byok: error: {exc}")
        return EXIT_BAD_INPUT
    except NoProvidersConfiguredError as exc:
        _say(err, f"byok: error: {exc}")
        return EXIT_NO_KEYS
    except BudgetExceededError as exc:
        _say(err, f"byok: error: {exc}")
        return EXIT_OVER_BUDGET
    except BudgetStoreError as exc:
        _say(err, f"byok: error: {exc}")
        return EXIT_LEDGER
    except (AllProvidersFailedError, ProviderError, StreamInterruptedError) as exc:
        _say(err, f"\nbyok: error: {exc}")
        return EXIT_PROVIDER_FAILED


def _say(err: TextIO, line: str) -> None:
    """One line on stderr; a stderr that cannot be written is ignored."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=err, flush=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _providers(handler: BYOKProtocol, out: _Output) -> int:
    available = set(handler.get_available_providers())
    keys = keys_from_env()
    out.line(f"{'provider':<10} {'configured':<11} {'key':<14} endpoint")
    for provider_id in PROVIDERS:
        key = mask_key(keys[provider_id]) if provider_id in keys else "-"
        configured = "yes" if provider_id in available else "no"
        out.line(f"{provider_id:<10} {configured:<11} {key:<14} {public_url(base_url_for(provider_id, {}))}")
    if not available:
        out.line("no provider is configured: set one of the key variables above (see --help)")
    return EXIT_OK


def _route(handler: BYOKProtocol, prompt: str, task_type: str | None, out: _Output) -> int:
    note = ""
    if not handler.get_available_providers():
        handler, note = _offline_handler(), " (no keys set: every provider ranked as if it had one)"
    info = handler.get_routing_info(prompt, task_type)
    out.line(f"complexity: {info.complexity.name.lower()}; about {info.estimated_input_tokens} input tokens{note}")
    out.line(f"{'#':<3} {'provider':<10} {'model':<24} {'tier':<9} {'context':>9} {'est. cost':>12}")
    for rank, route in enumerate(info.routes, 1):
        tier = TIER_NAMES.get(route.tier, str(route.tier))
        out.line(
            f"{rank:<3} {route.provider_id:<10} {route.model:<24} {tier:<9} {route.context_window:>9} "
            f"{'$' + format(route.estimated_cost_usd, '.6f'):>12}"
        )
    return EXIT_OK


async def _budget(handler: BYOKProtocol, out: _Output) -> int:
    try:
        status = await handler.budget_status()
    finally:
        await handler.aclose()
    for line in budget_lines(status):
        out.line(line)
    return EXIT_OK


def budget_lines(status: BudgetStatus) -> list[str]:
    """A shared budget as ``byok budget`` shows it."""
    limit, remaining = status.limit_usd, status.remaining_usd
    lines = [f"{'limit':<12} {'none' if limit is None else f'${limit:.6f}'}", f"{'spent':<12} ${status.spent_usd:.6f}"]
    lines += [f"  {printable(provider):<10} ${spent:.6f}" for provider, spent in sorted(status.spent_by_provider.items())]
    lines.append(f"{'held':<12} ${status.reserved_usd:.6f} (attempts in flight)")
    lines.append(f"{'remaining':<12} {'unbounded' if remaining is None else f'${remaining:.6f}'}")
    return lines


async def _chat(handler: BYOKProtocol, args: argparse.Namespace, prompt: str, out: _Output, err: TextIO) -> int:
    if not prompt.strip():
        raise InvalidRequestError("the prompt is empty")
    messages: list[Message] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    try:
        if args.no_stream:
            result = await handler.generate_response(messages, model=args.model, provider_id=args.provider, max_tokens=args.max_tokens)
            out.line(result.text)
            summary = (result.provider_id, result.model, result.usage.input_tokens, result.usage.output_tokens, result.cost_usd)
        else:
            summary = ("", "", 0, 0, 0.0)
            async for chunk in handler.stream_completion(messages, model=args.model, provider_id=args.provider, max_tokens=args.max_tokens):
                if chunk.text:
                    out.write(chunk.text)
                if chunk.finish_reason is not None:
                    usage = chunk.usage
                    summary = (
                        chunk.provider_id,
                        chunk.model,
                        usage.input_tokens if usage else 0,
                        usage.output_tokens if usage else 0,
                        chunk.cost_usd or 0.0,
                    )
            out.line()
    finally:
        await handler.aclose()
    provider_id, model, tokens_in, tokens_out, cost = summary
    _say(err, f"[{provider_id}/{model}: {tokens_in} in, {tokens_out} out, ${cost:.6f}]")
    return EXIT_OK

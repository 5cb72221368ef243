"""``examkit password check`` and ``examkit password policy``: judge passwords, show policies."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from typing import Any, BinaryIO

from examkit.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    fail_unusable,
    lang_of,
    print_json,
    problems_of,
)
from examkit.errors import InvalidInput
from examkit.messages import Lang
from examkit.passwords import (
    PRESETS,
    STANDARDS,
    PasswordContext,
    PasswordPolicy,
    Verdict,
    preset,
)

_LINE_BREAK = re.compile(r"\r?\n")


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``password`` command group."""
    sub = group.add_subparsers(dest="password_command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="judge the passwords on standard input, one per line",
        description="Read passwords from standard input, one per line (split on \\n or "
        "\\r\\n only; white space is part of a password), and print one JSON object per "
        "line. The history rule has no history to compare with here. Exit 0 when every "
        "password meets the policy, 1 when any does not, 2 when the input is not UTF-8.",
    )
    _add_policy_option(check)
    check.add_argument("--login-name", default="", help="the user's login name (context words)")
    check.add_argument("--first-name", default="", help="the user's first name (context words)")
    check.add_argument("--last-name", default="", help="the user's last name (context words)")
    check.add_argument("--email", default="", help="the user's e-mail address (context words)")
    check.set_defaults(handler=check_command)
    policy = sub.add_parser(
        "policy",
        help="print a policy's rules and its compliance reports as JSON",
        description="Print the policy's lengths, rules, lifetime and, for every standard, "
        "where the policy deviates from it and why.",
    )
    _add_policy_option(policy)
    policy.set_defaults(handler=policy_command)


def _add_policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        choices=list(PRESETS),
        default="facet",
        help="the preset policy (default: facet, the exam system's rules)",
    )


def read_passwords(stream: BinaryIO) -> list[str]:
    r"""Return the passwords on *stream*: UTF-8 lines split on ``\n`` or ``\r\n`` only.

    Nothing is stripped; a final line break ends the last password rather
    than starting an empty one.

    Raises:
        InvalidInput: the input is not UTF-8 (``cli.input.not_utf8``).
    """
    data = stream.read()
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput("cli.input.not_utf8", position=error.start) from None
    if not content:
        return []
    lines = _LINE_BREAK.split(content)
    if lines[-1] == "":
        lines.pop()
    return lines


def verdict_dict(verdict: Verdict, lang: Lang) -> dict[str, Any]:
    """Return *verdict* as the line ``password check`` prints."""
    problems: list[dict[str, object]] = []
    for problem in verdict.problems():
        problems.extend(problems_of(problem, lang))
    return {"valid": verdict.valid, "problems": problems}


def check_command(args: argparse.Namespace) -> int:
    """Run ``examkit password check``.

    Implements AUTH-1.
    """
    lang = lang_of(args)
    policy = preset(args.policy)
    try:
        passwords = read_passwords(sys.stdin.buffer)
    except InvalidInput as error:
        return fail_unusable(error, lang)
    context = PasswordContext(
        login_name=args.login_name,
        first_name=args.first_name,
        last_name=args.last_name,
        email=args.email,
    )
    every_valid = True
    out = sys.stdout
    for password in passwords:
        verdict = policy.check(password, context=context)
        every_valid = every_valid and verdict.valid
        out.write(json.dumps(verdict_dict(verdict, lang), ensure_ascii=False) + "\n")
    return EXIT_OK if every_valid else EXIT_NEGATIVE


def _days(value: timedelta | None) -> float | int | None:
    if value is None:
        return None
    days = value.total_seconds() / 86_400
    return int(days) if days.is_integer() else days


def policy_dict(policy: PasswordPolicy, lang: Lang) -> dict[str, Any]:
    """Return *policy*, its rules and its compliance report against every standard."""
    lifetime = policy.lifetime
    reports = []
    for key in STANDARDS:
        report = policy.compliance_report(key)
        reports.append(
            {
                "standard": key,
                "title": report.standard.title,
                "complies": report.complies,
                "deviations": [
                    {
                        "subject": deviation.subject,
                        "reason": deviation.reason,
                        "message": deviation.message(lang),
                    }
                    for deviation in report.deviations
                ],
            }
        )
    return {
        "policy": policy.name,
        "min_length": policy.min_length,
        "max_length": policy.max_length,
        "normalisation": policy.normalisation,
        "history_depth": policy.history_depth,
        "lifetime": {
            "initial_days": _days(lifetime.initial),
            "chosen_days": _days(lifetime.chosen),
            "reminder_days": [_days(reminder) for reminder in lifetime.reminders],
        },
        "rules": [
            {"code": rule.code, "params": dict(rule.params), "help": rule.help(lang)}
            for rule in policy.all_rules
        ],
        "compliance": reports,
    }


def policy_command(args: argparse.Namespace) -> int:
    """Run ``examkit password policy``."""
    print_json(policy_dict(preset(args.policy), lang_of(args)))
    return EXIT_OK

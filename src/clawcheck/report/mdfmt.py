"""report.md: the checklist as GitHub-flavoured Markdown tables, for a pull request or a ticket.

Cell text is escaped for tables (`|`, line breaks) and for inline HTML (`<`, `&`), so a
message from the target can neither break the table nor inject markup; code blocks use
a fence longer than any run of backticks inside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from clawcheck.core.results import CheckRecord
from clawcheck.report._registry import renderer
from clawcheck.report.view import ReportView, check_outcome, fmt_value, local_href, measured_text

__all__ = ["render_markdown"]


def cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split()) or " "


def code(text: str) -> str:
    """Inline code that survives backticks in the text, escaped for a table cell."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def block(text: str, language: str = "") -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table; `head` is plain text, `rows` are cells already escaped with `cell`/`code`."""
    lines = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _verdict(view: ReportView, check: CheckRecord | None) -> str:
    outcome = check_outcome(check)
    return cell(view.t("not_judged") if outcome is None else view.t.outcome(outcome))


def _link(link: str) -> str:
    href = local_href(link)
    return f"[{cell(link)}]({href})" if href else code(link)


@renderer("md", "report.md")
def render_markdown(view: ReportView) -> bytes:
    c, t = view.checklist, view.t
    lines = [f"# {t('title')}", ""]
    if c.demo_key:
        lines += [f"> **{cell(t('demo_key'))}**", ""]
    lines += [f"## {t('verdict')}: **{view.verdict_word()}**", ""]
    if c.verdict == "incomplete":
        lines += [cell(t("verdict.incomplete_note")), ""]
    if view.unmet:
        lines += [f"**{t('unmet')}:** " + ", ".join(code(i.id) for i in view.unmet), ""]
    lines += table((t("field"), t("value")), ((cell(k), cell(v)) for k, v in view.metadata()))
    lines.append("")

    statuses = ("pass", "fail", "waived", "not_run")
    lines += [f"## {t('summary')}", ""]
    rows = [
        (cell(t.stage(stage)), *(str(sum(1 for i in items if i.status == s)) for s in statuses))
        for stage, items in view.stages
    ]
    counts = view.counts()
    rows.append((f"**{cell(t('total'))}**", *(f"**{counts[s]}**" for s in statuses)))
    lines += table((t("stage"), *(t.status(s) for s in statuses)), rows)
    lines.append("")

    lines += [f"## {t('checklist')}", ""]
    head = (t("status"), t("id"), t("item"), t("requirement"), t("measured"), t("message"), t("evidence"))
    for stage, items in view.stages:
        lines += [f"### {t.stage(stage)} ({stage})", ""]
        item_rows = []
        for item in items:
            status = f"**{cell(view.status_word(item))}**"
            ident = code(item.id) + ("" if item.required else f" ({cell(t('optional'))})")
            message = cell(item.message)
            if item.waiver is not None:
                message += f"<br>**{cell(view.waiver_text(item))}**"
            evidence = "<br>".join(_link(link) for link in item.evidence) or " "
            item_rows.append(
                (
                    status,
                    ident,
                    cell(item.title(view.lang)),
                    cell(item.requirement(view.lang)),
                    cell(measured_text(item)),
                    message,
                    evidence,
                )
            )
        lines += [*table(head, item_rows), ""]

    lines += [f"## {t('waivers')}", ""]
    if view.waived:
        waiver_rows = [
            (
                code(item.id),
                cell(item.waiver.reason),
                cell(item.waiver.signer),
                cell(t.role(item.waiver.role)),
                cell(t.status(str(item.outcome or "fail"))),
            )
            for item in view.waived
            if item.waiver is not None
        ]
        keys = ("id", "waiver.reason", "waiver.signer", "waiver.role", "waiver.outcome")
        lines += table([t(k) for k in keys], waiver_rows)
    else:
        lines.append(t("no_waivers"))
    lines.append("")

    load = view.load
    if load is not None and load.operations:
        lines += [f"## {t('load')}", ""]
        rps = "—" if load.rps is None else f"{load.rps:g}"
        lines += [
            f"{t('requests')}: **{load.requests}** · {t('failures')}: **{load.failures}** · "
            f"{t('rps')}: **{rps}** · {t('verdict')}: **{cell(t.outcome(load.verdict or 'skip'))}**",
            "",
        ]
        op_head = (t("operation"), t("requests"), t("failures"), t("success_rate"), "p50", "p90", "p95",
                   "p99", "max", t("sla_p95"), "P95", t("success_rate"))  # fmt: skip
        op_rows = []
        for op in load.operations:
            lat = op.latency_ms

            op_rows.append(
                (
                    code(op.name),
                    str(op.count),
                    str(op.failures),
                    "—" if op.success_rate is None else f"{op.success_rate:.3%}",
                    *(fmt_value(lat.get(k)) for k in ("p50", "p90", "p95", "p99", "max")),
                    "—" if op.sla_p95_ms is None else fmt_value(op.sla_p95_ms),
                    _verdict(view, op.p95_check),
                    _verdict(view, op.success_check),
                )
            )
        lines += [*table(op_head, op_rows), "", f"_{cell(t('see_html'))}_", ""]

    lines += [f"## {t('failing_evidence')}", ""]
    if not view.failures:
        lines += [t("no_failing"), ""]
    for failure in view.failures:
        where = f" · {code(failure.operation)}" if failure.operation else ""
        lines += [
            f"### {code(failure.id)} · {t('suite')} {code(failure.suite)}{where}",
            "",
            f"**{cell(failure.title)}**",
            "",
            cell(failure.message),
            "",
        ]
        if failure.curl:
            lines += [f"{t('reproduce')}:", "", *block(failure.curl, "bash"), ""]
        if failure.details:
            lines += [
                f"<details><summary>{cell(t('details'))}</summary>",
                "",
                *block(failure.details, "json"),
            ]
            if failure.truncated:
                lines += ["", cell(t("truncated", link=failure.link))]
            lines += ["", "</details>", ""]
        lines += [_link(failure.link), ""]

    lines += ["---", f"_{cell(t('generated_by'))} · {cell(c.run_id)}_", ""]
    return "\n".join(lines).encode("utf-8")

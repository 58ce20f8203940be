"""What a notification says: the verdict, a title, a few summary lines and a link to the report.

One `Message` is rendered by every bot in its own format; the words come from here so
that all bots say the same thing, in Chinese by default and in English on request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from clawcheck.core.checklist import Checklist, ItemStatus
from clawcheck.errors import ConfigError

__all__ = ["Message", "Verdict", "fit_lines", "is_web_link"]

_TITLE_MAX = 120  # characters; a title is one line in every client
_LINE_MAX = 300  # characters per summary line: one check message, not a stack trace
_SPACE = re.compile(r"\s+")


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INCOMPLETE = "incomplete"


_HEADLINES = {
    "zh": {
        Verdict.ACCEPTED: "验收通过 ✅",
        Verdict.REJECTED: "验收未通过 ❌",
        Verdict.INCOMPLETE: "验收未完成 ⚠️",
    },
    "en": {
        Verdict.ACCEPTED: "Accepted ✅",
        Verdict.REJECTED: "Rejected ❌",
        Verdict.INCOMPLETE: "Incomplete ⚠️",
    },
}
_WORDS = {
    "zh": {"open": "查看报告", "report": "报告", "more": "…另有 {n} 行未显示"},
    "en": {"open": "Open the report", "report": "Report", "more": "… {n} more lines not shown"},
}


def _one_line(text: str, limit: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_web_link(link: str | None) -> bool:
    """Only http(s) links can be buttons in a chat client; a file path is shown as text."""
    return bool(link) and str(link).lower().startswith(("https://", "http://"))


def _lang(lang: str) -> str:
    if lang.lower().startswith("zh"):
        return "zh"
    if lang.lower().startswith("en"):
        return "en"
    raise ConfigError(f"unknown notification language {lang!r}; use zh-CN or en")


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """The verdict message. Lines are normalised to one line each, so no bot's markup breaks.

    Takes the verdict as a `Verdict` or its string (`checklist.verdict`) and the summary as
    any sequence of lines; stores a `Verdict` and a tuple.
    """

    verdict: Verdict
    title: str
    summary: tuple[str, ...]
    report_link: str | None
    lang: str

    def __init__(
        self,
        verdict: Verdict | str,
        title: str,
        summary: Iterable[str] = (),
        report_link: str | None = None,
        lang: str = "zh-CN",
    ) -> None:
        try:
            checked = Verdict(verdict)
        except ValueError:
            known = ", ".join(v.value for v in Verdict)
            raise ConfigError(f"unknown verdict {verdict!r}; use one of {known}") from None
        _lang(lang)  # fails early on a language no bot message exists in
        lines = (_one_line(line, _LINE_MAX) for line in summary)
        object.__setattr__(self, "verdict", checked)
        object.__setattr__(self, "title", _one_line(title, _TITLE_MAX))
        object.__setattr__(self, "summary", tuple(line for line in lines if line))
        object.__setattr__(self, "report_link", (report_link or "").strip() or None)
        object.__setattr__(self, "lang", lang)

    @property
    def headline(self) -> str:
        """验收通过 ✅ / 验收未通过 ❌ / 验收未完成 ⚠️ (or the English words)."""
        return _HEADLINES[_lang(self.lang)][self.verdict]

    def word(self, key: str) -> str:
        """A fixed word in the message's language: `open`, `report`, `more` (with `{n}`)."""
        return _WORDS[_lang(self.lang)][key]

    @property
    def web_link(self) -> str | None:
        return self.report_link if is_web_link(self.report_link) else None

    @classmethod
    def from_checklist(
        cls,
        checklist: Checklist,
        *,
        report_link: str | None = None,
        lang: str | None = None,
        max_failures: int = 5,
    ) -> Message:
        """The message for an acceptance run: counts, then the first failing required items."""
        lang = lang or checklist.lang
        zh = _lang(lang) == "zh"
        counts = checklist.counts()
        if zh:
            title = f"OpenClaw进阶联调验收 · {checklist.target}"
            lines = [
                f"环境：{checklist.environment} · 运行：{checklist.run_id}",
                f"通过 {counts[ItemStatus.PASS]} · 未通过 {counts[ItemStatus.FAIL]} · "
                f"豁免 {counts[ItemStatus.WAIVED]} · 未运行 {counts[ItemStatus.NOT_RUN]}",
            ]
        else:
            title = f"OpenClaw acceptance · {checklist.target}"
            lines = [
                f"Environment: {checklist.environment} · Run: {checklist.run_id}",
                f"passed {counts[ItemStatus.PASS]} · failed {counts[ItemStatus.FAIL]} · "
                f"waived {counts[ItemStatus.WAIVED]} · not run {counts[ItemStatus.NOT_RUN]}",
            ]
        failing = [item for item in checklist.items if not item.accepted]
        for item in failing[:max_failures]:
            detail = f"{'：' if zh else ': '}{item.message}" if item.message else ""
            lines.append(f"❌ {item.title(lang)}{detail}")
        if len(failing) > max_failures:
            rest = len(failing) - max_failures
            lines.append(f"…另有 {rest} 项未通过" if zh else f"… and {rest} more failed items")
        if checklist.demo_key:
            lines.append(
                "⚠️ 演示密钥签名，不可作为正式验收"
                if zh
                else "⚠️ Signed with a demo key: not a formal acceptance"
            )
        return cls(Verdict(checklist.verdict), title, tuple(lines), report_link, lang)


def fit_lines(lines: Sequence[str], budget: int, more: str, *, joiner: str = "\n") -> list[str]:
    """As many leading lines as fit in `budget` UTF-8 bytes, then `more` (with `{n}`) for the rest.

    Bots reject over-long messages outright (WeCom: 4096 bytes), so a long summary is cut
    rather than the whole notification lost.
    """

    def size(parts: Iterable[str]) -> int:
        return len(joiner.join(parts).encode("utf-8"))

    if size(lines) <= budget:
        return list(lines)
    kept: list[str] = []
    for index, line in enumerate(lines):
        left = len(lines) - index - 1
        if size([*kept, line, *([more.format(n=left)] if left else [])]) > budget:
            break
        kept.append(line)
    tail = more.format(n=len(lines) - len(kept))
    return [*kept, tail] if size([*kept, tail]) <= budget else kept

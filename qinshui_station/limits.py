"""How long free text may be (SPEC.md "Limits"): what fits the printed form it ends up on.

Every free-text model field carries ``validators=[text_limit(N)]`` (services call ``full_clean()``), and so
does every plain form field that feeds one, so a longer text is refused at the field with the count."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

NARRATIVE = 5000  # a narrative section of the 申报表 or of the annual evaluation
OBJECTION = 2000  # an objection during the publicity
REASON = 2000  # reasons, opinions, conclusions, descriptions, notes
NOTICE = 1000  # how objections are received (one paragraph of the notice)
CELL = 500  # one cell of a printed table (a member's achievements)


@deconstructible
class TextLimit:
    message = _("最多%(limit)d个字，现有%(count)d个字，请删减%(over)d个字后再提交。")
    code = "max_length"

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        count = len(value or "")
        if count > self.limit:
            raise ValidationError(self.message, code=self.code,
                                  params={"limit": self.limit, "count": count, "over": count - self.limit})

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLimit) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(("TextLimit", self.limit))


def text_limit(limit: int) -> TextLimit:
    return TextLimit(limit)

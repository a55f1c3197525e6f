"""Password checks beyond Django's (issue 15, finding 12; AUTH_PASSWORD_VALIDATORS in settings).

- :class:`PublishedPasswordValidator`: the demo password printed by ``serve.sh`` and in the README, and
  passwords of the same make — a common pinyin surname or word with a simple number (``wang12345``,
  ``Qinshui@2026``, ``zhang1990``).
- :class:`FewCharactersValidator`: a run of one letter (``aaaaaaaa``) or a few characters repeated.
- :class:`SimilarityValidator`: the person's login name, name, e-mail or organization's name, in a
  sentence that names the field (Django's own said “密码跟 用户名 太相似了。”).

Demo and test accounts are made with ``set_password`` and keep the published password; every form that
sets a new password (registration, HR's accounts, ``manage.py create_account``, change and reset) refuses it."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

PUBLISHED = {"qinshui@2026"}  # qinshui_station.demo.DEMO_PASSWORD, printed by serve.sh and the README
# Pinyin surnames (the most frequent hundred or so) and words people build passwords from.
WEAK_STEMS = set("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan lu du shen ren yao fu
zhong cui tan qiu kang qin shi niu hou meng bai long duan lei hao shao wan qian mao chang yin qi dai fan jin
zou ou xiong mo gong kong wen jing zhai ni su
password passwd pass admin administrator root qwerty qwer asdf asdfgh zxcv abc abcd abcde woaini iloveyou
qinshui jincheng shanxi china zhongguo beijing test user welcome hello love admin
""".split())
LUCKY_NUMBERS = {"520", "1314", "5201314", "666", "888", "168", "6666", "8888", "110", "119"}


def _simple_number(digits: str) -> bool:
    if not digits:
        return True
    if len(set(digits)) == 1 or digits in LUCKY_NUMBERS:
        return True
    if re.fullmatch(r"(19|20)\d\d", digits) or re.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])([0-2]\d|3[01])?", digits):
        return True
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {-1}, {-9, 1}, {9, -1})  # 12345, 54321, 7890, 0987


class PublishedPasswordValidator:
    def validate(self, password, user=None):
        lowered = password.lower()
        if lowered in PUBLISHED:
            raise ValidationError(_("这是公开发布过的密码（演示账号的密码），任何人都知道，请换一个。"),
                                  code="password_published")
        letters = re.sub(r"[^a-z]", "", lowered)
        rest = re.sub(r"[a-z]", "", lowered)
        digits, symbols = re.sub(r"\D", "", rest), re.sub(r"\d", "", rest)
        if letters in WEAK_STEMS and len(symbols) <= 1 and _simple_number(digits):
            raise ValidationError(_("密码由常见的拼音或单词加简单的数字组成（如 wang12345），容易被猜中，请换一个。"),
                                  code="password_common_pattern")

    def get_help_text(self):
        return _("不能使用公开发布过的密码，也不能用常见拼音或单词加简单数字（如 wang12345）。")


class FewCharactersValidator:
    def __init__(self, min_distinct: int = 5):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(password) < 8:  # too short already (MinimumLengthValidator says so): one message is enough
            return
        if len(set(password.lower())) < self.min_distinct:
            raise ValidationError(
                _("密码只用了%(n)d个不同的字符（如 aaaaaaaa），容易被猜中，请至少用%(min)d个不同的字符。")
                % {"n": len(set(password.lower())), "min": self.min_distinct}, code="password_few_characters")

    def get_help_text(self):
        return _("至少用%(min)d个不同的字符。") % {"min": self.min_distinct}


def _fields(user) -> list[tuple[str, str]]:
    """(what the field is called, its value) of what a guesser knows about the person."""
    if user is None:
        return []
    out = [(_("登录账号"), getattr(user, "username", "") or ""), (_("姓名"), getattr(user, "full_name", "") or "")]
    email = getattr(user, "email", "") or ""
    out.append((_("邮箱"), email.split("@")[0]))
    try:
        organization = user.organization
    except ObjectDoesNotExist:  # no organization yet: nothing to compare
        organization = None
    if organization is not None and getattr(organization, "name", ""):
        out.append((_("单位名称"), organization.name))
    return [(label, value.strip().lower()) for label, value in out if value and value.strip()]


class SimilarityValidator:
    """Refuses a password that contains, or closely resembles, the person's login name, name, e-mail name or
    organization's name (names of two characters or more: Chinese names are short)."""

    def __init__(self, max_similarity: float = 0.7):
        self.max_similarity = max_similarity

    def validate(self, password, user=None):
        lowered = password.lower()
        core = re.sub(r"[\d\W_]+", "", lowered)
        for label, value in _fields(user):
            shortest = 2 if re.search(r"[\u4e00-\u9fff]", value) else 3
            if len(value) < shortest:
                continue
            similar = (value in lowered or (len(core) >= shortest and core in value)
                       or SequenceMatcher(a=lowered, b=value).quick_ratio() >= self.max_similarity
                       and SequenceMatcher(a=lowered, b=value).ratio() >= self.max_similarity)
            if similar:
                raise ValidationError(_("密码与您的%(field)s太相似，容易被猜中，请换一个。") % {"field": label},
                                      code="password_too_similar")

    def get_help_text(self):
        return _("不能与您的登录账号、姓名、邮箱或单位名称相似。")

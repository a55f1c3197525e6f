"""The states of the annual evaluation's round, evaluation and expert assignment, and the grades. Nothing of
the project is imported here, so that the models and the workflow tables (whose guards read the models) can
both import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    OPEN = "open", _("评估进行中")
    FINALIZED = "finalized", _("已定级")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    GRADED = "graded", _("已定级")
    WITHDRAWN = "withdrawn", _("已撤销，不再评估")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("待评分")
    SUBMITTED = "submitted", _("已提交评分")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")

"""The states of a batch, an application, an objection and an expert's assignment, and the groups of states the rules speak of.
Nothing of the project is imported here, so that models, rules and the workflow tables can all import it."""

from django.db import models
from django.utils.translation import gettext_lazy


class BatchState(models.TextChoices):
    OPEN = "open", gettext_lazy("申报中")
    CLOSED = "closed", gettext_lazy("已截止申报")


class ObjectionState(models.TextChoices):
    PENDING = "pending", gettext_lazy("待处理")
    UPHELD = "upheld", gettext_lazy("异议成立")
    DISMISSED = "dismissed", gettext_lazy("异议不成立")


class ExpertAssignmentState(models.TextChoices):
    """An expert of the panel on one application: assigned by HR, the opinion handed in (final), or taken off
    by HR before handing it in (and perhaps assigned again: the same row)."""

    ASSIGNED = "assigned", gettext_lazy("已分配")
    SUBMITTED = "submitted", gettext_lazy("已提交意见")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤销分配")


# The assignments that count: the expert is on the application (the batch's panel, the expert's list).
ON_PANEL = (ExpertAssignmentState.ASSIGNED, ExpertAssignmentState.SUBMITTED)


class State(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("待主管部门初审")
    RETURNED = "returned", gettext_lazy("退回修改")
    RECOMMENDED = "recommended", gettext_lazy("已推荐，待人社局审核")
    NOT_RECOMMENDED = "not_recommended", gettext_lazy("主管部门不予推荐")
    EXPERT_REVIEW = "expert_review", gettext_lazy("专家评审中")
    PROPOSED = "proposed", gettext_lazy("拟认定")
    PUBLICITY = "publicity", gettext_lazy("公示中")
    NOT_RECOGNIZED = "not_recognized", gettext_lazy("不予认定")
    RECOGNIZED = "recognized", gettext_lazy("已认定")


# States the unit may still edit.
EDITABLE = (State.DRAFT, State.RETURNED)
# Ended without a station: the unit may file again for the same occupation in the same batch.
DEAD = (State.NOT_RECOMMENDED, State.NOT_RECOGNIZED)
# "Live": in the pipeline. At most one per unit, occupation and batch (a partial unique constraint).
LIVE = tuple(s for s in State.values if s not in (State.DRAFT, *DEAD))
# Still waiting for the review chain: a batch cannot publish its list while any is here.
IN_REVIEW = (State.SUBMITTED, State.RETURNED, State.RECOMMENDED, State.EXPERT_REVIEW)

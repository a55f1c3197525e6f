"""Reads scoped to the person asking: views reach applications, files and records only through these, so
whatever a person may not see is a 404."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, CharField, Count, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, JSONObject

from applications.models import (
    Application,
    Attachment,
    Batch,
    BatchState,
    ExpertAssignment,
    Objection,
    ObjectionState,
    Publicity,
    SiteVisitPhoto,
)
from applications.states import ON_PANEL
from applications.workflow import State
from qinshui_station.lookups import AnyOf
from qinshui_station.models import AuditEntry
from qinshui_station.roles import Role

# SPEC "Confidentiality": who sees the experts' names, individual opinions, votes and site-visit notes.
# Everyone else who may open the application (the unit, its department, finance) sees the panel's conclusion.
SEES_EXPERT_REVIEW = (Role.HR, Role.ORG_DEPT)
# The experts' own records in an application's 办理记录: hidden from whoever may not see expert review.
EXPERT_ACTIONS = ("assign_expert", "unassign_expert", "expert_review_saved", "expert_opinion", "site_visit_photo")


def sees_expert_review(user) -> bool:
    return getattr(user, "role", None) in SEES_EXPERT_REVIEW


def history_for(user, application: Application):
    """The application's 办理记录 as ``user`` may read it (newest first, at most 50 entries): its own entries
    and, for whoever sees expert review, its experts' assignments' (assigned, taken off, opinion handed in)."""
    from qinshui_station import audit

    entries = audit.entries_for(application).select_related(None)  # the page prints the entry's actor_label
    if not sees_expert_review(user):
        return entries.exclude(action__in=EXPERT_ACTIONS)[:50]
    assignments = application.assignments.annotate(key=Cast("pk", CharField())).values("key")  # a subquery
    of_assignments = Q(object_type=ExpertAssignment._meta.label_lower, object_id__in=assignments)
    return (entries | AuditEntry.objects.filter(of_assignments)).order_by("-at", "-id")[:50]


def applications_for(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("unit", "unit__department", "batch")
    if not user.is_authenticated:
        return qs.none()
    match user.role:
        case Role.UNIT:
            return qs.filter(unit_id=user.organization_id)
        case Role.DEPARTMENT:
            return qs.filter(unit__department_id=user.organization_id).exclude(state=State.DRAFT)
        case Role.EXPERT:
            return qs.filter(assignments__expert=user, assignments__state__in=ON_PANEL)
        case Role.HR | Role.FINANCE | Role.ORG_DEPT:
            return qs.exclude(state=State.DRAFT)
    return qs.none()


def state_counts_query(applications: QuerySet[Application]) -> QuerySet:
    """(state, count) rows of ``applications`` (states with none are left out), in one query."""
    return applications.order_by().values_list("state").annotate(n=Count("id"))


def attachments_for(user, application: Application) -> QuerySet[Attachment]:
    """Files of an application the user has already reached through ``applications_for``."""
    return Attachment.objects.filter(application=application).select_related("uploaded_by")


def assignments_for(user) -> QuerySet[ExpertAssignment]:
    """An expert's own assignments (not those taken off)."""
    if not user.is_authenticated or user.role != Role.EXPERT:
        return ExpertAssignment.objects.none()
    return (ExpertAssignment.objects.filter(expert=user, state__in=ON_PANEL)
            .select_related("application", "application__batch", "application__unit")
            .annotate(photo_count=Count("photos")))


def assignments_of(application: Application) -> QuerySet[ExpertAssignment]:
    """The application's panel, each expert with his organization and ``photo_files``: his site-visit photos'
    ``pk`` and ``original_name`` in the order taken, read in the same statement. Read through the application's
    own manager, each assignment's ``application`` is that instance already (not joined again)."""
    photos = (SiteVisitPhoto.objects.filter(assignment=OuterRef("pk")).order_by("uploaded_at", "id")
              .values(shown=JSONObject(pk="id", original_name="original_name")))
    return (application.assignments.filter(state__in=ON_PANEL).select_related("expert", "expert__organization")
            .annotate(photo_files=ArraySubquery(photos)))


def photos_for(user) -> QuerySet[SiteVisitPhoto]:
    """Site-visit photos: the expert who took them and HR."""
    qs = SiteVisitPhoto.objects.select_related("assignment")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.HR:
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(assignment__expert=user, assignment__state__in=ON_PANEL)
    return qs.none()


def batches_for(user, *, counted: bool = True) -> QuerySet[Batch]:
    """The batches HR manages; ``counted``: with the number of submitted applications and of drafts (the list
    shows them; the batch page counts its applications by state itself)."""
    if user.is_authenticated and user.role == Role.HR and not counted:
        return Batch.objects.select_related("publicity", "recognition")
    if user.is_authenticated and user.role == Role.HR:
        return Batch.objects.annotate(
            submitted=Count("applications", filter=~Q(applications__state=State.DRAFT)),
            drafts=Count("applications", filter=Q(applications__state=State.DRAFT)),
        ).select_related("publicity", "recognition").order_by("-year")  # GROUP BY drops Meta.ordering
    return Batch.objects.none()


def recognized_batches_for(user) -> QuerySet[Batch]:
    """Batches whose joint recognition document is recorded: for the three issuing bodies."""
    if user.is_authenticated and user.role in (Role.HR, Role.ORG_DEPT, Role.FINANCE):
        return Batch.objects.filter(recognition__isnull=False).select_related("recognition")
    return Batch.objects.none()


def open_batches() -> QuerySet[Batch]:
    return Batch.objects.filter(state=BatchState.OPEN).order_by("-year")


def objections_for(user) -> QuerySet[Objection]:
    if user.is_authenticated and user.role == Role.HR:
        return Objection.objects.select_related("application", "publicity", "resolved_by")
    return Objection.objects.none()


def public_publicities() -> QuerySet[Publicity]:
    return Publicity.objects.select_related("batch").order_by("-starts_on")


def public_list(publicity: Publicity) -> QuerySet[Application]:
    """The stations on a published list (``listed_in`` its batch)."""
    return listed_in([publicity.batch_id])


def listed_in(batches: list[int]) -> QuerySet[Application]:
    """The stations on a published list: still in publicity or recognized since. An upheld objection has
    removed the others. Only what the notice prints is selected: no phones, bank data or members."""
    # In id order, read in that order from the partial index application_public_list (batch, id), whose
    # condition is the states here: 0.1 ms for a page of 50. Written batch = ANY(ARRAY[batch]) and ordered by
    # (batch, id), only that index gives the order; with batch = 5, PostgreSQL may walk the primary key instead
    # and read every earlier batch's rows first (20,013 rows, 23–56 ms on the five-year dataset, depending on
    # the statistics); ordered by id + 0 (before), it read and sorted the batch's 4,000 rows (2.6 ms).
    return (Application.objects.filter(AnyOf(F("batch_id"), Value(batches, output_field=BATCH_IDS)),
                                       state__in=(State.PUBLICITY, State.RECOGNIZED))
            .only("id", "unit_name", "occupation", "leader_name", "leader_skill_level", "state")
            .order_by("batch_id", "pk"))


BATCH_IDS = ArrayField(BigIntegerField())


def ordered_members() -> QuerySet:
    """Members in the order the 申报表 lists them."""
    from applications.models import Member

    return Member.objects.order_by("position", "id")


def with_members(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.prefetch_related(Prefetch("members", queryset=ordered_members()))


def pending_objection_count(batch: Batch) -> int:
    return Objection.objects.filter(publicity__batch=batch, state=ObjectionState.PENDING).count()


def matching(applications: QuerySet[Application], q: str) -> QuerySet[Application]:
    """The applications whose unit, occupation or leader contains ``q`` (every list's search box)."""
    if not q:
        return applications
    return applications.filter(Q(unit_name__icontains=q) | Q(occupation__icontains=q) | Q(leader_name__icontains=q))

"""View decorators: who may open a page at all. Which objects they see is the selectors' business."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from qinshui_station import engine
from qinshui_station.punctuation import listed
from qinshui_station.workflow import TransitionRefused


def role_required(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def posted_from(page, *names):
    """A step posted from an object's page to an address of its own (``…/disburse/``, ``…/move/<to>/``), in place
    of ``require_POST``. ``page`` is that page: a URL name, reversed with those of the view's arguments that
    ``names`` names (``posted_from("funding:tranche_detail", "pk")``), or a function ``(request, **kwargs) -> url``
    where finding it takes a query (through a selector).
    - Refused, the step renders its page again at the step's address: the page says its own address
      (``request.page_address``, in base.html's ``<meta name="page-address">``) and portal.js puts it in the
      address bar, so that reloading does not post again and a copied address opens the page.
    - A GET (a bookmark, a copied address, a language switched on that page) is sent to the page instead of a 405.
    """
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            def address() -> str:
                if callable(page):
                    return page(request, **kwargs)
                return reverse(page, kwargs={name: kwargs[name] for name in names})

            if request.method in ("GET", "HEAD"):
                return redirect(address())
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            request.page_address = SimpleLazyObject(address)  # read only when the page is rendered again
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def state_filter(request, states, default: str = "") -> tuple[str, str]:
    """A list's state filter (``?state=``): the state, and the message for a value that is none of ``states``
    (a typed or old address): then the whole list shows and the drop-down says why, as a form's field would."""
    state = request.GET.get("state", default)
    if state and state not in states.values:
        return "", forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": state}
    return state, ""


def paginate(request, queryset, per_page: int = 25, *, count: int | None = None):
    """A page of ``queryset``; ``count``, when the caller already knows how many rows there are (a kept total),
    spares the paginator its ``COUNT(*)``."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))


class Window:
    """One page of a list too long to count on every view (the audit log grows without end): the rows and
    whether there are more, from one query of ``per_page + 1`` rows; previous / next, no total
    (``includes/pager.html``)."""

    def __init__(self, request, queryset, per_page: int):
        raw = request.GET.get("page", "")
        self.number = max(1, min(int(raw), 10**6)) if raw.isdigit() else 1
        start = (self.number - 1) * per_page
        rows = list(queryset[start:start + per_page + 1])
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def confirmed(request) -> bool:
    """An irreversible step was confirmed: the person ticked the box on the confirmation form
    (templates/includes/confirm.html). Views refuse the step otherwise."""
    return request.POST.get("confirm") == "1"


# What a view catches from a service: a refusal the person can act on. PermissionDenied is not among them:
# it reaches Django and stays a 403.
REFUSALS = (ValidationError, TransitionRefused)


def refusal_messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def errors_to_form(form, error) -> None:
    """A refused call onto the form that made it: a ValidationError at the field it names when the form has
    that field, everything else (a TransitionRefused, a non-field error) at the top of the form — the view
    then renders the form again, so nothing the person typed is lost (but the files chosen: files_to_choose_again)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_messages(error))
    files_to_choose_again(form)


def also_refused(form, errors: dict) -> None:
    """A form its own checks refused: what the service would refuse besides (``errors`` by field, from the
    service's own check function), each at its box that has no message yet — one try says everything, not one
    more box at each try."""
    for field, message in errors.items():
        if field in form.fields and not form.has_error(field):
            form.add_error(field, message)


def files_to_choose_again(form) -> None:
    """A form refused for another box comes back with its file boxes empty — a browser keeps no file chosen across
    a page — and the person, having put the other box right, would send it without them: each file box that had a
    file and no message of its own says which to choose again. Called by errors_to_form, and by
    ``ChosenFilesMixin`` when the form's own checks refuse it."""
    if not form.errors:
        return
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField) or form.has_error(name):
            continue
        key = form.add_prefix(name)
        uploads = form.files.getlist(key) if hasattr(form.files, "getlist") else [form.files.get(key)]
        chosen = [upload.name for upload in uploads if upload]
        if chosen:
            form.add_error(name, _("请重新选择文件：%(names)s（页面退回后，浏览器不保留已选的文件）。")
                           % {"names": listed(chosen)})


class ChosenFilesMixin:
    """A form with a file box: refused by its own checks for another box, it says which file to choose again
    (files_to_choose_again). Mix in before ``forms.Form``."""

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            files_to_choose_again(self)


def errors_to_formset(formset, error, forms=None) -> None:
    """A refused call onto the formset whose rows it was given (``forms``: those rows' forms, in the order
    given; all of them by default): a ValidationError naming a row's field as ``"<row>.<field>"`` at that
    field of that row, everything else above the rows — the view renders the formset again, rows as typed."""
    forms = formset.forms if forms is None else forms
    if not hasattr(error, "error_dict"):
        formset._non_form_errors.extend(refusal_messages(error))
        return
    for key, errors in error.message_dict.items():
        row, _dot, field = key.partition(".")
        if row.isdigit() and int(row) < len(forms) and (field in forms[int(row)].fields or field == NON_FIELD_ERRORS):
            forms[int(row)].add_error(None if field == NON_FIELD_ERRORS else field, errors)
        else:
            formset._non_form_errors.extend(errors)


def kept_step(request, error=None, *, step: str, reason_required: bool = False, confirm_error: str = "") -> dict:
    """A refused step (includes/confirm.html, or a small form with a reason) shown again: ``step`` names it,
    the reason as typed, and the message at what caused it — the confirmation box (``confirm_error``), the
    reason's box when a required reason was left empty, else the step's top (``error``)."""
    reason = request.POST.get("reason", "")
    kept = {"step": step, "reason": reason, "confirm_error": confirm_error, "reason_error": "", "error": ""}
    if error is not None:
        message = " ".join(refusal_messages(error))
        at_reason = (reason_required and not reason.strip()) or "reason" in getattr(error, "error_dict", {})
        kept["reason_error" if at_reason else "error"] = message
    return kept


def kept_at_top(request, kept: dict, obj, to: str) -> None:
    """A refused step (``kept_step``, or the application page's move with its 推荐报告) whose page no longer offers
    it (the object moved on meanwhile, another tab): its messages at the top of the page, since the step's own
    place is gone. Refused only for its unticked box (the service was not asked), the step ``to`` of ``obj`` is
    said to be gone and why (``step_gone``), not the box's message: there is no box to tick any more."""
    said = [message for message in (kept.get("error"), kept.get("reason_error"), kept.get("report_error")) if message]
    if not said and kept.get("confirm_error"):
        step_gone(request, obj, to)
    for message in said:
        messages.error(request, message)


def step_gone(request, obj, to: str) -> bool:
    """A step asked for that is no longer open to the person — the move of ``obj`` to ``to`` (it moved on meanwhile,
    in another tab or by a colleague) — says so at the top of the page, with the engine's refusal of the move as
    the reason; False, saying nothing, when the move is still open."""
    try:
        engine.check(obj, to, actor=request.user, reason="-")
    except (PermissionDenied, TransitionRefused, ValidationError) as error:
        reason = engine.refusal_text(error)
    else:
        return False
    messages.error(request, _("该操作已无法办理：%(reason)s") % {"reason": reason} if reason
                   else _("该操作已无法办理。"))
    return True


def form_at_top(request, form) -> None:
    """A refused form whose page no longer offers it (paid or recovered meanwhile, from another tab or by a
    colleague): its messages at the top of the page, since the form's place is gone."""
    for message in form.non_field_errors():
        messages.error(request, message)


def refused(request, error) -> None:
    """A refused button (a POST without a form to show again): one message per reason, on the next page."""
    for message in refusal_messages(error):
        messages.error(request, message)

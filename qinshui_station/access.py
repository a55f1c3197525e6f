"""View decorators: who may open a page at all. Which objects they see is the selectors' business."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

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


def paginate(request, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
    then renders the form again, so nothing the person typed is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_messages(error))


def refused(request, error) -> None:
    """A refused button (a POST without a form to show again): one message per reason, on the next page."""
    for message in refusal_messages(error):
        messages.error(request, message)

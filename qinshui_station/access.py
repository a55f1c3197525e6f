"""View decorators: who may open a page at all. Which objects they see is the selectors' business."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator


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


def errors_to_form(form, error) -> None:
    """A service's ValidationError onto the form: at the field it names when the form has that field,
    otherwise at the top of the form, so nothing the person typed is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

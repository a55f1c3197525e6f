from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def age(moment) -> str:
    """How long something has been in its state, in whole days: what HR chases."""
    if not moment:
        return ""
    days = (timezone.now() - moment).days
    if days < 1:
        return _("不足1天")
    return _("%(n)d天") % {"n": days}

from django.urls import NoReverseMatch, reverse

from qinshui_station.notifications import unread_count
from qinshui_station.registry import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    entries = []
    for item in nav_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "icon": item.icon,
                        "active": request.path.startswith(url) and url != "/"})
    unread = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"nav_entries": entries, "unread_notifications": unread}

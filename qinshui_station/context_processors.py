from django.urls import NoReverseMatch, reverse

from qinshui_station.notifications import unread_count
from qinshui_station.registry import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    links = []
    for item in nav_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append((item, {"label": item.label, "url": url, "icon": item.icon,
                             "active": request.path.startswith(url) and url != "/"}))
    entries = _grouped(links)
    unread = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"nav_entries": entries, "unread_notifications": unread}



def _grouped(links):
    """Top-level entries in menu order; a group seen with two or more links becomes a drop-down placed
    where its first link stands, a group with one link stays a plain link."""
    sizes = {}
    for item, _link in links:
        if item.group:
            sizes[str(item.group)] = sizes.get(str(item.group), 0) + 1
    entries, groups = [], {}
    for item, link in links:
        key = str(item.group)
        if not item.group or sizes[key] < 2:
            entries.append(link)
            continue
        if key not in groups:
            groups[key] = {"label": item.group, "icon": item.icon, "children": [], "active": False,
                           "slug": f"navgroup-{len(groups) + 1}"}
            entries.append(groups[key])
        groups[key]["children"].append(link)
        groups[key]["active"] = groups[key]["active"] or link["active"]
    return entries

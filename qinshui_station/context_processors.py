from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from qinshui_station.notifications import unread_count, unread_label
from qinshui_station.registry import nav_for

# The menu's addresses, reversed once a process (they depend only on the URL configuration and the script prefix,
# which are the key): the menu is on every page, and reversing its dozen names cost a page more than its queries.
_addresses: dict[tuple, str | None] = {}


def _address(url_name: str) -> str | None:
    key = (url_name, get_urlconf(), get_script_prefix())
    if key not in _addresses:
        try:
            _addresses[key] = reverse(url_name)
        except NoReverseMatch:
            _addresses[key] = None
    return _addresses[key]


def navigation(request):
    user = getattr(request, "user", None)
    links = []
    for item in nav_for(user):
        url = _address(item.url_name)
        if url is None:
            continue
        links.append((str(item.group) if item.group else "", {
            "label": str(item.label), "url": url, "icon": item.icon,
            "active": request.path.startswith(url) and url != "/"}))
    entries = _grouped(links)
    unread = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"nav_entries": entries, "unread_notifications": unread_label(unread) if unread else ""}


def _grouped(links):
    """Top-level entries in menu order; a group seen with two or more links becomes a drop-down placed
    where its first link stands, a group with one link stays a plain link."""
    sizes = {}
    for group, _link in links:
        if group:
            sizes[group] = sizes.get(group, 0) + 1
    entries, groups = [], {}
    for group, link in links:
        if not group or sizes[group] < 2:
            entries.append(link)
            continue
        if group not in groups:
            groups[group] = {"label": group, "icon": link["icon"], "children": [], "active": False,
                             "slug": f"navgroup-{len(groups) + 1}"}
            entries.append(groups[group])
        groups[group]["children"].append(link)
        groups[group]["active"] = groups[group]["active"] or link["active"]
    return entries

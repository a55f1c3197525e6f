from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from qinshui_station.addresses import known_address
from qinshui_station.notifications import unread_count, unread_label
from qinshui_station.registry import nav_for

# The menu's HTML by (role, language, URL configuration, script prefix, which entries are active): it depends on
# nothing else (the entries are registered by the apps' code at start-up), and rendering it cost a signed-in page
# ~0.9 ms of CPU. A few hundred keys at most (7 roles × 2 languages × the entries).
_menus: dict[tuple, str] = {}


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    urlconf, prefix = get_urlconf(), get_script_prefix()  # looked up once, not per entry
    items = [(item, url) for item in nav_for(user) if (url := known_address(item.url_name, urlconf, prefix)) is not None]
    active = tuple(request.path.startswith(url) and url != "/" for _item, url in items)
    key = (user.role if signed_in else None, get_language(), urlconf, prefix, active)
    if key not in _menus:
        links = [(str(item.group) if item.group else "",
                  {"label": str(item.label), "url": url, "icon": item.icon, "active": is_active})
                 for (item, url), is_active in zip(items, active, strict=True)]
        _menus[key] = render_to_string("includes/menu.html", {"nav_entries": _grouped(links)})
    unread = unread_count(user) if signed_in else 0
    # what base.html's kept header puts in its slots, worked out once here (a template's failed lookup of an
    # attribute most requests lack, and its filters, cost more than the value)
    page_address = getattr(request, "page_address", "")  # a refused step's page (access.posted_from)
    return {"nav_html": _menus[key], "unread_notifications": unread_label(unread) if unread else "",
            "page_address": page_address, "back_address": page_address or request.get_full_path(),
            "person_label": f"{user.full_name or user.username} · {user.role_label}" if signed_in else ""}


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

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Static, in both languages, rendered without the request's context: the menu and the unread count read the
    database, which may be what failed."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())

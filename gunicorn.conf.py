"""gunicorn's settings for the portal (read from the working directory: run gunicorn from the project's folder,
or pass ``-c gunicorn.conf.py``). Workers, address and the like stay on the command line (README, "Production").

Python's cycle collector and a long-lived process: a worker holds ~95,000 objects once loaded and ~130,000 once its pages are compiled, all living as long as it does
(Django, the apps, the URL patterns, the compiled templates and catalogues). Every full collection walks all of
them — on this machine a 40–55 ms pause in the middle of a request, which is what the slowest 1 % of requests
waited for (docs/performance.md, "Pauses of the cycle collector"). ``gc.freeze()`` moves the objects alive at that
moment out of the collector's reach (Python's documentation recommends it for forked servers); later collections
walk only what requests create. It is called once the worker has loaded the portal, and once more after its first
requests, when the templates and catalogues they compiled are there too. Garbage is still collected: only objects
already alive, and kept alive by the process, are frozen."""

import gc

FREEZE_AFTER_REQUESTS = 200  # by then the pages a worker serves have compiled their templates


def post_worker_init(worker):
    gc.freeze()


def post_request(worker, req, environ, resp):
    if worker.nr == FREEZE_AFTER_REQUESTS:
        gc.collect()  # what the first requests left as garbage is not frozen with the rest
        gc.freeze()

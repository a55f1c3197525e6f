from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tools above every other app: the provincial-scale dataset (``seed_scale``, ``scale``) and
    the benchmarks (``bench_*``). Nothing imports this app; it imports the others at the top."""

    name = "devtools"
    verbose_name = "开发工具"

from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("import/template.xlsx", views.template_download, name="template"),
    path("import/files/<int:pk>/", views.import_file, name="import_file"),
    path("export.xlsx", views.export_download, name="export"),
    path("archive.zip", views.unit_archive, name="unit_archive"),
]

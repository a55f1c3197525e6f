from django.urls import path

from reviews.views import documents, evaluations, ledger, revocation, rounds, scoring

app_name = "reviews"
urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/window/", rounds.round_window, name="round_window"),
    path("rounds/<int:pk>/tie/", rounds.round_tie, name="round_tie"),
    path("rounds/<int:pk>/finalize/", rounds.round_finalize, name="round_finalize"),
    path("rounds/<int:pk>/grades/", rounds.round_grades, name="round_grades"),
    path("rounds/<int:pk>/grades.pdf", documents.round_grades_pdf, name="round_grades_pdf"),
    path("rounds/<int:pk>/results.xlsx", documents.round_results_xlsx, name="round_results_xlsx"),
    path("evaluations/", evaluations.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/form.pdf", documents.evaluation_form_pdf, name="evaluation_pdf"),
    path("evaluations/<int:pk>/edit/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/transition/", evaluations.evaluation_transition, name="evaluation_transition"),
    path("evaluations/<int:pk>/attachments/", evaluations.attachment_add, name="attachment_add"),
    path("evaluations/<int:pk>/assign/", evaluations.assign, name="assign"),
    path("attachments/<int:pk>/", evaluations.attachment_file, name="attachment_file"),
    path("attachments/<int:pk>/remove/", evaluations.attachment_remove, name="attachment_remove"),
    path("assignments/", scoring.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", scoring.score, name="score"),
    path("assignments/<int:pk>/submit/", scoring.score_submit, name="score_submit"),
    path("assignments/<int:pk>/unassign/", evaluations.unassign, name="unassign"),
    path("stations/<int:station_pk>/ledger/", ledger.ledger, name="ledger"),
    path("ledger/<int:pk>/delete/", ledger.ledger_delete, name="ledger_delete"),
    path("ledger/files/<int:pk>/", ledger.ledger_file, name="ledger_file"),
    path("stations/<int:station_pk>/revoke/", revocation.revoke, name="revoke"),
]

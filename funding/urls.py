from django.urls import path

from funding import document_views, views

app_name = "funding"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("stations/<int:workstation_pk>/", views.statement, name="statement"),
    path("stations/<int:workstation_pk>/statement.pdf", document_views.statement_pdf, name="statement_pdf"),
    path("stations/<int:workstation_pk>/expenditures/new/", views.expenditure_create, name="expenditure_create"),
    path("tranches/", views.tranche_list, name="tranche_list"),
    path("tranches/<int:pk>/", views.tranche_detail, name="tranche_detail"),
    path("tranches/<int:pk>/approve/", views.tranche_approve, name="tranche_approve"),
    path("tranches/<int:pk>/disburse/", views.tranche_disburse, name="tranche_disburse"),
    path("tranches/<int:pk>/cancel/", views.tranche_cancel, name="tranche_cancel"),
    path("expenditures/", views.expenditure_list, name="expenditure_list"),
    path("expenditures/<int:pk>/", views.expenditure_detail, name="expenditure_detail"),
    path("expenditures/<int:pk>/question/", views.expenditure_question, name="expenditure_question"),
    path("expenditures/<int:pk>/clear/", views.expenditure_clear, name="expenditure_clear"),
    path("expenditures/<int:pk>/uphold/", views.expenditure_uphold, name="expenditure_uphold"),
    path("expenditures/<int:pk>/documents/<int:document_pk>/", views.expenditure_document,
         name="expenditure_document"),
    path("recoveries/", views.recovery_list, name="recovery_list"),
    path("recoveries/<int:pk>/", views.recovery_detail, name="recovery_detail"),
    path("recoveries/<int:pk>/recovered/", views.recovery_recovered, name="recovery_recovered"),
]

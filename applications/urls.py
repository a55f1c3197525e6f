from django.urls import path

from applications.views import batches, documents, filing, public, review

app_name = "applications"
urlpatterns = [
    path("", filing.application_list, name="list"),
    path("new/", filing.application_create, name="create"),
    path("<int:pk>/", filing.application_detail, name="detail"),
    path("<int:pk>/edit/<slug:step>/", filing.application_edit, name="edit"),
    path("<int:pk>/move/<slug:to>/", filing.application_move, name="move"),
    path("<int:pk>/form.pdf", documents.application_form_pdf, name="form_pdf"),
    path("<int:pk>/attachments/", filing.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", filing.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_id>/withdraw/", filing.attachment_withdraw,
         name="attachment_withdraw"),
    path("<int:pk>/experts/", review.assign_expert, name="assign_expert"),
    path("<int:pk>/conclusion/", review.panel_conclusion, name="panel_conclusion"),
    path("<int:pk>/conclusion/correct/", review.panel_correction, name="panel_correction"),
    path("<int:pk>/county-confirm/", review.county_confirm, name="county_confirm"),
    path("assignments/", review.assignment_list, name="assignment_list"),
    path("assignments/<int:assignment_id>/", review.assignment_review, name="assignment_review"),
    path("assignments/<int:assignment_id>/remove/", review.remove_assignment, name="remove_assignment"),
    path("assignments/<int:assignment_id>/photos/", review.photo_upload, name="photo_upload"),
    path("photos/<int:photo_id>/", review.photo_download, name="photo_download"),
    path("batches/", batches.batch_list, name="batch_list"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/close/", batches.batch_close, name="batch_close"),
    path("batches/<int:pk>/publicity/", batches.batch_publish, name="batch_publish"),
    path("batches/<int:pk>/recognition/", batches.batch_recognize, name="batch_recognize"),
    path("batches/<int:pk>/applications.xlsx", documents.batch_applications_xlsx, name="batch_xlsx"),
    path("batches/<int:pk>/recognition.pdf", documents.recognition_pdf, name="recognition_pdf"),
    path("objections/<int:objection_id>/resolve/", batches.objection_resolve, name="objection_resolve"),
    path("publicity/", public.publicity_list, name="publicity_list"),
    path("publicity/<int:year>/", public.publicity_detail, name="publicity_detail"),
    path("publicity/<int:year>/notice.pdf", documents.publicity_notice_pdf, name="publicity_pdf"),
]

from django.urls import path

from activities import views, views_calendar, views_editing, views_evidence

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("search/", views.search_page, name="search"),
    path("activities/new/", views_editing.activity_new, name="new"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/changes/", views.activity_changes, name="changes"),
    path(
        "activities/<int:pk>/organizations/",
        views_editing.participations_edit,
        name="participations-edit",
    ),
    path("activities/<int:pk>/links/", views_editing.links_edit, name="links-edit"),
    path("activities/<int:pk>/funding/new/", views_editing.funding_add, name="funding-add"),
    path(
        "activities/<int:pk>/funding/<int:funding_id>/edit/",
        views_editing.funding_edit,
        name="funding-edit",
    ),
    path(
        "activities/<int:pk>/funding/<int:funding_id>/delete/",
        views_editing.funding_delete,
        name="funding-delete",
    ),
    path(
        "activities/<int:pk>/milestones/<int:milestone_id>/edit/",
        views_editing.milestone_edit,
        name="milestone-edit",
    ),
    path(
        "activities/<int:pk>/milestones/<int:milestone_id>/delete/",
        views_editing.milestone_delete,
        name="milestone-delete",
    ),
    path("activities/<int:pk>/milestones/new/", views.milestone_add, name="milestone-add"),
    path(
        "activities/<int:pk>/milestones/<int:milestone_id>/complete/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path(
        "activities/<int:pk>/indicators/<int:indicator_id>/measurements/new/",
        views.measurement_add,
        name="measurement-add",
    ),
    path("activities/<int:pk>/updates/new/", views.update_new, name="update-new"),
    path(
        "activities/<int:pk>/updates/<int:update_id>/edit/", views.update_edit, name="update-edit"
    ),
    path(
        "activities/<int:pk>/updates/<int:update_id>/submit/",
        views.update_submit,
        name="update-submit",
    ),
    path(
        "activities/<int:pk>/updates/<int:update_id>/delete/",
        views_editing.update_delete,
        name="update-delete",
    ),
    path(
        "activities/<int:pk>/updates/<int:update_id>/withdraw/",
        views_editing.update_withdraw,
        name="update-withdraw",
    ),
    path("priorities/<int:year>/edit/", views_editing.priorities_edit, name="priorities-edit"),
    path(
        "activities/<int:pk>/updates/<int:update_id>/evidence/",
        views_evidence.update_evidence,
        name="update-evidence",
    ),
    path(
        "activities/<int:pk>/measurements/<int:measurement_id>/evidence/",
        views_evidence.measurement_evidence,
        name="measurement-evidence",
    ),
    path(
        "evidence/<int:evidence_id>/download/",
        views_evidence.evidence_download,
        name="evidence-download",
    ),
    path(
        "evidence/<int:evidence_id>/remove/", views_evidence.evidence_remove, name="evidence-remove"
    ),
    path(
        "plans/<int:pk>/reporting-calendar/",
        views_calendar.reporting_calendar_edit,
        name="reporting-calendar",
    ),
    path("approvals/", views.approval_queue, name="approvals"),
    path("approvals/<int:update_id>/approve/", views.approval_approve, name="approve"),
    path("approvals/<int:update_id>/return/", views.approval_return, name="return"),
]

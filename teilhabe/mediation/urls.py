from django.urls import path

from teilhabe.mediation import (
    mediator_views,
    staff_views,
    views,
    views_expenses,
    views_statistics,
)

app_name = "mediation"

urlpatterns = [
    # Requesters (professionals of an institution)
    path("mediation/requests/", views.my_requests, name="my_requests"),
    path("mediation/requests/new/", views.request_create, name="request_create"),
    path("mediation/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("mediation/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path(
        "mediation/requests/<int:pk>/confirm-done/",
        views.request_confirm_done,
        name="request_confirm_done",
    ),
    # Mediators
    path("mediation/me/", mediator_views.my_profile, name="my_profile"),
    path("mediation/me/availability/", mediator_views.my_availability, name="my_availability"),
    path("mediation/offers/", mediator_views.my_offers, name="my_offers"),
    path("mediation/offers/<int:pk>/accept/", mediator_views.offer_accept, name="offer_accept"),
    path("mediation/offers/<int:pk>/decline/", mediator_views.offer_decline, name="offer_decline"),
    path(
        "mediation/offer/<str:token>/<str:answer>/",
        mediator_views.offer_answer,
        name="offer_answer",
    ),
    path("mediation/assignments/", mediator_views.my_assignments, name="my_assignments"),
    path(
        "mediation/assignments/<int:pk>/report/",
        mediator_views.assignment_report,
        name="assignment_report",
    ),
    path(
        "mediation/assignments/<int:pk>/cancel/",
        mediator_views.assignment_cancel,
        name="assignment_cancel",
    ),
    # Staff
    path("mediation/staff/requests/", staff_views.staff_requests, name="staff_requests"),
    path(
        "mediation/staff/requests/new/",
        staff_views.staff_request_create,
        name="staff_request_create",
    ),
    path("mediation/staff/requests/<int:pk>/", staff_views.staff_request, name="staff_request"),
    path(
        "mediation/staff/requests/<int:pk>/cancel/",
        staff_views.staff_request_cancel,
        name="staff_request_cancel",
    ),
    path("mediation/staff/batch/", staff_views.batch, name="batch"),
    path("mediation/staff/batch/<int:pk>/", staff_views.batch_detail, name="batch_detail"),
    path("mediation/staff/mediators/", staff_views.staff_mediators, name="staff_mediators"),
    path("mediation/staff/mediators/<int:pk>/", staff_views.staff_mediator, name="staff_mediator"),
    path(
        "mediation/staff/mediators/<int:pk>/leave/",
        staff_views.staff_mediator_leave,
        name="staff_mediator_leave",
    ),
    # Expense statements and statistics (views_expenses.py, views_statistics.py)
    path("mediation/statements/", views_expenses.my_statements, name="my_statements"),
    path("mediation/statements/<int:pk>/", views_expenses.my_statement, name="my_statement"),
    path("mediation/statements/<int:pk>/pdf/", views_expenses.statement_pdf, name="statement_pdf"),
    path("mediation/staff/statements/", views_expenses.staff_statements, name="staff_statements"),
    path(
        "mediation/staff/statements/create/",
        views_expenses.statements_create,
        name="statements_create",
    ),
    path("mediation/staff/statements/csv/", views_expenses.statements_csv, name="statements_csv"),
    path(
        "mediation/staff/statements/<int:pk>/",
        views_expenses.staff_statement,
        name="staff_statement",
    ),
    path(
        "mediation/staff/statements/<int:pk>/approve/",
        views_expenses.statement_approve,
        name="statement_approve",
    ),
    path("mediation/staff/statistics/", views_statistics.statistics_page, name="statistics"),
    path(
        "mediation/staff/statistics/<slug:table>.csv",
        views_statistics.statistics_csv,
        name="statistics_csv",
    ),
]

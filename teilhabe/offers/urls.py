from django.urls import path

from teilhabe.offers import manage_views, views

app_name = "offers"

urlpatterns = [
    # Public pages (views.py): no log-in, phone first, work without JavaScript.
    path("", views.offer_map, name="map"),
    path("offers.geojson", views.offers_geojson, name="geojson"),
    path("offers/<int:pk>/", views.offer_detail, name="detail"),
    path("offers/<int:pk>/print/", views.offer_print, name="print"),
    path("embed/", views.embed, name="embed"),
    # Organisations maintain their offers; staff review (manage_views.py).
    path("my/offers/", manage_views.my_offers, name="mine"),
    path("my/offers/new/", manage_views.offer_create, name="create"),
    path("my/offers/<int:pk>/edit/", manage_views.offer_edit, name="edit"),
    path("my/offers/<int:pk>/submit/", manage_views.offer_submit, name="submit"),
    path("my/offers/<int:pk>/archive/", manage_views.offer_archive, name="archive"),
    path(
        "my/offers/<int:pk>/translations/<str:language>/",
        manage_views.translation_edit,
        name="translation_edit",
    ),
    path("offers/still-current/<str:token>/", manage_views.offer_confirm, name="confirm"),
    path("staff/offers/review/", manage_views.review_queue, name="review_queue"),
    path("staff/offers/<int:pk>/review/", manage_views.offer_review, name="review"),
    path("staff/offers/stale/", manage_views.stale_offers, name="stale"),
    path("staff/offers/statistics/", manage_views.statistics, name="statistics"),
]

from django.urls import path
from django.views.generic import RedirectView

from . import views_public, views_work

app_name = "inquiries"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inquiries:new", permanent=False), name="index"),
    # Public
    path("new/", views_public.inquiry_new, name="new"),
    path("received/<str:token>/", views_public.inquiry_received, name="received"),
    path("track/", views_public.track, name="track"),
    path("track/<str:code>/", views_public.track_detail, name="track_detail"),
    path("track/<str:code>/information/", views_public.track_info, name="track_info"),
    path("track/<str:code>/withdraw/", views_public.track_withdraw, name="track_withdraw"),
    path("track/<str:code>/erase/", views_public.track_erase, name="track_erase"),
    path("track/<str:code>/files/<uuid:public_id>/", views_public.track_file_session, name="track_file_session"),
    path("t/<str:secret>/", views_public.track_secret, name="track_secret"),
    path("t/<str:secret>/files/<uuid:public_id>/", views_public.track_file, name="track_file"),
    path("mine/", views_public.mine, name="mine"),
    path("faq/", views_public.faq, name="faq"),
    path("faq/<uuid:public_id>/", views_public.faq_detail, name="faq_detail"),
    path("hs-codes/", views_public.hs_codes, name="hs_codes"),
    # Officials
    path("work/", views_work.queue, name="queue"),
    path("work/bulk-assign/", views_work.bulk_assign, name="bulk_assign"),
    path("work/figures/", views_work.figures, name="figures"),
    path("work/<str:code>/", views_work.detail, name="detail"),
    path("work/<str:code>/assign/", views_work.assign, name="assign"),
    path("work/<str:code>/reject/", views_work.reject, name="reject"),
    path("work/<str:code>/pass-up/", views_work.pass_up, name="pass_up"),
    path("work/<str:code>/contribute/", views_work.contribute, name="contribute"),
    path("work/<str:code>/draft/", views_work.draft, name="draft"),
    path("work/<str:code>/request-information/", views_work.request_info, name="request_info"),
    path("work/<str:code>/return/", views_work.return_draft, name="return"),
    path("work/<str:code>/approve/", views_work.approve, name="approve"),
    path("work/<str:code>/close/", views_work.close, name="close"),
    path("work/<str:code>/note/", views_work.note, name="note"),
    path("work/<str:code>/faq/", views_work.faq_publish, name="faq_publish"),
    path("work/<str:code>/faq/withdraw/", views_work.faq_unpublish, name="faq_unpublish"),
    path("work/<str:code>/files/<uuid:public_id>/", views_work.attachment, name="file"),
]

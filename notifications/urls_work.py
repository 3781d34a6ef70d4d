"""Workflow routes (detail page, dossiers, triage, comments, business input)."""

from django.urls import path

from . import views_work as v

urlpatterns = [
    path("work/", v.work, name="work"),
    path("dossiers/", v.dossier_list, name="dossiers"),
    path("dossiers/new/", v.dossier_new, name="dossier_new"),
    path("<uuid:public_id>/", v.detail, name="detail"),
    path("<uuid:public_id>/edit/", v.dossier_edit, name="dossier_edit"),
    path("<uuid:public_id>/submit/", v.dossier_submit, name="dossier_submit"),
    path("<uuid:public_id>/review/", v.dossier_review, name="dossier_review"),
    path("<uuid:public_id>/notify/", v.dossier_notify, name="dossier_notify"),
    path("<uuid:public_id>/documents/new/", v.document_add, name="document_add"),
    path("<uuid:public_id>/documents/<uuid:doc_id>/", v.document, name="document"),
    path("<uuid:public_id>/comments/new/", v.comment_new, name="comment_new"),
    path("<uuid:public_id>/triage/", v.triage, name="triage"),
    path("<uuid:public_id>/impact/", v.impact_note, name="impact_note"),
    path("<uuid:public_id>/vietnamese/", v.vietnamese, name="vietnamese"),
    path("<uuid:public_id>/input/", v.business_input, name="input"),
    path("<uuid:public_id>/national-comment/", v.national_comment_new, name="national_comment_new"),
    path("inputs/mine/", v.my_inputs, name="my_inputs"),
    path("inputs/<uuid:public_id>/", v.input_thanks, name="input_thanks"),
    path("comments/<uuid:public_id>/", v.comment_detail, name="comment"),
    path("comments/<uuid:public_id>/route/", v.comment_route, name="comment_route"),
    path("comments/<uuid:public_id>/reply/", v.comment_reply, name="comment_reply"),
    path("comments/<uuid:public_id>/send/", v.comment_send, name="comment_send"),
    path("comments/<uuid:public_id>/return/", v.comment_return, name="comment_return"),
    path("comments/<uuid:public_id>/send-national/", v.national_comment_send, name="national_comment_send"),
    path("comments/<uuid:public_id>/partner-reply/", v.partner_reply, name="partner_reply"),
]

from django.urls import path

from . import views_escalations, views_items, views_manage, views_meetings, views_public, views_workplans

app_name = "board"

urlpatterns = [
    path("", views_public.public, name="public"),
    path("home/", views_public.home, name="home"),
    # Meetings (members)
    path("meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<uuid:public_id>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:public_id>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:public_id>/items/new/", views_items.item_add, name="item_add"),
    path("meetings/<uuid:public_id>/papers/new/", views_meetings.paper_add, name="paper_add"),
    path("meetings/<uuid:public_id>/convene/", views_meetings.meeting_convene, name="meeting_convene"),
    path("meetings/<uuid:public_id>/cancel/", views_meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:public_id>/reply/", views_meetings.invitation_reply, name="invitation_reply"),
    path("meetings/<uuid:public_id>/attendance/", views_meetings.attendance, name="attendance"),
    path("meetings/<uuid:public_id>/close/", views_meetings.meeting_close, name="meeting_close"),
    path("meetings/<uuid:public_id>/minutes.pdf", views_meetings.minutes_download, name="minutes_download"),
    path("meetings/<uuid:public_id>/minutes/regenerate/", views_meetings.minutes_regenerate, name="minutes_regenerate"),
    path("papers/<uuid:public_id>/", views_meetings.paper_download, name="paper_download"),
    path("items/<uuid:public_id>/remove/", views_items.item_remove, name="item_remove"),
    path("items/<uuid:public_id>/consultation/", views_items.consultation, name="consultation"),
    path("items/<uuid:public_id>/outcome/", views_items.item_decide, name="item_decide"),
    path("items/<uuid:public_id>/reservation/", views_items.reservation, name="reservation"),
    path("items/<uuid:public_id>/recommendation/", views_items.recommendation_create, name="recommendation_create"),
    path("recommendations/<uuid:public_id>/", views_items.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<uuid:public_id>/issue/", views_items.recommendation_issue, name="recommendation_issue"),
    path("recommendations/<uuid:public_id>/letter.pdf", views_items.recommendation_pdf, name="recommendation_pdf"),
    path(
        "recommendations/<uuid:public_id>/regenerate/",
        views_items.recommendation_regenerate,
        name="recommendation_regenerate",
    ),
    # Escalations from the network (national officers, members)
    path("escalate/", views_escalations.escalate, name="escalate"),
    path("escalations/", views_escalations.escalation_list, name="escalation_list"),
    path("escalations/<uuid:public_id>/", views_escalations.escalation_detail, name="escalation_detail"),
    path("escalations/<uuid:public_id>/withdraw/", views_escalations.escalation_withdraw, name="escalation_withdraw"),
    # Work plans
    path("work-plans/", views_workplans.workplan_list, name="workplan_list"),
    path("work-plans/new/", views_workplans.workplan_create, name="workplan_create"),
    path("work-plans/<uuid:public_id>/", views_workplans.workplan_detail, name="workplan_detail"),
    path("work-plans/tasks/<uuid:public_id>/done/", views_workplans.workplan_task_done, name="workplan_task_done"),
    # Membership administration (administrators)
    path("manage/", views_manage.seats, name="manage"),
    path("manage/nominate/", views_manage.nominate, name="nominate"),
    path("manage/seats/<slug:seat>/", views_manage.seat_detail, name="seat_history"),
    path("manage/memberships/<uuid:public_id>/", views_manage.membership_detail, name="membership_detail"),
    path("manage/memberships/<uuid:public_id>/appoint/", views_manage.membership_appoint, name="membership_appoint"),
    path("manage/memberships/<uuid:public_id>/withdraw/", views_manage.membership_withdraw, name="membership_withdraw"),
    path("manage/memberships/<uuid:public_id>/contact/", views_manage.membership_contact, name="membership_contact"),
]

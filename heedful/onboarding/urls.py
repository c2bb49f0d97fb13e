"""The onboarding pages, under /onboarding/ (namespace ``onboarding``)."""

from django.urls import path

from heedful.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.new_plan, name="new"),
    path("<int:plan_id>/", views.detail, name="detail"),
    path("<int:plan_id>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("<int:plan_id>/one-on-ones/", views.one_on_one, name="one_on_one"),
]

from django.urls import path

app_name = "evenements"
urlpatterns = []

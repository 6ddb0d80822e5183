from django.contrib import admin
from django.urls import path

admin.site.site_header = "Health Inequalities Resource Directory"
admin.site.site_title = "Resource Directory admin"
admin.site.index_title = "Curate the catalogue"

urlpatterns = [
    path("admin/", admin.site.urls),
]

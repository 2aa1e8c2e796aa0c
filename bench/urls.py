"""The app's URLs plus the stock admin (bench process only; see bench.settings)."""

from django.urls import path

from bench.stock_admin import stock_site
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("stockadmin/", stock_site.urls), *app_urlpatterns]

"""A STOCK Django admin for contacts, to compare the app's pages against.

A plain ModelAdmin with list_display, search_fields and list_filter and nothing else,
on its own AdminSite, mounted at /stockadmin/ by the bench urlconf only.
"""

from django.contrib import admin

from contacts.models import Contact

stock_site = admin.AdminSite(name="stockadmin")


@admin.register(Contact, site=stock_site)
class StockContactAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "identifier_type",
        "email",
        "mobile_number",
        "first_name",
        "last_name",
        "created_at",
    ]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["identifier_type", "created_at"]

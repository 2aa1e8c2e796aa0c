"""What the apps share and that knows no app: ids in URLs, view and admin helpers, form
widgets, counts, the audit log, the background job machine and system mail.

`core` imports no app of this project (make lint checks it); apps import `core`.
"""

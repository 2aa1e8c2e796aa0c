"""What contacts tells the apps built on it. Contacts imports none of them: they listen.

Receivers are connected in their AppConfig.ready(); today:
- exports cancels the exports holding data of the deleted contacts (and removes their files).
"""

from django.dispatch import Signal

# Sent inside the deleting transaction, before the rows go, with:
#   contact_ids: list[int]  the contacts being deleted or anonymized
#   anonymized: bool        whether they are anonymized (else deleted), to tell users why
#   naming: list[str]       for an anonymization, the texts that name the person (stored
#                           filters holding them must go too); empty for a plain delete
# A receiver that raises rolls the deletion back.
contacts_deleting = Signal()

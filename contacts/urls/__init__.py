"""The URLs of the contacts app: the contact screens (`contacts`, under /contacts/) and the
group pages (`groups`, under /groups/), each beside its views in contacts/views/."""
